package io.eddy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory per idle connection: a server's heap after a full collection and its resident memory,
 * before and after {@code connections} connections are opened, each having made one exchange (one
 * request answered, one line echoed) and then left idle; the growth divided by the count.
 *
 * <p>Threading: the runner's thread; the connections are blocking sockets, opened one after the
 * other and each answered before the next opens, so no accept backlog overflows.
 */
final class MemoryProbe {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private MemoryProbe() {
    }

    /** The metrics a memory row reports. */
    static List<Report.Metric> metrics() {
        return List.of(new Report.Metric("heapPerConnection", "heap bytes per connection", true),
                new Report.Metric("rssPerConnection", "RSS bytes per connection", true),
                new Report.Metric("heapBefore", "heap before, bytes", false),
                new Report.Metric("rssBefore", "RSS before, bytes", false));
    }

    /** Warms {@code server} up, then measures it with {@code connections} idle connections. */
    static Map<String, Double> measure(ServerProcess server, Protocol protocol, int connections, Duration warmup)
            throws IOException, InterruptedException {
        new TcpLoad(server.address(), protocol, 16, 1).run(warmup);
        long heapBefore = server.heapAfterGc();
        long rssBefore = server.rssBytes();
        List<Socket> idle = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                idle.add(exchangeOnce(server.address(), protocol));
            }
            long heapAfter = server.heapAfterGc();
            long rssAfter = server.rssBytes();
            server.checkAlive();
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("heapPerConnection", heapBefore < 0 || heapAfter < 0 ? Double.NaN
                    : (heapAfter - heapBefore) / (double) connections);
            values.put("rssPerConnection", rssBefore < 0 || rssAfter < 0 ? Double.NaN
                    : (rssAfter - rssBefore) / (double) connections);
            values.put("heapBefore", (double) heapBefore);
            values.put("rssBefore", (double) rssBefore);
            return values;
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** A connection that has sent one request and read its one answer, left open. */
    static Socket exchangeOnce(InetSocketAddress address, Protocol protocol) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(protocol.request());
            InputStream in = socket.getInputStream();
            ByteBuffer answer = ByteBuffer.allocate(1024);
            while (true) {
                int read = in.read(answer.array(), answer.position(), answer.remaining());
                if (read < 0) {
                    throw new IOException("the server closed the connection before answering");
                }
                answer.position(answer.position() + read).flip();
                if (protocol.answers(answer) == 1) {
                    return socket;
                }
                answer.compact();
            }
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Fails, saying what to do, when this process may not open {@code connections} sockets and a
     * few files besides.
     */
    static void checkOpenFilesLimit(int connections) throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) {
            return;
        }
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                if (!soft.equals("unlimited") && Long.parseLong(soft) < connections + 256L) {
                    throw new IOException("the open-files limit is " + soft + ", too low for " + connections
                            + " connections: run `ulimit -n 65536` (as root, or after raising the hard limit) first,"
                            + " or pass a smaller --connections");
                }
            }
        }
    }
}
