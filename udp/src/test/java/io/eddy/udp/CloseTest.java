package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing from any thread, from the handler, and with the loop; what is sent afterwards. */
class CloseTest {

    private final EventLoop loop = EventLoop.start("udp-close-test");
    private final List<String> closedOn = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void closeFromAnotherThreadReleasesThePortAndTellsTheHandlerOnTheLoop() throws Exception {
        UdpEndpoint<String, String> endpoint = echo();

        endpoint.close();
        endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertFalse(endpoint.isOpen());
        assertEquals(List.of(loop.name()), closedOn);
        try (DatagramSocket again = new DatagramSocket(endpoint.localAddress())) {
            assertTrue(again.isBound());
        }
        endpoint.close();   // a second close does nothing
        Udp.awaitCycle(loop);
        assertEquals(1, closedOn.size());
    }

    @Test
    void closingTheLoopClosesTheEndpoint() throws Exception {
        UdpEndpoint<String, String> endpoint = echo();

        loop.close();

        assertTrue(endpoint.closeFuture().isDone());
        assertFalse(endpoint.isOpen());
        assertEquals(List.of(loop.name()), closedOn);
    }

    @Test
    void aHandlerThatClosesItsEndpointGetsNoMoreDatagrams() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        UdpEndpoint<String, String> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(new TextDatagramCodec())
                .handler((source, datagram) -> {
                    received.add(datagram.payload());
                    source.close();
                })
                .start();
        InetSocketAddress address = endpoint.localAddress();
        // Every datagram is in the socket's buffer before the loop reads the first.
        Udp.onLoop(loop, () -> {
            try (Udp.Peer peer = new Udp.Peer()) {
                peer.send(address, "one");
                peer.send(address, "two");
            }
            return null;
        });

        endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of("one"), received);
    }

    @Test
    void aSendAfterCloseIsCountedAsUnsentFromAnyThread() throws Exception {
        UdpEndpoint<String, String> endpoint = echo();
        endpoint.close();
        endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        InetSocketAddress somewhere = new InetSocketAddress(HOST, 9);

        endpoint.send(somewhere, "from the test thread");
        Udp.onLoop(loop, () -> {
            endpoint.send(somewhere, "from the loop");
            return null;
        });

        assertEquals(2, endpoint.counters().droppedUnsent());
        assertEquals(0, endpoint.counters().datagramsOut());
    }

    private UdpEndpoint<String, String> echo() throws Exception {
        return UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(new TextDatagramCodec())
                .handler(new DatagramHandler<String, String>() {
                    @Override
                    public void onDatagram(UdpEndpoint<String, String> endpoint, Datagram<String> datagram) {
                        endpoint.send(datagram.sender(), datagram.payload());
                    }

                    @Override
                    public void onClose(UdpEndpoint<String, String> endpoint) {
                        closedOn.add(Thread.currentThread().getName());
                    }
                })
                .start();
    }
}
