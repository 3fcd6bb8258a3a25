package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The smallest and the largest datagrams go through whole; one byte more is refused before anything is sent. */
class DatagramSizeTest {

    private final EventLoop loop = EventLoop.start("udp-size-test");
    private UdpEndpoint<ByteBuffer, ByteBuffer> echo;
    private UdpRequester<ByteBuffer, ByteBuffer> client;

    @BeforeEach
    void start() throws Exception {
        echo = UdpEndpoint.on(loop).bind(HOST, 0)
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), datagram.payload()))
                .start();
        client = UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0)).start();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, UdpEndpoint.MAX_PAYLOAD})
    void aDatagramOfThisSizeRoundTripsIntact(int size) throws Exception {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);

        ByteBuffer reply = client.request(echo.localAddress(), ByteBuffer.wrap(payload)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        byte[] received = new byte[reply.remaining()];
        reply.get(received);
        assertArrayEquals(payload, received);
        assertEquals(size, echo.counters().bytesIn());
        // The reply can arrive before the loop counts it as sent.
        await().atMost(WAIT).until(() -> echo.counters().datagramsOut() == 1);
        assertEquals(size, echo.counters().bytesOut());
    }

    @Test
    void aLoopWithASmallReadBufferStillReceivesTheLargestDatagramWhole() throws Exception {
        EventLoop small = EventLoop.builder().name("udp-small-buffer-test").readBufferSize(1024).start();
        try {
            UdpEndpoint<ByteBuffer, ByteBuffer> receiver = UdpEndpoint.on(small).bind(HOST, 0)
                    .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), datagram.payload()))
                    .start();
            byte[] payload = new byte[UdpEndpoint.MAX_PAYLOAD];
            new Random(7).nextBytes(payload);

            ByteBuffer reply = client.request(receiver.localAddress(), ByteBuffer.wrap(payload))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertEquals(ByteBuffer.wrap(payload), reply);
        } finally {
            small.close();
        }
    }

    @Test
    void oneByteOverTheLimitIsRefusedAtOnceOffTheLoop() {
        ByteBuffer tooLarge = ByteBuffer.allocate(UdpEndpoint.MAX_PAYLOAD + 1);

        DatagramTooLargeException e = assertThrows(DatagramTooLargeException.class,
                () -> client.endpoint().send(echo.localAddress(), tooLarge));

        assertEquals("datagram payload of 65508 bytes exceeds the limit of 65507 bytes; nothing was sent", e.getMessage());
        assertEquals(65_508, e.size());
        assertEquals(65_507, e.limit());
        assertThrows(DatagramTooLargeException.class, () -> client.request(echo.localAddress(), tooLarge));
        assertEquals(0, client.endpoint().counters().datagramsOut());
        assertEquals(0, client.pendingRequests());
    }

    @Test
    void oneByteOverTheLimitIsRefusedAtOnceOnTheLoop() throws Exception {
        ByteBuffer tooLarge = ByteBuffer.allocate(UdpEndpoint.MAX_PAYLOAD + 1);

        Throwable thrown = Udp.onLoop(loop, () -> {
            try {
                echo.send(client.endpoint().localAddress(), tooLarge);
                return null;
            } catch (DatagramTooLargeException e) {
                return e;
            }
        });

        assertTrue(thrown instanceof DatagramTooLargeException, String.valueOf(thrown));
        assertEquals(0, echo.counters().datagramsOut());
        // The refused payload left nothing behind: the next datagram from the loop is whole.
        byte[] small = {1, 2, 3};
        ByteBuffer reply = client.request(echo.localAddress(), ByteBuffer.wrap(small)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(ByteBuffer.wrap(small), reply);
    }
}
