package io.eddy.http.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import io.eddy.core.internal.LoopLedger;
import io.eddy.core.internal.TransportFaults;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Faults injected in the transport of the HTTP server's connections, over loopback: per seed, a
 * dozen clients at once on one loop, each pipelining a random run of requests (GET and POST with
 * bodies to {@code /echo/...}, GET {@code /bytes/N} for answers up to 96 KiB) in random pieces,
 * each of its connection's transport failing in its own way ({@link TransportFaults.Kind}) while
 * the loop's selector is woken for nothing and every key reported ready for nothing. A connection
 * whose fault fired closes for it, having sent exactly the bytes its transport took, every whole
 * answer among them the one its request is owed, in order; every other connection, its
 * neighbours on the same loop, gets every answer whole and closes when its client does.
 * Afterwards the loop holds nothing more than before: keys, timers, chunks, connections. A
 * failure names its seed; run one seed again with {@code -Deddy.faults.seed=N}.
 */
@Timeout(120)
class TransportFaultsHttpTest {

    private static final TransportFaults.Kind[] KINDS = TransportFaults.Kind.values();
    private static final Duration WAIT = Duration.ofSeconds(20);

    static LongStream seeds() {
        Long seed = Long.getLong("eddy.faults.seed");
        return seed != null ? LongStream.of(seed) : LongStream.rangeClosed(1, 3);
    }

