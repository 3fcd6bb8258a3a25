package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An endpoint connected to one peer: sends to it, hears only it, and hears when it is not there. */
class ConnectedEndpointTest {

    private final EventLoop loop = EventLoop.start("udp-connected-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void talksToItsPeerAndHearsNobodyElse() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (Udp.Peer peer = new Udp.Peer(); Udp.Peer stranger = new Udp.Peer()) {
            UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop)
                    .connect(peer.address())
                    .codec(TextDatagramCodec::new)
                    .handler((source, datagram) -> received.add(datagram.payload()))
                    .start();

            endpoint.send("hello");
            assertEquals("hello", peer.receiveText());
            stranger.send(endpoint.localAddress(), "from a stranger");
            peer.send(endpoint.localAddress(), "from the peer");

            await().atMost(WAIT).until(() -> received.contains("from the peer"));
            assertEquals(List.of("from the peer"), received);
            assertEquals(peer.address(), endpoint.remoteAddress());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> endpoint.send(stranger.address(), "elsewhere"));
            assertEquals(endpoint + " is connected to " + peer.address() + ", not " + stranger.address(), e.getMessage());
        }
    }

    @Test
    void countsTheNetworksReportsThatThePeerIsNotThere() throws Exception {
        InetSocketAddress nobody = freeAddress();
        UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).connect(nobody)
                .codec(TextDatagramCodec::new)
                .start();

        endpoint.send("anyone?");

        await().atMost(WAIT).until(() -> endpoint.counters().unreachable() >= 1);
        assertEquals(true, endpoint.isOpen());
    }

    @Test
    void aDatagramSentAfterTheNetworkReportedAnEarlierOneUnreachableStillGoesOut() throws Exception {
        InetSocketAddress later = freeAddress();
        UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).connect(later)
                .codec(TextDatagramCodec::new)
                .start();

        // One loop task: the first datagram finds nobody (the report waits on the socket), then the
        // peer comes up and the second is sent, the report still unread.
        DatagramSocket peer = Udp.onLoop(loop, () -> {
            endpoint.send("before the peer is up");
            DatagramSocket up = new DatagramSocket(later);
            endpoint.send("once it is up");
            return up;
        });

        try (peer) {
            peer.setSoTimeout((int) WAIT.toMillis());
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            peer.receive(packet);
            assertEquals("once it is up", new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
        await().atMost(WAIT).until(() -> endpoint.counters().unreachable() == 1);
        assertEquals(0, endpoint.counters().droppedUnsent());
    }

    private static InetSocketAddress freeAddress() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            return (InetSocketAddress) probe.getLocalSocketAddress();
        }
    }

    @Test
    void anUnconnectedEndpointNeedsATarget() throws Exception {
        UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).bind(HOST, 0).codec(TextDatagramCodec::new).start();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> endpoint.send("where to?"));
        assertEquals(endpoint + " is not connected: say where to, with send(target, message)", e.getMessage());
        endpoint.close();
        endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void anIpv4EndpointRefusesAnIpv6TargetAtOnce() throws Exception {
        UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).bind(HOST, 0).codec(TextDatagramCodec::new).start();

        assertThrows(IllegalArgumentException.class, () -> endpoint.send(new InetSocketAddress("::1", 5005), "v6"));
    }
}
