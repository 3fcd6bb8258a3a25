package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat server with {@code --loops 2}: its clients on two loops, every line relayed across them. */
class ChatOnLoopsTest {

    private static final String HOST = "127.0.0.1";

    private final Output serverOut = new Output();
    private EventLoopGroup serverLoops;
    private EventLoop clientLoop;
    private ChatServer chat;

    @BeforeEach
    void startServer() throws IOException {
        serverLoops = EventLoopGroup.start("chat-loops-test", 2);
        clientLoop = EventLoop.start("chat-loops-client");
        chat = ChatServer.start(serverLoops, HOST, 0, serverOut.stream());
    }

    @AfterEach
    void stop() {
        clientLoop.close();
        serverLoops.close();
    }

    @Test
    void relaysBetweenClientsOnDifferentLoops() {
        List<BlockingQueue<String>> received = List.of(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(),
                new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        List<ChatClient> clients = received.stream()
                .map(lines -> ChatClient.connect(clientLoop, HOST, chat.port(), lines::add).orTimeout(20, SECONDS).join())
                .toList();
        await().atMost(20, SECONDS).until(() -> chat.server().connectionCount() == 4);
        for (EventLoop loop : serverLoops) {
            assertEquals(2, loop.openConnections(), loop + " serves two of the four clients");
        }
        for (int from = 0; from < clients.size(); from++) {
            clients.get(from).send("from " + from);
            assertEquals("got: from " + from, next(received.get(from)));
            for (int to = 0; to < clients.size(); to++) {
                if (to != from) {
                    String line = next(received.get(to));
                    assertTrue(line.matches("\\[127\\.0\\.0\\.1:\\d+] from " + from), line);
                }
            }
        }
    }

    private static String next(BlockingQueue<String> lines) {
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