    /** {@code n} bytes of a pattern no two answers share at the same offset. */
    private static byte[] pattern(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) ('a' + (i * 7 + n) % 26);
        }
        return bytes;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aFailingConnectionClosesForItsFaultAndItsNeighboursGetEveryAnswerWhole(long seed) throws Exception {
        ExecutorService threads = Executors.newCachedThreadPool();
        // A channel closed under a connection is logged as a warning: kept off the console here.
        Logger connections = (Logger) LoggerFactory.getLogger(Connection.class);
        connections.setAdditive(false);
        try (EventLoop loop = EventLoop.builder().name("http-faults-" + seed)
                // A cycle of many one-byte writes on a shared machine is no stall worth a warning here.
                .stallThreshold(Duration.ofSeconds(5)).start()) {
            HttpServer server = HttpServer.on(loop).bind("127.0.0.1", 0)
                    .get("/echo/{path...}", OwedAnswers::echo)
                    .post("/echo/{path...}", OwedAnswers::echo)
                    .get("/bytes/{n}", request -> HttpResponse.bytes(pattern(Integer.parseInt(request.pathParam("n"))),
                            "application/octet-stream"))
                    .start();
            LoopLedger before = LoopLedger.of(loop);
            Map<Integer, TransportFaults> byPort = new ConcurrentHashMap<>();
            List<Client> clients = new ArrayList<>();
            try (AutoCloseable plan = TransportFaults.install(loop,
                    remote -> byPort.get(((InetSocketAddress) remote).getPort()));
                 AutoCloseable noise = TransportFaults.wakeForNothing(loop)) {
                Random random = new Random(seed);
                for (int i = 0; i < 12; i++) {
                    clients.add(Client.start(server.port(), KINDS[i % KINDS.length], random, byPort, threads));
                }
                for (Client client : clients) {
                    client.received.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            int fired = 0;
            for (Client client : clients) {
                String about = "seed " + seed + ", " + client;
                CloseReason reason = client.faults.closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                byte[] received = client.received.join();
                String firedAt = client.faults.firedAt();
                List<byte[]> answers = answers(received, about);
                if (firedAt == null) {
                    assertEquals(CloseReason.Kind.PEER_CLOSED, reason.kind(), about);
                    assertEquals(client.owed.size(), answers.size(), about + ": every answer");
                } else {
                    fired++;
                    assertEquals(client.kind.closeReason(), reason.kind(), about + ", fired: " + firedAt);
                    assertEquals(client.faults.written(), received.length,
                            about + ", fired: " + firedAt + ": exactly the bytes the transport took");
                    assertTrue(answers.size() <= client.owed.size(), about);
                }
                for (int i = 0; i < answers.size(); i++) {
                    assertArrayEquals(client.owed.get(i), answers.get(i), about + ": answer " + i);
                }
            }
            assertTrue(fired > 0, "seed " + seed + ": no fault fired");
            await().atMost(WAIT).until(() -> server.connectionCount() == 0 && LoopLedger.of(loop).equals(before));
        } finally {
            connections.setAdditive(true);
            threads.shutdownNow();
        }
    }

    /**
     * The bodies of the whole answers in {@code received}, each a {@code 200}; an answer cut off
     * by the end of the bytes is left out.
     */
    private static List<byte[]> answers(byte[] received, String about) {
        WireClient reader = WireClient.reading(new ByteArrayInputStream(received));
        List<byte[]> bodies = new ArrayList<>();
        while (true) {
            WireClient.Response response;
            try {
                response = reader.read();
            } catch (IOException endOfTheBytes) {
                return bodies;
            }
            assertEquals(200, response.status(), about + ": answer " + bodies.size());
            String length = response.header("Content-Length");
            if (length != null && response.body().length < Integer.parseInt(length)) {
                return bodies; // cut off inside its body
            }
            bodies.add(response.body());
        }
    }

    /** One client: its faults on the server, the answers it is owed, and what it received. */
    private static final class Client {
        final int port;
        final TransportFaults.Kind kind;
        final TransportFaults faults;
        final List<byte[]> owed;
        final CompletableFuture<byte[]> received = new CompletableFuture<>();

        private Client(int port, TransportFaults.Kind kind, TransportFaults faults, List<byte[]> owed) {
            this.port = port;
            this.kind = kind;
            this.faults = faults;
            this.owed = owed;
        }

        /**
         * Connects with faults of {@code kind} on the server's side (put into {@code byPort} under
         * its port first), pipelines a random run of requests in random pieces on one thread and
         * reads everything until the server closes on another.
         */
        static Client start(int serverPort, TransportFaults.Kind kind, Random random, Map<Integer, TransportFaults> byPort,
                            ExecutorService threads) throws IOException {
            ByteArrayOutputStream requests = new ByteArrayOutputStream();
            List<byte[]> owed = new ArrayList<>();
            long owedBytes = 0;
            for (int i = 1 + random.nextInt(20); i > 0; i--) {
                byte[] answer = request(random, requests);
                owed.add(answer);
                owedBytes += answer.length + 150;
            }
            TransportFaults faults = kind.draw(random, owedBytes);
            Random pieces = new Random(random.nextLong());
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            byPort.put(socket.getLocalPort(), faults);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
            Client client = new Client(socket.getLocalPort(), kind, faults, owed);
            byte[] bytes = requests.toByteArray();
            threads.execute(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int at = 0; at < bytes.length; ) {
                        int n = Math.min(bytes.length - at, 1 + pieces.nextInt(pieces.nextBoolean() ? 32 : 8192));
                        out.write(bytes, at, n);
                        at += n;
                    }
                    socket.shutdownOutput();
                } catch (IOException resetByTheServer) {
                    // whether it should have been is checked against the faults
                }
            });
            threads.execute(() -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                try (socket; InputStream in = socket.getInputStream()) {
                    in.transferTo(all);
                } catch (IOException reset) {
                    // what came before it is kept
                }
                client.received.complete(all.toByteArray());
            });
            return client;
        }

        /** Writes one random request into {@code out}; returns the body of the answer it is owed. */
        private static byte[] request(Random random, ByteArrayOutputStream out) {
            String id = Integer.toString(random.nextInt(1_000_000), 36);
            if (random.nextInt(4) == 0) {
                int n = random.nextInt(96 * 1024);
                out.writeBytes(("GET /bytes/" + n + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return pattern(n);
            }
            if (random.nextBoolean()) {
                String target = "/echo/" + id;
                out.writeBytes(("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                return OwedAnswers.echo("GET", target, new byte[0]).getBytes(StandardCharsets.UTF_8);
            }
            String target = "/echo/" + id + "?q=" + random.nextInt(100);
            byte[] body = Arrays.copyOf(pattern(random.nextInt(3000)), random.nextInt(3000));
            out.writeBytes(("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
            return OwedAnswers.echo("POST", target, body).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "client port " + port + ", " + kind + ", " + owed.size() + " answers owed";
        }
    }
}
