package io.eddy.core.net;

import static java.net.StandardSocketOptions.SO_RCVBUF;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random runs over real loopback sockets: per seed, an echo server with random water marks
 * and socket buffers, and twenty plain blocking clients at once, each writing random lines (UTF-8,
 * LF or CRLF, now and then longer than half the loop's read buffer) in writes of random size. Some
 * clients read through a small receive buffer; some send {@code !pause} lines, on which the server
 * pauses reading and resumes from a loop timer or from another thread; some half-close at the end,
 * after a last line without its newline. Every client must get back every line, in order, byte for
 * byte, and every connection must end closed by its peer.
 *
 * <p>The server is a well-behaved echo: it also pauses reading while its connection is not writable.
 */
@Timeout(60)
class RandomizedLoopbackTest {

    private static final int SEEDS = 10;
    private static final int CLIENTS = 20;
    private static final int MAX_LINE = 100_000;
    private static final AttributeKey<Flow> FLOW = AttributeKey.of("flow");

    private ExecutorService threads;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @BeforeEach
    void startThreads() {
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void echoesEveryLineOfEveryClientInOrderThroughPausesBackpressureAndHalfCloses(long seed) throws Exception {
        Random random = new Random(seed);
        ConnectionOptions options = randomOptions(random);
        // A small send buffer: the server's queue fills and drains all the time.
        int socketBuffers = random.nextBoolean() ? 8 * 1024 : 0;
        String where = "seed " + seed + " (water marks " + options.lowWaterMark() + "/" + options.highWaterMark()
                + ", socket buffers " + socketBuffers + ")";
        EchoServer handler = new EchoServer(threads);
        try (EventLoop loop = EventLoop.start("randomized-echo-" + seed)) {
            TcpServer.Builder<String, String> builder = TcpServer.on(loop).bind(HOST, 0).options(options)
                    .codec(() -> new LineCodec(MAX_LINE, UTF_8)).handler(handler);
            if (socketBuffers > 0) {
                builder.option(SO_RCVBUF, socketBuffers).option(SO_SNDBUF, socketBuffers);
            }
            TcpServer<String, String> server = builder.start();

            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Client client = new Client(where, i, new Random(random.nextLong()), server.port());
                runs.add(threads.submit(() -> {
                    client.run();
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                awaitResult(run, where);
            }

            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> server.connectionCount() == 0);
            if (!handler.failures.isEmpty()) {
                throw new AssertionError(where + ": " + handler.failures);
            }
            List<CloseReason> reasons = List.copyOf(handler.closes);
            if (reasons.size() != CLIENTS || !reasons.stream().allMatch(r -> r.kind() == CloseReason.Kind.PEER_CLOSED)) {
                throw new AssertionError(where + ": server connections closed with " + reasons);
            }
            server.close();
        }
    }

    private static ConnectionOptions randomOptions(Random random) {
        int high = 1024 << random.nextInt(7);
        return ConnectionOptions.defaults().withWaterMarks(random.nextInt(high + 1), high);
    }

    /** Waits for a client's run; its failure (an AssertionError naming seed and client) fails the test. */
    private static void awaitResult(Future<?> run, String where) throws Exception {
        try {
            run.get(3 * WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(where + ": a client failed", e.getCause());
        }
    }

    /** Per connection: why reading is paused. Loop thread only. */
    private static final class Flow {
        boolean commandPaused;
        boolean backpressured;
    }

    /**
     * Echoes every line. On {@code !pause timer N} it pauses reading and resumes from a loop timer
     * N ms later; on {@code !pause thread} another thread resumes it at once, through the hop onto
     * the loop. While the connection is not writable it pauses reading too.
     */
    private static final class EchoServer implements Handler<String, String> {
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final Queue<CloseReason> closes = new ConcurrentLinkedQueue<>();
        private final ExecutorService threads;

        EchoServer(ExecutorService threads) {
            this.threads = threads;
        }

        @Override
        public void onOpen(Connection<String> connection) {
            connection.attr(FLOW, new Flow());
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            connection.write(line);
            if (!line.startsWith("!pause ")) {
                return;
            }
            Flow flow = connection.attr(FLOW);
            connection.pauseReading();
            if (line.startsWith("!pause timer ")) {
                flow.commandPaused = true;
                Duration delay = Duration.ofMillis(Integer.parseInt(line.substring("!pause timer ".length())));
                connection.loop().schedule(delay, () -> {
                    flow.commandPaused = false;
                    if (!flow.backpressured) {
                        connection.resumeReading();
                    }
                });
            } else {
                threads.execute(connection::resumeReading);
            }
        }

        @Override
        public void onWritabilityChanged(Connection<String> connection, boolean writable) {
            Flow flow = connection.attr(FLOW);
            if (writable == !flow.backpressured) {
                failures.add(connection + ": told writable " + writable + " twice");
            }
            flow.backpressured = !writable;
            if (!writable) {
                connection.pauseReading();
            } else if (!flow.commandPaused) {
                connection.resumeReading();
            }
        }

        @Override
        public void onDecodeError(Connection<String> connection, DecodeException error) {
            failures.add(connection + ": " + error.getMessage());
        }

        @Override
        public void onClose(Connection<String> connection, CloseReason reason) {
            closes.add(reason);
        }
    }

    /** One plain blocking client: a writer (this thread) and a reader (another), checked byte for byte. */
    private final class Client {
        private final String where;
        private final Random random;
        private final int port;
        private final boolean halfClose;
        private final boolean sendsPauses;
        private final boolean smallReceiveBuffer;
        /** What it sends, and what must come back. */
        private final byte[] sent;
        private final byte[] echo;
        private final long readSeed;

        Client(String seedWhere, int index, Random random, int port) {
            this.random = random;
            this.port = port;
            this.halfClose = random.nextInt(3) == 0;
            this.sendsPauses = random.nextBoolean();
            this.smallReceiveBuffer = random.nextInt(4) == 0;
            this.where = seedWhere + ", client " + index + (halfClose ? " (half-closes)" : "")
                    + (sendsPauses ? " (pauses the server)" : "") + (smallReceiveBuffer ? " (small receive buffer)" : "");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream back = new ByteArrayOutputStream();
            int budget = 8 * 1024 << random.nextInt(5);
            while (out.size() < budget) {
                byte[] line;
                if (sendsPauses && random.nextInt(12) == 0) {
                    line = (random.nextBoolean() ? "!pause timer " + random.nextInt(3) : "!pause thread").getBytes(UTF_8);
                } else {
                    line = randomLine(randomLength());
                }
                out.writeBytes(line);
                out.writeBytes(random.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
                back.writeBytes(line);
                back.write('\n');
            }
            if (halfClose && random.nextBoolean()) {
                // A last line without its newline: the server still gets it, at the end of stream.
                byte[] last = randomLine(1 + random.nextInt(2000));
                out.writeBytes(last);
                back.writeBytes(last);
                back.write('\n');
            }
            this.sent = out.toByteArray();
            this.echo = back.toByteArray();
            this.readSeed = random.nextLong();
        }

        void run() throws Exception {
            try (Socket socket = Loopback.connect(port, smallReceiveBuffer ? 4096 : 0)) {
                Future<?> reader = threads.submit(() -> {
                    readEcho(socket.getInputStream());
                    return null;
                });
                OutputStream out = socket.getOutputStream();
                for (int at = 0; at < sent.length; ) {
                    int n = Math.min(sent.length - at, writeSize());
                    out.write(sent, at, n);
                    at += n;
                }
                if (halfClose) {
                    socket.shutdownOutput();
                }
                awaitResult(reader, where);
            }
        }

        private void readEcho(InputStream in) throws Exception {
            Random reads = new Random(readSeed);
            byte[] buffer = new byte[64 * 1024];
            CRC32 crc = new CRC32();
            int at = 0;
            while (at < echo.length) {
                int n = in.read(buffer, 0, Math.min(echo.length - at, 1 + reads.nextInt(buffer.length)));
                if (n < 0) {
                    throw new AssertionError(where + ": end of stream after " + at + " of " + echo.length
                            + " bytes echoed");
                }
                int mismatch = Arrays.mismatch(buffer, 0, n, echo, at, at + n);
                if (mismatch >= 0) {
                    throw new AssertionError(where + ": echo differs at byte " + (at + mismatch) + " of "
                            + echo.length);
                }
                crc.update(buffer, 0, n);
                at += n;
            }
            CRC32 want = new CRC32();
            want.update(echo);
            if (crc.getValue() != want.getValue()) {
                throw new AssertionError(where + ": CRC32 of the echo " + Long.toHexString(crc.getValue())
                        + ", not " + Long.toHexString(want.getValue()));
            }
            if (halfClose && in.read() >= 0) {
                throw new AssertionError(where + ": more than the " + echo.length + " bytes echoed");
            }
        }

        private int writeSize() {
            return switch (random.nextInt(10)) {
                case 0 -> 1 + random.nextInt(64);
                case 1, 2 -> 8193 + random.nextInt(100_000);
                default -> 65 + random.nextInt(8128);
            };
        }

        private int randomLength() {
            if (random.nextInt(40) == 0) {
                return 32 * 1024 + random.nextInt(40_000);
            }
            return random.nextInt(1 << random.nextInt(12));
        }

        /** UTF-8 text of exactly {@code length} bytes, without CR or LF, never starting with '!'. */
        private byte[] randomLine(int length) {
            byte[] line = new byte[length];
            int i = 0;
            while (i < length) {
                if (length - i < 3 || random.nextInt(4) != 0) {
                    line[i++] = (byte) (0x20 + random.nextInt(0x5F));
                } else {
                    int c = random.nextBoolean() ? 0x80 + random.nextInt(0x780) : 0x800 + random.nextInt(0xD000);
                    if (c < 0x800) {
                        line[i++] = (byte) (0xC0 | c >> 6);
                    } else {
                        line[i++] = (byte) (0xE0 | c >> 12);
                        line[i++] = (byte) (0x80 | c >> 6 & 0x3F);
                    }
                    line[i++] = (byte) (0x80 | c & 0x3F);
                }
            }
            if (length > 0 && line[0] == '!') {
                line[0] = '?';
            }
            return line;
        }
    }
}
