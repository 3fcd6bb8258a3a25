package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Servers and clients on a group of four loops, over loopback sockets. */
@Timeout(60)
class GroupServerTest {

    private static final Logger log = LoggerFactory.getLogger(GroupServerTest.class);

    private EventLoopGroup group;
    private EventLoop clients;

    @BeforeEach
    void start() {
        group = EventLoopGroup.start("group", 4);
        clients = EventLoop.start("clients");
    }

    @AfterEach
    void stop() {
        clients.close();
        group.close();
    }

    /** Counts, per loop, the connections opened there; thread-safe, so one instance serves every loop. */
    static final class PerLoop implements Handler<String, String> {
        final Map<EventLoop, AtomicInteger> opened = new ConcurrentHashMap<>();

        @Override
        public void onOpen(Connection<String> connection) {
            opened.computeIfAbsent(connection.loop(), loop -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            connection.write(line);
        }

        int on(EventLoop loop) {
            AtomicInteger n = opened.get(loop);
            return n == null ? 0 : n.get();
        }
    }

    private List<Connection<String>> connect(int port, int n) {
        TcpClient<String, String> client = TcpClient.on(clients).codec(LineCodec::new)
                .handler((connection, line) -> { }).build();
        List<CompletableFuture<Connection<String>>> connects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            connects.add(client.connect(HOST, port));
        }
        return connects.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void leastConnectionsSpreadsAThousandConnectionsEvenly() throws Exception {
        TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0)
                .codec(LineCodec::new).handler(new PerLoop()).start();
        connect(server.port(), 1000);
        await().atMost(WAIT).until(() -> server.connectionCount() == 1000
                && group.stats().stream().mapToInt(s -> s.openConnections()).sum() == 1000);
        List<Integer> perLoop = group.loops().stream().map(EventLoop::openConnections).toList();
        int most = perLoop.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int least = perLoop.stream().mapToInt(Integer::intValue).min().orElseThrow();
        log.info("1,000 connections over 4 loops: {} (busiest/least busy = {})", perLoop, (double) most / least);
        assertTrue(most <= 1.5 * least, "spread " + perLoop);
    }

