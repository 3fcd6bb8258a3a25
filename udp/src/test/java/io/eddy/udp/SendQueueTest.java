package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import io.eddy.udp.internal.SendQueue;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The send queue's bound and drop policy. Linux loopback never reports a full send buffer, however
 * small SO_SNDBUF is and whether or not anyone reads (the kernel hands each datagram to the
 * receiver's queue, or drops it there, within the send call), so the tests that need a full socket
 * hold it "full" through the endpoint's socket wrapper; the datagrams then go out over real
 * loopback. The hand-off from other threads is filled by holding the loop busy instead.
 */
class SendQueueTest {

    // The hand-off test holds the loop on purpose: no stall warnings.
    private final EventLoop loop = EventLoop.builder().name("udp-send-queue-test").stallThreshold(Duration.ZERO).start();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Makes the socket refuse every datagram (no room) while shut. */
    private static final class Valve implements UnaryOperator<SendQueue.Socket> {
        volatile boolean shut;

        @Override
        public SendQueue.Socket apply(SendQueue.Socket socket) {
            return (payload, target) -> shut ? 0 : socket.send(payload, target);
        }
    }

    private record Snapshot(int queued, UdpCounters counters) {
    }

    @ParameterizedTest
    @EnumSource(DropPolicy.class)
    void aFullSocketFillsTheQueueToItsLimitAndThePolicyDropsTheRest(DropPolicy policy) throws Exception {
        Valve valve = new Valve();
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = textEndpoint(4, policy, valve);

            // One loop task: the socket is full, ten datagrams are sent, then it has room again.
            Snapshot whileFull = Udp.onLoop(loop, () -> {
                valve.shut = true;
                for (int i = 0; i < 10; i++) {
                    endpoint.send(peer.address(), "d" + i);
                }
                Snapshot snapshot = new Snapshot(endpoint.queuedDatagrams(), endpoint.counters());
                valve.shut = false;
                return snapshot;
            });

            assertEquals(4, whileFull.queued());
            assertEquals(6, whileFull.counters().droppedQueueFull());
            assertEquals(0, whileFull.counters().datagramsOut());
            for (int i : policy == DropPolicy.DROP_NEWEST ? new int[] {0, 1, 2, 3} : new int[] {6, 7, 8, 9}) {
                assertEquals("d" + i, peer.receiveText());
            }
            await().atMost(WAIT).until(() -> endpoint.queuedDatagrams() == 0 && endpoint.counters().datagramsOut() == 4);
        }
    }

    @ParameterizedTest
    @EnumSource(DropPolicy.class)
    void sendsFromAnotherThreadWhileTheLoopIsBusyAreHeldToTheSameLimit(DropPolicy policy) throws Exception {
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = textEndpoint(8, policy, UnaryOperator.identity());
            CountDownLatch release = holdLoop();

            for (int i = 0; i < 30; i++) {
                endpoint.send(peer.address(), "d" + i);
            }
            assertEquals(8, endpoint.queuedDatagrams());
            assertEquals(22, endpoint.counters().droppedQueueFull());
            release.countDown();

            IntStream kept = policy == DropPolicy.DROP_NEWEST ? IntStream.range(0, 8) : IntStream.range(22, 30);
            for (int i : kept.toArray()) {
                assertEquals("d" + i, peer.receiveText());
            }
            await().atMost(WAIT).until(() -> endpoint.queuedDatagrams() == 0 && endpoint.counters().datagramsOut() == 8);
        }
    }

    @Test
    void datagramsStillQueuedWhenTheEndpointClosesAreCountedAsUnsent() throws Exception {
        Valve valve = new Valve();
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = textEndpoint(16, DropPolicy.DROP_NEWEST, valve);

            UdpCounters afterClose = Udp.onLoop(loop, () -> {
                valve.shut = true;
                for (int i = 0; i < 3; i++) {
                    endpoint.send(peer.address(), "d" + i);
                }
                endpoint.close();
                endpoint.send(peer.address(), "after close");
                return endpoint.counters();
            });

            assertEquals(0, afterClose.datagramsOut());
            assertEquals(4, afterClose.droppedUnsent());
            assertEquals(0, endpoint.queuedDatagrams());
        }
    }

    @Test
    void closeRightAfterSendsFromAnotherThreadStillSendsThem() throws Exception {
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = textEndpoint(4096, DropPolicy.DROP_NEWEST, UnaryOperator.identity());
            CountDownLatch release = holdLoop();

            for (int i = 0; i < 2000; i++) {
                endpoint.send(peer.address(), "d" + i);
            }
            endpoint.close();
            release.countDown();
            endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            UdpCounters counters = endpoint.counters();
            assertEquals(2000, counters.datagramsOut(), counters.toString());
            assertEquals(0, counters.dropped(), counters.toString());
            assertEquals("d0", peer.receiveText());
        }
    }

    @Test
    void sendsFromOtherThreadsRacingWithCloseAreEachSentOrCountedAsDropped() throws Exception {
        int threads = 3;
        int each = 300;
        try (Udp.Peer peer = new Udp.Peer()) {
            for (int round = 0; round < 20; round++) {
                UdpEndpoint<ByteBuffer, ByteBuffer> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                        .sendQueue(64, DropPolicy.DROP_OLDEST)
                        .start();
                CountDownLatch go = new CountDownLatch(1);
                List<Thread> senders = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Thread sender = new Thread(() -> {
                        awaitQuietly(go);
                        for (int i = 0; i < each; i++) {
                            endpoint.send(peer.address(), ByteBuffer.allocate(8));
                        }
                    });
                    sender.start();
                    senders.add(sender);
                }
                go.countDown();
                endpoint.close();
                for (Thread sender : senders) {
                    sender.join(WAIT.toMillis());
                }
                endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

                await().atMost(WAIT).until(() -> endpoint.queuedDatagrams() == 0);
                UdpCounters counters = endpoint.counters();
                assertEquals(threads * each, counters.datagramsOut() + counters.dropped(), counters.toString());
            }
        }
    }

    /**
     * Not the queue at work: on Linux loopback the kernel hands each datagram to the receiving
     * socket, or drops it there when that socket is full, within the send call, so however small
     * the buffers a sender neither blocks nor queues, and it cannot tell what was lost.
     */
    @Test
    void onLoopbackAReceiverThatNeverReadsLosesDatagramsWithoutTheSenderQueueingAny() throws Exception {
        try (DatagramChannel idle = DatagramChannel.open()) {
            idle.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            idle.bind(new InetSocketAddress(HOST, 0));
            InetSocketAddress target = (InetSocketAddress) idle.getLocalAddress();
            UdpEndpoint<ByteBuffer, ByteBuffer> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                    .option(StandardSocketOptions.SO_SNDBUF, 4096)
                    .sendQueue(64, DropPolicy.DROP_OLDEST)
                    .start();
            ByteBuffer payload = ByteBuffer.allocate(1024);

            int mostQueued = Udp.onLoop(loop, () -> {
                int most = 0;
                for (int i = 0; i < 10_000; i++) {
                    endpoint.send(target, payload);
                    most = Math.max(most, endpoint.queuedDatagrams());
                }
                return most;
            });

            assertEquals(0, mostQueued);
            UdpCounters counters = endpoint.counters();
            assertEquals(10_000, counters.datagramsOut(), counters.toString());
            assertEquals(0, counters.dropped(), counters.toString());
            idle.configureBlocking(false);
            int held = 0;
            while (idle.receive(ByteBuffer.allocate(2048)) != null) {
                held++;
            }
            assertTrue(held < 10_000, "the receiver held all " + held);
        }
    }

    /** Keeps the loop busy until the returned latch is counted down. */
    private CountDownLatch holdLoop() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            holding.countDown();
            awaitQuietly(release);
        });
        assertTrue(holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return release;
    }

    private UdpEndpoint<String, String> textEndpoint(int limit, DropPolicy policy,
                                                     UnaryOperator<SendQueue.Socket> socket) throws Exception {
        return UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .sendQueue(limit, policy)
                .wrapSocket(socket)
                .start();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
