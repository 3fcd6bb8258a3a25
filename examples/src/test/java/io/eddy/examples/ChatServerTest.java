package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatServerTest {

    private static final String HOST = "127.0.0.1";

    private final Output serverOut = new Output();
    private EventLoop serverLoop;
    private EventLoop clientLoop;
    private ChatServer chat;

    @BeforeEach
    void startServer() throws IOException {
        serverLoop = EventLoop.start("chat-server-test");
        clientLoop = EventLoop.start("chat-client-test");
        chat = ChatServer.start(serverLoop, HOST, 0, serverOut.stream());
    }

    @AfterEach
    void stop() {
        clientLoop.close();
        serverLoop.close();
    }

    @Test
    void relaysLinesBothWaysManyTimesOverOneConnection() {
        Client a = connect();
        Client b = connect();
        awaitClients(2);

        for (int i = 0; i < 50; i++) {
            a.chat.send("from a " + i);
            assertEquals("got: from a " + i, a.next());
            assertRelayed("from a " + i, b.next());

            b.chat.send("from b " + i);
            assertEquals("got: from b " + i, b.next());
            assertRelayed("from b " + i, a.next());
        }
        assertTrue(serverOut.text().lines().anyMatch(line -> line.endsWith("] from b 49")), serverOut.text());
    }

    @Test
    void relaysEveryLineToAReaderWhileAMemberThatNeverReadsFallsBehind() throws IOException {
        try (Socket silent = new Socket()) {
            // A small window: the silent member's queue fills after a few hundred kilobytes.
            silent.setReceiveBufferSize(8 * 1024);
            silent.connect(new InetSocketAddress(HOST, chat.port()));
            Client sender = connect();
            Client reader = connect();
            awaitClients(3);

            // One at a time, each after the last was answered: the server frames whatever text has
            // arrived as a message, so pipelined lines could be cut where a read ends.
            String padding = "p".repeat(1_000);
            int messages = 2_000;
            for (int i = 0; i < messages; i++) {
                sender.chat.send("flood " + i + " " + padding);
                assertEquals("got: flood " + i + " " + padding, sender.next());
                assertRelayed("flood " + i + " " + padding, reader.next());
            }

            assertEquals(3, chat.server().connectionCount(), "a member was dropped");
            assertStillServes(reader, 4);
        }
    }

    @Test
    void answersAMessageWithoutNewlineAsTheTutorialClientSendsIt() throws IOException {
        try (Socket socket = new Socket(HOST, chat.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write("正在连接主机".getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));

            assertEquals("got: 正在连接主机", in.readLine());
            assertTrue(serverOut.text().lines().anyMatch(line -> line.matches("\\[127\\.0\\.0\\.1:\\d+] 正在连接主机")),
                    serverOut.text());
        }
    }

    @Test
    void sendsConsoleLinesToEveryClientAndServesOnAfterTheConsoleEnds() {
        Client a = connect();
        Client b = connect();
        awaitClients(2);

        Thread console = chat.readConsole(new StringReader("hello everyone\n\nsecond\n"));

        for (Client client : new Client[] {a, b}) {
            assertEquals("[server] hello everyone", client.next());
            assertEquals("[server] second", client.next());
        }
        await().atMost(20, SECONDS).until(() -> !console.isAlive());
        assertStillServes(a, 3);
    }

    @Test
    void servesOnWhenThereIsNoConsoleToRead() {
        Thread console = chat.readConsole(new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("Bad file descriptor");
            }

            @Override
            public void close() {
            }
        });
        await().atMost(20, SECONDS).until(() -> !console.isAlive());
        assertStillServes(connect(), 2);
    }

    @Test
    void clientProgramEndsCleanlyAtTheEndOfItsInput() {
        Output out = new Output();
        ByteArrayInputStream stdin = new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8));

        int status = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ChatClient.run(HOST, chat.port(), stdin, out.stream()));

        assertEquals(0, status);
        assertTrue(out.contains("got: one") && out.contains("got: two"), out.text());
        await().atMost(20, SECONDS).until(() -> chat.server().connectionCount() == 0);
    }

    @Test
    void clientProgramSaysSoWhenTheServerCloses() throws Exception {
        Output out = new Output();
        try (PipedOutputStream keyboard = new PipedOutputStream()) {
            PipedInputStream stdin = new PipedInputStream(keyboard);
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> {
                try {
                    return ChatClient.run(HOST, chat.port(), stdin, out.stream());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitClients(1);

            chat.close();

            assertEquals(0, status.get(30, SECONDS));
            assertTrue(out.contains("the server closed the connection"), out.text());
        }
    }

    /** A newcomer is answered, and {@code client} hears it; {@code clients} are connected then. */
    private void assertStillServes(Client client, int clients) {
        Client newcomer = connect();
        awaitClients(clients);
        newcomer.chat.send("still there?");
        assertEquals("got: still there?", newcomer.next());
        assertRelayed("still there?", client.next());
    }

    private static void assertRelayed(String text, String line) {
        assertTrue(line.matches("\\[127\\.0\\.0\\.1:\\d+] " + Pattern.quote(text)), line);
    }

    private void awaitClients(int count) {
        await().atMost(20, SECONDS).until(() -> chat.server().connectionCount() == count);
    }

    private Client connect() {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        ChatClient client = ChatClient.connect(clientLoop, HOST, chat.port(), lines::add).orTimeout(20, SECONDS).join();
        return new Client(client, lines);
    }

    /** One of our chat clients, and the lines it has received. */
    private record Client(ChatClient chat, BlockingQueue<String> lines) {
        String next() {
            try {
                String line = lines.poll(20, SECONDS);
                assertNotNull(line, "no line within 20 s");
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