    @Test
    void aLoopThatIsAlreadyBusyGetsFewerNewConnections() throws Exception {
        EventLoop busy = group.loops().get(0);
        TcpServer<String, String> pinned = TcpServer.on(busy).bind(HOST, 0)
                .codec(LineCodec::new).handler(new PerLoop()).start();
        connect(pinned.port(), 120);
        await().atMost(WAIT).until(() -> busy.openConnections() == 120);

        PerLoop spread = new PerLoop();
        TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0)
                .codec(LineCodec::new).handler(spread).start();
        connect(server.port(), 90);
        await().atMost(WAIT).until(() -> server.connectionCount() == 90);
        for (EventLoop other : group.loops().subList(1, 4)) {
            assertTrue(spread.on(busy) < spread.on(other), "busy loop got " + spread.on(busy)
                    + ", " + other.name() + " got " + spread.on(other));
        }
    }

    @Test
    void reusePortListenersOnEveryLoopAllServe() throws Exception {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            Assumptions.assumeTrue(probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT),
                    "this platform's listening sockets have no SO_REUSEPORT, so reusePort cannot be tested here");
        }
        PerLoop perLoop = new PerLoop();
        TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0).reusePort(true)
                .codec(LineCodec::new).handler(perLoop).start();
        List<Connection<String>> connections = connect(server.port(), 200);
        await().atMost(WAIT).until(() -> server.connectionCount() == 200);
        for (EventLoop loop : group) {
            assertTrue(perLoop.on(loop) > 0, loop.name() + " accepted nothing: " + perLoop.opened);
        }
        CompletableFuture<String> echo = new CompletableFuture<>();
        TcpClient.on(clients).codec(LineCodec::new).handler((c, line) -> echo.complete(line)).build()
                .connect(HOST, server.port()).join().write("still serving");
        assertEquals("still serving", echo.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        connections.forEach(Connection::close);
    }

    @Test
    void maxConnectionsIsExactUnderAConnectStormFromManyThreads() throws Exception {
        int max = 40;
        AtomicInteger open = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Handler<String, String> counting = new Handler<>() {
            @Override
            public void onOpen(Connection<String> connection) {
                peak.accumulateAndGet(open.incrementAndGet(), Math::max);
            }

            @Override
            public void onMessage(Connection<String> connection, String line) {
                connection.write(line);
            }

            @Override
            public void onClose(Connection<String> connection, CloseReason reason) {
                open.decrementAndGet();
            }
        };
        TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0).maxConnections(max)
                .codec(LineCodec::new).handler(counting).start();
        int threads = 8;
        int perThread = 20;
        List<Socket> sockets = new ArrayList<>();
        ExecutorService storm = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answered = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                answered.add(storm.submit(() -> {
                    go.await();
                    int served = 0;
                    for (int i = 0; i < perThread; i++) {
                        served += connectAndAsk(server.port(), sockets) ? 1 : 0;
                    }
                    return served;
                }));
            }
            go.countDown();
            int served = 0;
            for (Future<Integer> f : answered) {
                served += f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertEquals(max, served);
            assertEquals(max, server.connectionCount());
            assertTrue(peak.get() <= max, "peak " + peak.get());
        } finally {
            storm.shutdownNow();
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
        await().atMost(WAIT).until(() -> server.connectionCount() == 0
                && group.stats().stream().allMatch(s -> s.openConnections() == 0));
    }

    /**
     * Connects, keeps the socket open in {@code sockets}, and says whether the server echoes a line
     * on it (false: it was closed as one too many, perhaps before the connect returned).
     */
    private static boolean connectAndAsk(int port, List<Socket> sockets) {
        try {
            Socket socket = Loopback.connect(port);
            synchronized (sockets) {
                sockets.add(socket);
            }
            BufferedReader in = Loopback.reader(socket);
            Loopback.send(socket, "hi\n");
            return "hi".equals(in.readLine());
        } catch (IOException rejected) {
            return false;
        }
    }

    @Test
    void aClientOnTheGroupSpreadsItsConnectionsOverTheLoops() throws Exception {
        TcpServer<String, String> server = TcpServer.on(clients).bind(HOST, 0)
                .codec(LineCodec::new).handler(new PerLoop()).start();
        TcpClient<String, String> client = TcpClient.on(group).codec(LineCodec::new)
                .handler((connection, line) -> { }).build();
        List<CompletableFuture<Connection<String>>> connects = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            connects.add(client.connect(HOST, server.port()));
        }
        connects.forEach(CompletableFuture::join);
        assertEquals(List.of(10, 10, 10, 10), group.loops().stream().map(EventLoop::openConnections).toList());
        assertThrows(IllegalStateException.class, client::loop);
        client.close();
        await().atMost(WAIT).until(() -> group.stats().stream().allMatch(s -> s.openConnections() == 0));
    }

    @Test
    void aGroupShutdownLetsALateAnswerGoOutThenStopsListening() throws Exception {
        CompletableFuture<Void> asked = new CompletableFuture<>();
        TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0).codec(LineCodec::new)
                .handlerPerConnection(() -> new LateAnswer(asked)).start();
        try (Socket asking = Loopback.connect(server.port());
             Socket idle = Loopback.connect(server.port())) {
            await().atMost(WAIT).until(() -> server.connectionCount() == 2);
            Loopback.send(asking, "question\n");
            asked.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            CompletableFuture<Void> ended = group.shutdown(Duration.ofSeconds(10));

            assertNull(Loopback.reader(idle).readLine(), "an idle connection closes at once");
            BufferedReader in = Loopback.reader(asking);
            assertEquals("late: question", in.readLine());
            assertNull(in.readLine());
            ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThrows(ConnectException.class, () -> Loopback.connect(server.port()).close());
    }

    /** Answers each line 100 ms later, from a timer; a closing loop waits for the answer. */
    static final class LateAnswer implements Handler<String, String> {
        private final CompletableFuture<Void> asked;
        private boolean answering;
        private boolean closeAfterAnswer;

        LateAnswer(CompletableFuture<Void> asked) {
            this.asked = asked;
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            answering = true;
            asked.complete(null);
            connection.loop().schedule(Duration.ofMillis(100), () -> {
                connection.write("late: " + line);
                answering = false;
                if (closeAfterAnswer) {
                    connection.close();
                }
            });
        }

        @Override
        public void onLoopClosing(Connection<String> connection) {
            if (answering) {
                closeAfterAnswer = true;
            } else {
                connection.close();
            }
        }
    }

    @Test
    void aGroupShutdownForceClosesWhatIsLeftAtTheDeadline() throws Exception {
        CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        Handler<String, String> neverDone = new Handler<>() {
            @Override
            public void onMessage(Connection<String> connection, String line) {
            }

            @Override
            public void onLoopClosing(Connection<String> connection) {
                // Keeps the connection open: only the deadline closes it.
            }

            @Override
            public void onClose(Connection<String> connection, CloseReason reason) {
                closed.complete(reason);
            }
        };
        TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0).codec(LineCodec::new)
                .handler(neverDone).start();
        try (Socket socket = Loopback.connect(server.port())) {
            await().atMost(WAIT).until(() -> server.connectionCount() == 1);
            CompletableFuture<Void> ended = group.shutdown(Duration.ofMillis(200));
            assertEquals(CloseReason.Kind.LOOP_CLOSED, closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).kind());
            ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(Loopback.readToEndWasReset(socket), "forced closed, with a reset");
        }
    }
}
