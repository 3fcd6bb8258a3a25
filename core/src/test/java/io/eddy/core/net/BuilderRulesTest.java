package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.awaitClose;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.net.StandardSocketOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every TCP builder follows: the entry and finishing verbs, a handler shared or made per
 * connection, socket options checked when the endpoint starts or is built, the same port check,
 * the codec before the handler, and a client that closes what it opened.
 */
class BuilderRulesTest {

    private final EventLoop loop = EventLoop.start("builders");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void aBuiltClientConnectsAgainAndAgainAndCloseClosesTheConnectionsStillOpen() throws Exception {
        Loopback.EchoRecorder server = new Loopback.EchoRecorder();
        TcpServer<String, String> listener = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).handler(server).start();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        TcpClient<String, String> client = TcpClient.on(loop).codec(LineCodec::new)
                .handler((connection, line) -> echoed.complete(line)).build();

        Connection<String> first = client.connect(HOST, listener.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Connection<String> second = client.connect(HOST, listener.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Connection<String> firstOnServer = server.nextOpened();
        Connection<String> secondOnServer = server.nextOpened();
        second.write("still there");
        assertEquals("still there", echoed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        first.close();
        assertEquals(CloseReason.Kind.LOCAL_CLOSE, awaitClose(first).kind());

        client.close();

        assertEquals(CloseReason.Kind.LOCAL_CLOSE, awaitClose(second).kind());
        assertEquals(CloseReason.Kind.PEER_CLOSED, awaitClose(firstOnServer).kind());
        assertEquals(CloseReason.Kind.PEER_CLOSED, awaitClose(secondOnServer).kind());
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> client.connect(HOST, listener.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IllegalStateException.class, refused.getCause());
    }

    @Test
    void handlerPerConnectionGivesEachAcceptedConnectionAHandlerOfItsOwn() throws Exception {
        AtomicInteger made = new AtomicInteger();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new)
                .handlerPerConnection(() -> {
                    made.incrementAndGet();
                    return new Counting();
                }).start();
        List<String> replies = new CopyOnWriteArrayList<>();
        try (TcpClient<String, String> client = TcpClient.on(loop).codec(LineCodec::new)
                .handler((connection, line) -> replies.add(line)).build()) {
            Connection<String> a = client.connect(HOST, server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            a.write("x");
            a.write("x");
            await().atMost(WAIT).until(() -> replies.size() == 2);
            Connection<String> b = client.connect(HOST, server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            b.write("y");
            await().atMost(WAIT).until(() -> replies.size() == 3);
        }
        // Each handler counts its own connection's lines: the second connection starts at 1 again.
        assertEquals(List.of("1 x", "2 x", "1 y"), replies);
        assertEquals(2, made.get());
    }

    @Test
    void handlerPerConnectionOnAClientMakesOneHandlerPerConnect() throws Exception {
        Loopback.EchoRecorder echo = new Loopback.EchoRecorder();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).handler(echo).start();
        AtomicInteger made = new AtomicInteger();
        try (TcpClient<String, String> client = TcpClient.on(loop).codec(LineCodec::new)
                .handlerPerConnection(() -> {
                    made.incrementAndGet();
                    return new Counting();
                }).build()) {
            assertEquals(0, made.get(), "a handler is made per connect, not when the client is built");
            client.connect(HOST, server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            client.connect(HOST, server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertEquals(2, made.get());
    }

    @Test
    void aHandlerSetBeforeTheCodecIsRefusedAtOnce() {
        Handler<Void, Void> early = (connection, message) -> { };
        IllegalStateException server = assertThrows(IllegalStateException.class,
                () -> TcpServer.on(loop).handler(early).codec(LineCodec::new));
        IllegalStateException client = assertThrows(IllegalStateException.class,
                () -> TcpClient.on(loop).handler(early).codec(LineCodec::new));
        assertTrue(server.getMessage().contains("codec before the handler"), server.getMessage());
        assertEquals(server.getMessage(), client.getMessage());
    }

    @Test
    void aMissingHandlerIsReportedWhenStartingOrBuilding() {
        assertThrows(IllegalStateException.class, () -> TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).start());
        assertThrows(IllegalStateException.class, () -> TcpClient.on(loop).codec(LineCodec::new).build());
    }

    @Test
    void anOptionTheSocketDoesNotSupportIsRefusedWhenStartingOrBuilding() {
        IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
                () -> TcpServer.on(loop).bind(HOST, 0).option(StandardSocketOptions.IP_MULTICAST_LOOP, true)
                        .codec(LineCodec::new).handler((c, m) -> { }).start());
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
                () -> TcpClient.on(loop).option(StandardSocketOptions.IP_MULTICAST_TTL, 4)
                        .codec(LineCodec::new).handler((c, m) -> { }).build());
        assertTrue(server.getMessage().startsWith("IP_MULTICAST_LOOP is not supported by an accepted TCP socket"),
                server.getMessage());
        assertTrue(client.getMessage().startsWith("IP_MULTICAST_TTL is not supported by a TCP socket"), client.getMessage());
    }

    @Test
    void optionsTheSocketsSupportAreAcceptedAndTheServerStillServes() throws Exception {
        Loopback.EchoRecorder echo = new Loopback.EchoRecorder();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .option(StandardSocketOptions.SO_RCVBUF, 64 * 1024)
                .option(StandardSocketOptions.SO_KEEPALIVE, true)
                .option(StandardSocketOptions.TCP_NODELAY, false)
                .codec(LineCodec::new).handler(echo).start();
        try (var socket = Loopback.connect(server.port())) {
            Loopback.assertEchoes(socket, Loopback.reader(socket), "options set");
        }
    }

    @Test
    void bindRefusesAPortOutOfRangeSayingTheRange() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> TcpServer.on(loop).bind(65536));
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> TcpServer.on(loop).bind(HOST, -1));
        assertEquals("port out of range 0..65535 (0: any free port): 65536", high.getMessage());
        assertEquals("port out of range 0..65535 (0: any free port): -1", low.getMessage());
    }

    /** Numbers the lines of its one connection: state that must not be shared. */
    private static final class Counting implements Handler<String, String> {
        private int lines;

        @Override
        public void onMessage(Connection<String> connection, String line) {
            connection.write(++lines + " " + line);
        }
    }
}
