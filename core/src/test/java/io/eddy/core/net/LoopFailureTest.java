package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.assertEchoes;
import static io.eddy.core.net.Loopback.awaitClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What happens to connections when their loop meets the worst: stack overflows, fatal errors, never running. */
@Timeout(30)
class LoopFailureTest {

    @Test
    void aStackOverflowInAHandlerClosesOnlyThatConnection() throws Exception {
        var handler = new Loopback.EchoRecorder() {
            @Override
            void reply(Connection<String> connection, String line) {
                if (line.equals("recurse")) {
                    recurse(0);
                }
                connection.write(line);
            }

            private int recurse(int depth) {
                return recurse(depth + 1) + 1;
            }
        };
        try (EventLoop loop = EventLoop.start("overflow")) {
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                    .codec(LineCodec::new).handler(handler).start();
            try (Socket bystander = Loopback.connect(server.port());
                 Socket victim = Loopback.connect(server.port())) {
                handler.nextOpened();
                Connection<String> victimOnServer = handler.nextOpened();

                Loopback.send(victim, "recurse\n");

                CloseReason reason = awaitClose(victimOnServer);
                assertEquals(CloseReason.Kind.HANDLER_FAILURE, reason.kind());
                assertInstanceOf(StackOverflowError.class, reason.cause());
                assertTrue(loop.isRunning());
                assertEchoes(bystander, Loopback.reader(bystander), "still served");
            }
        }
    }

    @Test
    void aFatalErrorEndsTheLoopButClosesEveryConnectionFirst() throws Exception {
        var handler = new Loopback.EchoRecorder() {
            @Override
            void reply(Connection<String> connection, String line) {
                if (line.equals("fatal")) {
                    throw new OutOfMemoryError("pretend the heap is gone");
                }
                connection.write(line);
            }
        };
        EventLoop loop = EventLoop.start("fatal");
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .codec(LineCodec::new).handler(handler).start();
        try (Socket bystander = Loopback.connect(server.port());
             Socket victim = Loopback.connect(server.port())) {
            Connection<String> bystanderOnServer = handler.nextOpened();
            Connection<String> victimOnServer = handler.nextOpened();

            Loopback.send(victim, "fatal\n");

            CompletionException ended = assertThrows(CompletionException.class,
                    () -> loop.terminationFuture().join());
            assertInstanceOf(OutOfMemoryError.class, ended.getCause());
            assertEquals(CloseReason.Kind.LOOP_CLOSED, awaitClose(bystanderOnServer).kind());
            assertEquals(CloseReason.Kind.LOOP_CLOSED, awaitClose(victimOnServer).kind());
            assertTrue(Loopback.readToEndWasReset(bystander), "the peer is told, not left hanging");
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void closingALoopThatNeverRanReleasesTheServerItWasGiven() throws Exception {
        EventLoop loop = EventLoop.builder().name("never-run").build();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .codec(LineCodec::new).handler((connection, line) -> { }).start();

        loop.close();

        assertFalse(loop.isRunning());
        try (ServerSocketChannel again = ServerSocketChannel.open()) {
            again.bind(server.localAddress());      // throws if the port were still held
            assertEquals(server.port(), ((java.net.InetSocketAddress) again.getLocalAddress()).getPort());
        }
    }
}
