package io.eddy.core.net;

import static java.net.StandardSocketOptions.SO_SNDBUF;
import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.awaitClose;
import static io.eddy.core.net.Loopback.onLoop;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.net.ConnectException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Closing with bytes still queued: by the connection, and by the whole loop. */
@Timeout(30)
class GracefulCloseTest {

    private static final int LINES = 1024;
    /** With the newline, 1 MiB in all. */
    private static final int LINE_LENGTH = 1023;
    /** Small socket buffers on both sides, so most of the 1 MiB is still queued when close() is called. */
    private static final int SOCKET_BUFFER = 16 * 1024;

    private static String line(int i) {
        String head = i + " ";
        return head + "-".repeat(LINE_LENGTH - head.length());
    }

    private static void writeMebibyte(Connection<String> connection) {
        for (int i = 0; i < LINES; i++) {
            connection.write(line(i));
        }
    }

    private static void assertReceivesMebibyteThenEof(Socket socket) throws Exception {
        BufferedReader in = Loopback.reader(socket);
        for (int i = 0; i < LINES; i++) {
            assertEquals(line(i), in.readLine());
        }
        assertNull(in.readLine());
    }

    @Test
    void closeDeliversEveryQueuedByteBeforeEof() throws Exception {
        CompletableFuture<Long> pendingAtClose = new CompletableFuture<>();
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            void reply(Connection<String> connection, String line) {
                writeMebibyte(connection);
                connection.close();
                pendingAtClose.complete(connection.pendingOutboundBytes());
            }
        };
        try (EventLoop loop = EventLoop.start("close")) {
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                    .option(SO_SNDBUF, SOCKET_BUFFER)
                    .codec(LineCodec::new).handler(handler).start();
            try (Socket socket = Loopback.connect(server.port(), SOCKET_BUFFER)) {
                Connection<String> onServer = handler.nextOpened();
                Loopback.send(socket, "go\n");
                assertEquals((long) LINES * (LINE_LENGTH + 1), pendingAtClose.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertFalse(onServer.isOpen(), "closing, not open");

                assertReceivesMebibyteThenEof(socket);
                assertEquals(CloseReason.Kind.LOCAL_CLOSE, awaitClose(onServer).kind());
            }
        }
    }

    @Test
    void loopCloseDeliversQueuedBytesAndClosesEveryConnectionWithLoopClosed() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            void reply(Connection<String> connection, String line) {
                writeMebibyte(connection);
            }
        };
        EventLoop loop = EventLoop.start("loop-close");
        Thread closer = new Thread(loop::close, "closer");
        try {
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                    .option(SO_SNDBUF, SOCKET_BUFFER)
                    .codec(LineCodec::new).handler(handler).start();
            try (Socket busy = Loopback.connect(server.port(), SOCKET_BUFFER);
                 Socket idle = Loopback.connect(server.port())) {
                Connection<String> busyOnServer = handler.nextOpened();
                Connection<String> idleOnServer = handler.nextOpened();
                Loopback.send(busy, "go\n");
                // The busy client does not read yet: the server is left with bytes queued.
                await().atMost(WAIT).until(() -> onLoop(loop, busyOnServer::pendingOutboundBytes) > 0);

                // close() waits for the loop to end, which needs this thread to read: close from another.
                closer.start();
                assertReceivesMebibyteThenEof(busy);
                assertNull(Loopback.reader(idle).readLine());
                closer.join(WAIT.toMillis());
                assertFalse(closer.isAlive(), "EventLoop.close() did not return");
                assertTrue(loop.terminationFuture().isDone());

                assertEquals(CloseReason.Kind.LOOP_CLOSED, awaitClose(busyOnServer).kind());
                assertEquals(CloseReason.Kind.LOOP_CLOSED, awaitClose(idleOnServer).kind());
                assertEquals(0, server.connectionCount());
                assertThrows(ConnectException.class, () -> Loopback.connect(server.port()).close(),
                        "the listener was closed with the loop");
            }
        } finally {
            loop.close();
        }
    }
}
