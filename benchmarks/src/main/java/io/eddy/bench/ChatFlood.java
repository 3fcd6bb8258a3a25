package io.eddy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat flood: one client sends {@code --mib} MiB of lines to a chat server running as process
 * {@code --pid} on {@code --port}, while another connected client never reads; prints the server's
 * resident memory before, its peak during the flood, and the growth. The flooder reads (and drops)
 * the server's answers, so only the silent client holds the server back.
 *
 * <pre>
 * java -cp benchmarks.jar io.eddy.bench.ChatFlood --port 9998 --pid PID [--mib 200]
 * </pre>
 *
 * <p>Threading: the main thread floods; one thread drains the answers, a scheduled one samples the
 * memory every 20 ms.
 */
final class ChatFlood {

    private static final int LINE_BYTES = 100;

    private ChatFlood() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        long pid = options.number("pid", -1);
        long lines = options.number("mib", 200) * 1024 * 1024 / LINE_BYTES;
        InetSocketAddress server = new InetSocketAddress("127.0.0.1", (int) options.number("port", 9998));
        try (Socket silent = new Socket(); Socket flooder = new Socket()) {
            silent.connect(server);
            flooder.connect(server);
            long before = ServerProcess.rssBytes(pid);
            AtomicLong peak = new AtomicLong(before);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "rss");
                thread.setDaemon(true);
                return thread;
            });
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(ServerProcess.rssBytes(pid), Math::max),
                    0, 20, TimeUnit.MILLISECONDS);
            AtomicLong answers = new AtomicLong();
            Thread drain = daemon("answers", () -> countLines(flooder, lines, answers));
            long started = System.nanoTime();
            flood(flooder.getOutputStream(), lines);
            // Every line answered: the server has relayed (or skipped) them all.
            drain.join();
            double seconds = (System.nanoTime() - started) / 1e9;
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            long after = ServerProcess.rssBytes(pid);
            System.out.printf("lines %d (%d MiB) in %.1f s, %d answered%n", lines, lines * LINE_BYTES >> 20, seconds,
                    answers.get());
            System.out.printf("server RSS before %d MiB, peak %d MiB, after %d MiB: grew by %d MiB%n",
                    before >> 20, peak.get() >> 20, after >> 20, (peak.get() - before) >> 20);
        }
    }

    private static void flood(OutputStream out, long lines) throws IOException {
        byte[] batch = new byte[LINE_BYTES * 600];
        byte[] filler = "flood ".repeat(LINE_BYTES).getBytes(StandardCharsets.US_ASCII);
        for (long i = 0; i < lines; ) {
            int n = 0;
            for (; n < batch.length && i < lines; n += LINE_BYTES, i++) {
                byte[] number = Long.toString(i).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(number, 0, batch, n, number.length);
                System.arraycopy(filler, 0, batch, n + number.length, LINE_BYTES - 1 - number.length);
                batch[n + LINE_BYTES - 1] = '\n';
            }
            out.write(batch, 0, n);
        }
    }

    /** Counts the lines the server sends until there are {@code expected}, or it closes. */
    private static void countLines(Socket socket, long expected, AtomicLong count) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            int n;
            while (count.get() < expected && (n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count.incrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("answers: " + e);
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
