package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.net.StandardSocketOptions.SO_SNDBUF;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One broadcast from one loop to 1,000 members spread over 4 loops, one of which never reads:
 * every reader gets every message in order, the silent member is skipped, and what is queued for
 * it stays under its high water mark.
 */
@Timeout(120)
class BroadcastOverLoopsTest {

    private static final int READERS = 999;
    private static final int ROUNDS = 40;
    private static final int PER_ROUND = 20;
    private static final String BODY = "m".repeat(200);

    private EventLoopGroup serverLoops;
    private EventLoop clientLoop;

    @BeforeEach
    void start() {
        serverLoops = EventLoopGroup.start("broadcast-server", 4);
        clientLoop = EventLoop.start("broadcast-readers");
    }

    @AfterEach
    void stop() {
        clientLoop.close();
        serverLoops.close();
    }

    /** Counts the lines it reads and remembers the first one out of order. */
    private static final class Reader implements Handler<String, String> {
        private final AtomicInteger total;
        private final AtomicReference<String> wrong;
        private int next;

        Reader(AtomicInteger total, AtomicReference<String> wrong) {
            this.total = total;
            this.wrong = wrong;
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            if (!line.equals(next++ + " " + BODY)) {
                wrong.compareAndSet(null, "expected message " + (next - 1) + ", got " + line.substring(0, Math.min(12, line.length())));
            }
            total.incrementAndGet();
        }
    }

    @Test
    void everyReaderOnEveryLoopGetsEveryMessageAndTheSilentOneIsSkipped() throws Exception {
        ConnectionGroup<String> members = new ConnectionGroup<>(new LineCodec());
        AtomicReference<Connection<String>> silentMember = new AtomicReference<>();
        CompletableFuture<Void> silentJoined = new CompletableFuture<>();
        TcpServer<String, String> server = TcpServer.on(serverLoops).bind(HOST, 0)
                .maxConnections(2_000)
                .option(SO_SNDBUF, 8 * 1024) // small, so the silent member's queue fills soon
                .codec(LineCodec::new)
                .handler(new Handler<String, String>() { // shared by the loops: it touches only thread-safe state
                    @Override
                    public void onOpen(Connection<String> connection) {
                        members.add(connection);
                    }

                    @Override
                    public void onMessage(Connection<String> connection, String line) {
                        if (line.equals("silent") && silentMember.compareAndSet(null, connection)) {
                            silentJoined.complete(null);
                        }
                    }
                })
                .start();

        try (Socket silent = Loopback.connect(server.port(), 8 * 1024)) {
            silent.getOutputStream().write("silent\n".getBytes());
            silentJoined.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            AtomicInteger read = new AtomicInteger();
            AtomicReference<String> wrong = new AtomicReference<>();
            TcpClient<String, String> readers = TcpClient.on(clientLoop).codec(LineCodec::new)
                    .handlerPerConnection(() -> new Reader(read, wrong)).build();
            List<CompletableFuture<Connection<String>>> connecting = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                connecting.add(readers.connect(HOST, server.port()));
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> members.size() == READERS + 1);
            for (EventLoop loop : serverLoops) {
                assertTrue(loop.openConnections() >= 200, loop + " holds " + loop.openConnections());
            }

            EventLoop sender = serverLoops.loops().get(0);
            for (int round = 0; round < ROUNDS; round++) {
                int first = round * PER_ROUND;
                sender.execute(() -> {
                    for (int i = 0; i < PER_ROUND; i++) {
                        members.broadcast(first + i + " " + BODY);
                    }
                });
                // Each round is read by all before the next: no reader is ever unwritable.
                int expected = (round + 1) * PER_ROUND * READERS;
                await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> read.get() == expected);
            }

            assertNull(wrong.get(), wrong.get());
            assertTrue(members.skipped() > 0, "the silent member was never skipped");
            Connection<String> member = silentMember.get();
            assertTrue(member.isOpen(), "closed: " + member.closeReason());
            CompletableFuture<Long> pending = new CompletableFuture<>();
            member.loop().execute(() -> pending.complete(member.pendingOutboundBytes()));
            long queued = pending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(queued <= ConnectionOptions.defaults().highWaterMark() + BODY.length() + 8,
                    queued + " bytes queued for the silent member");
            readers.close();
        }
    }
}
