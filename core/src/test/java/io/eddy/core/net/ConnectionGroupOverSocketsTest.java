package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.onLoop;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group whose members live on two loops, broadcast to from a thread of neither: every reading
 * member gets every message in order, and one member that never reads is skipped, its queue bounded.
 */
@Timeout(60)
class ConnectionGroupOverSocketsTest {

    private static final int READERS_PER_LOOP = 8;
    private static final int ROUNDS = 40;
    private static final int PER_ROUND = 20;
    /** Over 1 KiB, so members share one buffer rather than copy it. */
    private static final String BODY = "b".repeat(1_500);

    private EventLoop first;
    private EventLoop second;
    private ExecutorService readers;

    @BeforeEach
    void start() {
        first = EventLoop.start("group-first");
        second = EventLoop.start("group-second");
        readers = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stop() {
        readers.shutdownNow();
        first.close();
        second.close();
    }

    /** Adds every connection it opens to the group, and hands them out in the order they came. */
    private static final class Joiner implements Handler<String, String> {
        final ConnectionGroup<String> group;
        final List<CompletableFuture<Connection<String>>> opened = new ArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        Joiner(ConnectionGroup<String> group, int expected) {
            this.group = group;
            for (int i = 0; i < expected; i++) {
                opened.add(new CompletableFuture<>());
            }
        }

        @Override
        public void onOpen(Connection<String> connection) {
            group.add(connection);
            opened.get(next.getAndIncrement()).complete(connection);
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
        }
    }

    @Test
    void everyReaderOnEitherLoopGetsEveryMessageAndTheSilentMemberIsSkipped() throws Exception {
        ConnectionGroup<String> group = new ConnectionGroup<>(new LineCodec());
        Joiner onFirst = new Joiner(group, READERS_PER_LOOP);
        Joiner onSecond = new Joiner(group, READERS_PER_LOOP);
        Joiner silentJoiner = new Joiner(group, 1);
        TcpServer<String, String> a = TcpServer.on(first).bind(HOST, 0).codec(LineCodec::new).handler(onFirst).start();
        TcpServer<String, String> b = TcpServer.on(second).bind(HOST, 0).codec(LineCodec::new).handler(onSecond).start();
        // Small buffers on both sides, so the silent member's queue fills after a few rounds.
        TcpServer<String, String> s = TcpServer.on(second).bind(HOST, 0).option(SO_SNDBUF, 8 * 1024)
                .codec(LineCodec::new).handler(silentJoiner).start();

        List<Socket> sockets = new ArrayList<>();
        try (Socket silent = Loopback.connect(s.port(), 8 * 1024)) {
            for (int i = 0; i < READERS_PER_LOOP; i++) {
                sockets.add(Loopback.connect(a.port()));
                sockets.add(Loopback.connect(b.port()));
            }
            await().atMost(WAIT).until(() -> group.size() == 2 * READERS_PER_LOOP + 1);
            Connection<String> silentMember = silentJoiner.opened.get(0).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            AtomicInteger linesRead = new AtomicInteger();
            List<Future<?>> reading = new ArrayList<>();
            for (Socket socket : sockets) {
                BufferedReader in = Loopback.reader(socket);
                reading.add(readers.submit(() -> {
                    for (int i = 0; i < ROUNDS * PER_ROUND; i++) {
                        assertEquals(i + " " + BODY, in.readLine());
                        linesRead.incrementAndGet();
                    }
                    return null;
                }));
            }

            // Rounds smaller than a reader's high water mark, each read by all before the next:
            // a reader is never unwritable, so only the silent member can be skipped.
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < PER_ROUND; i++) {
                    group.broadcast(round * PER_ROUND + i + " " + BODY);
                }
                int expected = (round + 1) * PER_ROUND * sockets.size();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> linesRead.get() == expected);
            }
            for (Future<?> reader : reading) {
                reader.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }

            assertTrue(group.skipped() > 0, "the silent member was never skipped");
            assertTrue(silentMember.isOpen(), "closed: " + silentMember.closeReason());
            long pending = onLoop(second, silentMember::pendingOutboundBytes);
            assertTrue(pending <= ConnectionOptions.defaults().highWaterMark() + BODY.length() + 8,
                    pending + " bytes queued for the silent member");
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        await().atMost(WAIT).until(() -> group.size() == 0);
    }
}
