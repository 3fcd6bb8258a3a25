package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.udp.codec.TextDatagramCodec;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP endpoints on a group of two loops, over loopback: one per loop with reusePort, or a single one. */
@Timeout(60)
class GroupEndpointsTest {

    private static final int SENDERS = 64;

    private final EventLoopGroup group = EventLoopGroup.start("udp-group", 2);

    @AfterEach
    void stop() {
        group.close();
    }

    /** Answers on the endpoint the datagram came in on, naming the loop that served it. */
    private static DatagramHandler<String, String> echo(Set<String> threads) {
        return (endpoint, datagram) -> {
            threads.add(Thread.currentThread().getName());
            endpoint.send(datagram.sender(), datagram.payload() + " on " + endpoint.loop().name());
        };
    }

    @Test
    void withReusePortEveryLoopHasAnEndpointAndTheKernelSpreadsSendersOverThem() throws Exception {
        try (DatagramChannel probe = DatagramChannel.open()) {
            Assumptions.assumeTrue(probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT),
                    "this platform's datagram sockets have no SO_REUSEPORT, so reusePort cannot be tested here");
        }
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (UdpEndpoints<String, String> endpoints = UdpEndpoint.on(group).bind(HOST, 0).reusePort(true)
                .codec(TextDatagramCodec::new)
                .handlerPerConnection(() -> echo(threads))
                .start()) {
            assertEquals(2, endpoints.endpoints().size());
            for (int i = 0; i < 2; i++) {
                UdpEndpoint<String, String> endpoint = endpoints.endpoints().get(i);
                assertSame(group.loops().get(i), endpoint.loop());
                assertEquals(endpoints.port(), endpoint.port());
            }

            // Each sender has a port of its own: the kernel hashes the source to pick an endpoint.
            List<Udp.Peer> senders = new ArrayList<>();
            try {
                for (int i = 0; i < SENDERS; i++) {
                    Udp.Peer sender = new Udp.Peer();
                    senders.add(sender);
                    sender.send(endpoints.localAddress(), "from " + i);
                }
                for (int i = 0; i < SENDERS; i++) {
                    assertTrue(senders.get(i).receiveText().startsWith("from " + i + " on udp-group-"));
                }
            } finally {
                senders.forEach(Udp.Peer::close);
            }

            List<Long> received = endpoints.endpoints().stream().map(e -> e.counters().datagramsIn()).toList();
            assertEquals(SENDERS, received.stream().mapToLong(Long::longValue).sum());
            assertTrue(received.stream().allMatch(n -> n > 0), "every endpoint should serve some of "
                    + SENDERS + " senders: " + received);
            assertEquals(Set.of("udp-group-0", "udp-group-1"), threads);
        }
    }

    @Test
    void withoutReusePortASingleEndpointOnOneOfTheGroupsLoopsServes() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (UdpEndpoints<String, String> endpoints = UdpEndpoint.on(group).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler(echo(threads))
                .start();
             Udp.Peer peer = new Udp.Peer()) {
            assertEquals(1, endpoints.endpoints().size());
            EventLoop loop = endpoints.endpoints().get(0).loop();
            assertTrue(group.loops().contains(loop));
            for (int i = 0; i < 10; i++) {
                peer.send(endpoints.localAddress(), "ping " + i);
                assertEquals("ping " + i + " on " + loop.name(), peer.receiveText());
            }
            assertEquals(Set.of(loop.name()), threads);
        }
    }

    @Test
    void closingClosesEveryEndpointAndFreesThePort() throws Exception {
        UdpEndpoints<String, String> endpoints = UdpEndpoint.on(group).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> { })
                .start();
        endpoints.close();
        endpoints.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(endpoints.endpoints().stream().noneMatch(UdpEndpoint::isOpen));
        // The port is free again: a plain socket can take it.
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(endpoints.localAddress());
        }
    }

    @Test
    void aSocketOptionIsCheckedAsForALoneEndpoint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UdpEndpoint.on(group).bind(HOST, 0).option(StandardSocketOptions.TCP_NODELAY, true).start());
        assertTrue(e.getMessage().startsWith("TCP_NODELAY is not supported by a datagram socket"), e.getMessage());
    }
}
