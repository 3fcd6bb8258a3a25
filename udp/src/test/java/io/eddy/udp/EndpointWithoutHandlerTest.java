package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** An endpoint made only to send: what it receives is counted and ignored, never a failure. */
class EndpointWithoutHandlerTest {

    @Test
    void countsWhatItReceivesAndIgnoresIt() throws Exception {
        try (EventLoop loop = EventLoop.start("udp-no-handler");
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            UdpEndpoint<java.nio.ByteBuffer, java.nio.ByteBuffer> endpoint = UdpEndpoint.on(loop).bind(HOST, 0).start();
            for (int i = 0; i < 3; i++) {
                peer.send(new DatagramPacket(new byte[] {(byte) i}, 1, endpoint.localAddress()));
            }
            await().until(() -> endpoint.counters().datagramsIn() == 3);
            assertEquals(0, endpoint.counters().handlerFailures(), endpoint.counters().toString());
            assertEquals(0, endpoint.counters().dropped(), endpoint.counters().toString());
            assertTrue(endpoint.isOpen());
        }
    }
}
