package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.assertEchoes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server's connection cap, and a client's connects that fail. */
@Timeout(30)
class ConnectionLimitsTest {

    private EventLoop loop;
    private final Loopback.EchoRecorder handler = new Loopback.EchoRecorder();

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("limits");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void closesConnectionsOverMaxConnectionsAtOnceAndKeepsTheOthers() throws Exception {
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).maxConnections(2)
                .codec(LineCodec::new).handler(handler).start();
        try (Socket first = Loopback.connect(server.port());
             Socket second = Loopback.connect(server.port())) {
            BufferedReader firstIn = Loopback.reader(first);
            BufferedReader secondIn = Loopback.reader(second);
            handler.nextOpened();
            handler.nextOpened();

            // The kernel completes the handshake; the server resets the connection as soon as it
            // accepts it: connect() or the first read fails, or the read ends. A read timeout
            // (the server kept it) is no SocketException and fails the test.
            try (Socket third = Loopback.connect(server.port())) {
                Loopback.readToEndWasReset(third);
            } catch (SocketException resetBeforeConnectReturned) {
                assertTrue(resetBeforeConnectReturned.getMessage().contains("reset"),
                        resetBeforeConnectReturned.toString());
            }
            assertEchoes(first, firstIn, "first still served");
            assertEchoes(second, secondIn, "second still served");
            assertNull(handler.opened.poll(), "the handler saw the rejected connection");
            assertEquals(2, server.connectionCount());

            // A place freed is a place taken.
            first.close();
            await().atMost(WAIT).until(() -> server.connectionCount() == 1);
            try (Socket fourth = Loopback.connect(server.port())) {
                assertEchoes(fourth, Loopback.reader(fourth), "fourth let in");
                assertEquals(2, server.connectionCount());
            }
        }
    }

    @Test
    void connectToAClosedPortFailsWithConnectException() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            port = probe.getLocalPort();
        }
        CompletableFuture<Connection<String>> connect = TcpClient.on(loop)
                .codec(LineCodec::new).handler(handler).build().connect(HOST, port);
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> connect.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(ConnectException.class, failure.getCause());
        assertNull(handler.opened.poll());
    }

    @Test
    void connectTimesOutWhenThePeerNeverAnswers() throws Exception {
        // A listener that never accepts, with a backlog of one: once its accept queue is full,
        // Linux drops further SYNs, so a connect gets no answer at all.
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket deaf = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            InetSocketAddress address = new InetSocketAddress(HOST, deaf.getLocalPort());
            boolean queueFull = false;
            for (int i = 0; i < 16 && !queueFull; i++) {
                Socket filler = new Socket();
                fillers.add(filler);
                try {
                    filler.connect(address, 200);
                } catch (SocketTimeoutException e) {
                    queueFull = true;
                } catch (IOException refused) {
                    // This system refuses past a full queue rather than ignoring: no timeout to see.
                    break;
                }
            }
            Assumptions.assumeTrue(queueFull, "this system answers connects past a full accept queue");

            CompletableFuture<Connection<String>> connect = TcpClient.on(loop)
                    .connectTimeout(Duration.ofMillis(200))
                    .codec(LineCodec::new).handler(handler).build().connect(address);
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> connect.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(SocketTimeoutException.class, failure.getCause());
            assertTrue(failure.getCause().getMessage().contains("timed out"), failure.getCause().getMessage());
        } finally {
            for (Socket filler : fillers) {
                filler.close();
            }
        }
    }
}
