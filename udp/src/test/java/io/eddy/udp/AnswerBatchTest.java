package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import io.eddy.udp.internal.SendBatch;
import io.eddy.udp.internal.SendQueue;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a handler sends while the endpoint hands it received datagrams leaves once that batch has
 * been delivered: in the order it was sent, nothing lost, also when the handler closes the
 * endpoint or the socket is full. Over real loopback.
 */
class AnswerBatchTest {

    private final EventLoop loop = EventLoop.start("udp-answer-batch-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void answersLeaveAfterTheDeliveryInTheOrderTheyWereSent() throws Exception {
        List<Long> sentDuringTheHandler = new CopyOnWriteArrayList<>();
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                    .codec(TextDatagramCodec::new)
                    .handler((self, datagram) -> {
                        long before = self.counters().datagramsOut();
                        for (String part : new String[] {"a", "b", "c"}) {
                            self.send(datagram.sender(), datagram.payload() + "-" + part);
                        }
                        sentDuringTheHandler.add(self.counters().datagramsOut() - before);
                    })
                    .start();
            int requests = 40;
            for (int i = 0; i < requests; i++) {
                peer.send(endpoint.localAddress(), "q" + i);
            }

            for (int i = 0; i < requests; i++) {
                for (String part : new String[] {"a", "b", "c"}) {
                    assertEquals("q" + i + "-" + part, peer.receiveText());
                }
            }
            // Inside the handler its answers were still waiting: none went out during delivery.
            assertEquals(requests, sentDuringTheHandler.size());
            assertTrue(sentDuringTheHandler.stream().allMatch(n -> n == 0), "sent during delivery: " + sentDuringTheHandler);
            await().atMost(WAIT).until(() -> endpoint.counters().datagramsOut() == 3L * requests);
        }
    }

    @Test
    void aLargeAnswerThatDoesNotFitBehindTheKeptOnesLeavesAfterThem() throws Exception {
        byte[] large = new byte[UdpEndpoint.MAX_PAYLOAD];
        Arrays.fill(large, (byte) 'L');
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<byte[], byte[]> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                    .codec(BytesArrayCodec::new)
                    .handler((self, datagram) -> {
                        self.send(datagram.sender(), "small-1".getBytes());
                        self.send(datagram.sender(), large);
                        self.send(datagram.sender(), "small-2".getBytes());
                    })
                    .start();
            peer.send(endpoint.localAddress(), "go");

            assertEquals("small-1", peer.receiveText());
            DatagramPacket big = peer.receive();
            assertArrayEquals(large, Arrays.copyOfRange(big.getData(), big.getOffset(), big.getOffset() + big.getLength()));
            assertEquals("small-2", peer.receiveText());
        }
    }

    @Test
    void aHandlerThatAnswersThenClosesStillSendsItsAnswer() throws Exception {
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                    .codec(TextDatagramCodec::new)
                    .handler((self, datagram) -> {
                        self.send(datagram.sender(), "bye");
                        self.close();
                    })
                    .start();
            peer.send(endpoint.localAddress(), "hello");

            assertEquals("bye", peer.receiveText());
            endpoint.closeFuture().get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertEquals(1, endpoint.counters().datagramsOut());
            assertEquals(0, endpoint.counters().droppedUnsent());
        }
    }

    @Test
    void answersMeetingAFullSocketWaitInTheQueueInOrder() throws Exception {
        Valve valve = new Valve();
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                    .codec(TextDatagramCodec::new)
                    .wrapSocket(valve)
                    .handler((self, datagram) -> {
                        valve.shut = true;      // full when the batch goes out; room again at the next wake-up
                        for (int i = 0; i < 5; i++) {
                            self.send(datagram.sender(), "answer " + i);
                        }
                        loop.execute(() -> valve.shut = false);
                    })
                    .start();
            peer.send(endpoint.localAddress(), "go");

            List<String> received = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                received.add(peer.receiveText());
            }
            assertEquals(List.of("answer 0", "answer 1", "answer 2", "answer 3", "answer 4"), received);
            assertEquals(0, endpoint.counters().dropped());
        }
    }

    @Test
    void aRequestMadeFromTheHandlerLeavesAfterWhatTheHandlerSentBeforeIt() throws Exception {
        AtomicReference<UdpRequester<String, String>> requester = new AtomicReference<>();
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0)
                            .codec(TextDatagramCodec::new)
                            .handler((self, datagram) -> {
                                self.send(datagram.sender(), "first");
                                requester.get().request(datagram.sender(), "second");
                            }))
                    .timeout(WAIT)
                    .retries(0)
                    .start();
            requester.set(client);
            peer.send(client.endpoint().localAddress(), "unasked");

            // One thread sent both: they leave in the order they were sent.
            assertEquals("first", peer.receiveText());
            assertEquals("second", peer.receiveText());
            client.close();
        }
    }

    @Test
    void aHandlerThatSendsManySmallDatagramsKeepsAtMostABatchOfThemBack() throws Exception {
        int answers = 10_000;
        List<Long> outAfterSending = new CopyOnWriteArrayList<>();
        try (Udp.Peer peer = new Udp.Peer()) {
            UdpEndpoint<byte[], byte[]> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                    .codec(BytesArrayCodec::new)
                    .handler((self, datagram) -> {
                        for (int i = 0; i < answers; i++) {
                            self.send(datagram.sender(), new byte[0]);
                        }
                        outAfterSending.add(self.counters().datagramsOut());
                    })
                    .start();
            peer.send(endpoint.localAddress(), "go");

            await().atMost(WAIT).until(() -> endpoint.counters().datagramsOut() == answers);
            // What waits for the end of the delivery is bounded, like everything else a send keeps.
            assertEquals(1, outAfterSending.size());
            assertTrue(outAfterSending.get(0) >= answers - SendBatch.MAX_DATAGRAMS,
                    "kept back until the batch ended: " + (answers - outAfterSending.get(0)));
        }
    }

    @Test
    void anEndpointThatHasNotAnsweredDuringADeliveryHoldsNoDirectMemoryForIt() throws Exception {
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct"))
                .findFirst().orElseThrow();
        int endpoints = 32;
        List<UdpEndpoint<String, String>> started = new ArrayList<>();
        long before = direct.getMemoryUsed();
        for (int i = 0; i < endpoints; i++) {
            started.add(UdpEndpoint.on(loop).bind(HOST, 0)
                    .codec(TextDatagramCodec::new)
                    .handler((self, datagram) -> self.send(datagram.sender(), "answer"))
                    .start());
        }
        long grown = direct.getMemoryUsed() - before;
        started.forEach(UdpEndpoint::close);

        // Senders, requesters and quiet receivers are many where answering servers are few.
        assertTrue(grown < endpoints * 64L * 1024 / 2, "direct memory for " + endpoints + " idle endpoints: " + grown);
    }

    /** Makes the socket refuse every datagram (no room) while shut. */
    private static final class Valve implements UnaryOperator<SendQueue.Socket> {
        volatile boolean shut;

        @Override
        public SendQueue.Socket apply(SendQueue.Socket socket) {
            return (payload, target) -> shut ? 0 : socket.send(payload, target);
        }
    }

    /** Byte arrays as they are. */
    private static final class BytesArrayCodec implements io.eddy.udp.codec.DatagramCodec<byte[], byte[]> {
        @Override
        public byte[] decode(java.nio.ByteBuffer payload) {
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            return bytes;
        }

        @Override
        public void encode(byte[] message, io.eddy.core.codec.ByteSink out) {
            out.write(message, 0, message.length);
        }
    }
}
