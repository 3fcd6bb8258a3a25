package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.awaitClose;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Half-closed TCP connections, in both directions. */
@Timeout(30)
class HalfCloseTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("half-close");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void deliversEveryLineBeforeTellingTheHandlerThePeerHalfClosedAndCanStillReply() throws Exception {
        CompletableFuture<Integer> linesAtInputClosed = new CompletableFuture<>();
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            public void onInputClosed(Connection<String> connection) {
                int lines = lines(connection).size();
                linesAtInputClosed.complete(lines);
                connection.write("bye after " + lines + " lines");
                connection.close();
            }
        };
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .codec(LineCodec::new).handler(handler).start();
        try (Socket socket = Loopback.connect(server.port())) {
            Connection<String> onServer = handler.nextOpened();
            StringBuilder all = new StringBuilder();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.append("line ").append(i).append('\n');
                expected.add("line " + i);
            }
            // A last line without its newline: still a line once the stream ends.
            all.append("unterminated");
            expected.add("unterminated");
            Loopback.send(socket, all.toString());
            socket.shutdownOutput();

            BufferedReader in = Loopback.reader(socket);
            for (String line : expected) {
                assertEquals(line, in.readLine());
            }
            assertEquals("bye after 101 lines", in.readLine());
            assertNull(in.readLine());

            assertEquals(101, linesAtInputClosed.get(Loopback.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(expected, handler.lines(onServer));
            assertEquals(CloseReason.Kind.PEER_CLOSED, awaitClose(onServer).kind());
        }
    }

    @Test
    void shutdownOutputSendsEofWhileThePeerCanStillSend() throws Exception {
        CompletableFuture<Throwable> writeAfterShutdown = new CompletableFuture<>();
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            public void onOpen(Connection<String> connection) throws Exception {
                super.onOpen(connection);
                connection.write("hello, and that is all from me");
                connection.shutdownOutput();
            }

            @Override
            void reply(Connection<String> connection, String line) {
                // Output is shut: this write must fail, not vanish.
                connection.write(line, writeAfterShutdown::complete);
            }
        };
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .codec(LineCodec::new).handler(handler).start();
        try (Socket socket = Loopback.connect(server.port())) {
            Connection<String> onServer = handler.nextOpened();
            BufferedReader in = Loopback.reader(socket);
            assertEquals("hello, and that is all from me", in.readLine());
            assertNull(in.readLine());

            Loopback.send(socket, "one\ntwo\n");
            Loopback.send(socket, "three\n");
            await().atMost(Loopback.WAIT).until(() -> handler.lines(onServer).size() == 3);
            assertEquals(List.of("one", "two", "three"), handler.lines(onServer));
            assertInstanceOf(ClosedConnectionException.class,
                    writeAfterShutdown.get(Loopback.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(onServer.isOpen());

            // Our FIN ends the other direction too: the connection is closed, by the peer.
            socket.shutdownOutput();
            assertEquals(CloseReason.Kind.PEER_CLOSED, awaitClose(onServer).kind());
        }
    }
}
