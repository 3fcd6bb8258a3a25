package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.assertEchoes;
import static io.eddy.core.net.Loopback.awaitClose;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.BytesCodec;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failures that must stay local to one connection: a handler that throws, a peer that resets. */
@Timeout(30)
class ConnectionFailureTest {

    private EventLoop loop;
    private TcpServer<String, String> server;
    private final Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
        @Override
        void reply(Connection<String> connection, String line) {
            if (line.equals("boom")) {
                throw new IllegalStateException("handler blew up on purpose");
            }
            connection.write(line);
        }
    };

    @BeforeEach
    void startServer() throws Exception {
        loop = EventLoop.start("failures");
        server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).handler(handler).start();
    }

    @AfterEach
    void stopServer() {
        loop.close();
    }

    @Test
    void closesOnlyTheConnectionWhoseHandlerThrows() throws Exception {
        try (Socket bystander = Loopback.connect(server.port());
             Socket victim = Loopback.connect(server.port())) {
            BufferedReader bystanderIn = Loopback.reader(bystander);
            Connection<String> bystanderOnServer = handler.nextOpened();
            Connection<String> victimOnServer = handler.nextOpened();
            assertEchoes(bystander, bystanderIn, "before");

            Loopback.send(victim, "a\nboom\nb\n");

            CloseReason reason = awaitClose(victimOnServer);
            assertEquals(CloseReason.Kind.HANDLER_FAILURE, reason.kind());
            assertInstanceOf(IllegalStateException.class, reason.cause());
            // Nothing after the failing message is delivered; what was answered before still arrives.
            assertEquals(List.of("a", "boom"), handler.lines(victimOnServer));
            BufferedReader victimIn = Loopback.reader(victim);
            assertEquals("a", victimIn.readLine());
            assertNull(victimIn.readLine());

            assertTrue(bystanderOnServer.isOpen());
            assertEchoes(bystander, bystanderIn, "after");
            await().atMost(Loopback.WAIT).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void closesWithPeerResetWhenThePeerResetsMidStream() throws Exception {
        try (Socket bystander = Loopback.connect(server.port());
             Socket victim = Loopback.connect(server.port())) {
            BufferedReader bystanderIn = Loopback.reader(bystander);
            Connection<String> bystanderOnServer = handler.nextOpened();
            Connection<String> victimOnServer = handler.nextOpened();
            BufferedReader victimIn = Loopback.reader(victim);
            for (int i = 0; i < 10; i++) {
                assertEchoes(victim, victimIn, "line " + i);
            }
            // Half a line pending on the server, then a reset (SO_LINGER 0) instead of a FIN.
            Loopback.send(victim, "half a li");
            victim.setSoLinger(true, 0);
            victim.close();

            CloseReason reason = awaitClose(victimOnServer);
            assertEquals(CloseReason.Kind.PEER_RESET, reason.kind(), reason.toString());
            assertEquals(10, handler.lines(victimOnServer).size());

            assertTrue(bystanderOnServer.isOpen());
            assertEchoes(bystander, bystanderIn, "unaffected");
            await().atMost(Loopback.WAIT).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void closesWithPeerResetWhenThePeerResetsWhileTheServerWrites() throws Exception {
        // A server that streams to each client for as long as the client lets it.
        BlockingQueue<Connection<ByteBuffer>> opened = new LinkedBlockingQueue<>();
        Handler<ByteBuffer, ByteBuffer> streamer = new Handler<>() {
            @Override
            public void onOpen(Connection<ByteBuffer> connection) {
                opened.add(connection);
                pump(connection);
            }

            @Override
            public void onMessage(Connection<ByteBuffer> connection, ByteBuffer message) {
            }

            @Override
            public void onWritabilityChanged(Connection<ByteBuffer> connection, boolean writable) {
                if (writable) {
                    pump(connection);
                }
            }

            private void pump(Connection<ByteBuffer> connection) {
                while (connection.isWritable()) {
                    connection.write(ByteBuffer.allocate(16 * 1024));
                }
            }
        };
        TcpServer<ByteBuffer, ByteBuffer> streaming = TcpServer.on(loop).bind(HOST, 0)
                .codec(BytesCodec::new).handler(streamer).start();
        try (Socket bystander = Loopback.connect(server.port());
             Socket victim = Loopback.connect(streaming.port())) {
            Connection<ByteBuffer> victimOnServer = opened.poll(Loopback.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            InputStream in = victim.getInputStream();
            byte[] some = new byte[256 * 1024];
            int read = 0;
            while (read < some.length) {
                read += in.read(some, read, some.length - read);
            }
            victim.setSoLinger(true, 0);
            victim.close();

            CloseReason reason = awaitClose(victimOnServer);
            assertEquals(CloseReason.Kind.PEER_RESET, reason.kind(), reason.toString());
            assertEchoes(bystander, Loopback.reader(bystander), "unaffected");
        } finally {
            streaming.close();
        }
    }
}
