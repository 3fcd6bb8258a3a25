package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules an endpoint builder shares with the TCP ones: the codec from a factory, before the
 * handler (a handler set first is refused, not silently dropped), a handler shared or made per
 * start, socket options checked when the endpoint starts, the same port check.
 */
class BuilderRulesTest {

    private final EventLoop loop = EventLoop.start("udp-builders");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void aHandlerSetBeforeTheCodecIsRefusedRatherThanDropped() {
        DatagramHandler<ByteBuffer, ByteBuffer> early = (endpoint, datagram) -> { };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> UdpEndpoint.on(loop).handler(early).codec(TextDatagramCodec::new));
        assertTrue(e.getMessage().contains("codec before the handler"), e.getMessage());
    }

    @Test
    void aHandlerSetAfterTheCodecHearsEveryDatagram() throws Exception {
        try (UdpEndpoint<String, String> echo = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), "heard " + datagram.payload()))
                .start();
             Udp.Peer peer = new Udp.Peer()) {
            peer.send(echo.localAddress(), "a");
            assertEquals("heard a", peer.receiveText());
        }
    }

    @Test
    void theCodecFactoryAndTheHandlerFactoryAreCalledOncePerStart() throws Exception {
        AtomicInteger codecs = new AtomicInteger();
        AtomicInteger handlers = new AtomicInteger();
        UdpEndpoint.Builder<String, String> builder = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(() -> {
                    codecs.incrementAndGet();
                    return new TextDatagramCodec();
                })
                .handlerPerConnection(() -> {
                    int n = handlers.incrementAndGet();
                    return (endpoint, datagram) -> endpoint.send(datagram.sender(), n + " " + datagram.payload());
                });
        try (UdpEndpoint<String, String> first = builder.start();
             UdpEndpoint<String, String> second = builder.start();
             Udp.Peer peer = new Udp.Peer()) {
            peer.send(first.localAddress(), "x");
            assertEquals("1 x", peer.receiveText());
            peer.send(second.localAddress(), "y");
            assertEquals("2 y", peer.receiveText());
        }
        assertEquals(2, codecs.get());
        assertEquals(2, handlers.get());
    }

    @Test
    void anOptionADatagramSocketDoesNotSupportIsRefusedWhenStarting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UdpEndpoint.on(loop).bind(HOST, 0).option(StandardSocketOptions.TCP_NODELAY, true).start());
        assertTrue(e.getMessage().startsWith("TCP_NODELAY is not supported by a datagram socket"), e.getMessage());
    }

    @Test
    void optionsADatagramSocketSupportsAreSetAndTheEndpointWorks() throws Exception {
        try (UdpEndpoint<String, String> echo = UdpEndpoint.on(loop).bind(HOST, 0)
                .option(StandardSocketOptions.SO_RCVBUF, 256 * 1024)
                .option(StandardSocketOptions.SO_BROADCAST, true)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), datagram.payload()))
                .start();
             Udp.Peer peer = new Udp.Peer()) {
            peer.send(echo.localAddress(), "with options");
            assertEquals("with options", peer.receiveText());
        }
    }

    @Test
    void bindRefusesAPortOutOfRangeWithTheWordsTheTcpBuildersUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UdpEndpoint.on(loop).bind(65536));
        assertEquals("port out of range 0..65535 (0: any free port): 65536", e.getMessage());
    }
}
