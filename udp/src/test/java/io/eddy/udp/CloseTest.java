package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
                .codec(TextDatagramCodec::new)
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

    @Test
    void aCloseThatRacesTheLoopClosingTheEndpointItselfLetsOnlyOneRun() throws Exception {
        EventLoop doomed = EventLoop.builder().name("udp-doomed-loop").stallThreshold(Duration.ZERO).start();
        AtomicBoolean full = new AtomicBoolean();
        AtomicBoolean holdNextSend = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger onCloseCalls = new AtomicInteger();
        UdpEndpoint<String, String> endpoint = UdpEndpoint.on(doomed).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler(new DatagramHandler<String, String>() {
                    @Override
                    public void onDatagram(UdpEndpoint<String, String> source, Datagram<String> datagram) {
                    }

                    @Override
                    public void onClose(UdpEndpoint<String, String> source) {
                        onCloseCalls.incrementAndGet();
                    }
                })
                .wrapSocket(socket -> (payload, target) -> {
                    if (holdNextSend.compareAndSet(true, false)) {
                        held.countDown();
                        awaitQuietly(release);
                    }
                    return full.get() ? 0 : socket.send(payload, target);
                })
                .start();
        Udp.onLoop(doomed, () -> {
            full.set(true);
            endpoint.send(new InetSocketAddress(HOST, 9), "waits in the queue");
            return null;
        });

        // A fatal error ends the loop, which then closes the endpoint on its own thread; that close
        // is held in its last try to send what waits. (The loop thread reports the error as it ends.)
        doomed.execute(() -> {
            holdNextSend.set(true);
            throw new OutOfMemoryError("thrown on purpose by a test");
        });
        assertTrue(held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        endpoint.close();                      // the loop has ended: this close runs on this thread
        release.countDown();
        assertThrows(CompletionException.class, doomed::awaitTermination);

        endpoint.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(1, onCloseCalls.get());
        assertFalse(endpoint.isOpen());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private UdpEndpoint<String, String> echo() throws Exception {
        return UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
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
