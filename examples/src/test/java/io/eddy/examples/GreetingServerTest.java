package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.TcpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GreetingServerTest {

    private static final String HOST = "127.0.0.1";
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    private static EventLoop serverLoop;
    private static EventLoop clientLoop;
    private static TcpServer<String, String> server;

    @BeforeAll
    static void startServer() throws IOException {
        serverLoop = EventLoop.start("greeting-server-test");
        clientLoop = EventLoop.start("greeting-client-test");
        server = GreetingServer.start(serverLoop, HOST, 0);
    }

    @AfterAll
    static void stop() {
        clientLoop.close();
        serverLoop.close();
    }

    @Test
    void greetsAnEddyClient() throws Exception {
        assertEquals("hello", GreetingClient.greet(clientLoop, HOST, server.port()).get(20, SECONDS));
    }

    @Test
    void greetsAPlainSocketWithExactlyHelloAndWaitsForItToClose() throws IOException {
        try (Socket socket = socket()) {
            InputStream in = socket.getInputStream();
            assertArrayEquals(HELLO, in.readNBytes(HELLO.length));
            // As the tutorial's client does: send after the greeting, and more than once.
            socket.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write("and more\n".getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            // The server closes only now, in order: no extra bytes, no reset.
            assertEquals(-1, in.read());
        }
    }

    @Test
    void greetsFiftyClientsConnectedAtOnce() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                sockets.add(socket());
            }
            await().atMost(20, SECONDS).until(() -> server.connectionCount() >= 50);
            for (Socket socket : sockets) {
                assertArrayEquals(HELLO, socket.getInputStream().readNBytes(HELLO.length));
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void greetsFiftyEddyClientsConcurrently() {
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            replies.add(GreetingClient.greet(clientLoop, HOST, server.port()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).orTimeout(20, SECONDS).join();
        replies.forEach(reply -> assertEquals("hello", reply.join()));
    }

    @Test
    void clientProgramPrintsTheReply() throws IOException {
        Output out = new Output();
        assertEquals(0, GreetingClient.run(arguments(server.port()), out.stream()));
        assertTrue(out.contains("server replied: hello"), out.text());
    }

    @Test
    void clientProgramFailsClearlyWhenNothingListens() throws IOException {
        int port = freePort();
        IOException e = assertThrows(IOException.class, () -> GreetingClient.run(arguments(port), new Output().stream()));
        assertTrue(e.getMessage().startsWith("cannot greet 127.0.0.1:" + port + ": "), e.getMessage());
    }

    static Arguments arguments(int port) {
        return Arguments.parse(List.of("--host", HOST, "--port", String.valueOf(port)), Set.of("host", "port"));
    }

    /** A port nobody listens on: one the system just handed out and took back. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static Socket socket() throws IOException {
        Socket socket = new Socket(HOST, server.port());
        socket.setSoTimeout(20_000);
        return socket;
    }
}
