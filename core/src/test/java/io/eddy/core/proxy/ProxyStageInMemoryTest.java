package io.eddy.core.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PROXY stage on the in-memory path: the connection pipeline every TCP connection runs. */
class ProxyStageInMemoryTest {

    private static final InetSocketAddress BALANCER = address("10.0.0.5", 40000);
    private static final InetSocketAddress STRANGER = address("203.0.113.66", 50000);
    private static final InetSocketAddress CLIENT = address("198.51.100.7", 61000);
    private static final InetSocketAddress SERVICE = address("192.0.2.1", 443);

    private static InetSocketAddress address(String host, int port) {
        return new InetSocketAddress(Cidr.parseAddress(host).orElseThrow(), port);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Records what a handler hears: whether it opened, from whom, the lines, why it closed. */
    private static final class Recorder implements Handler<String, String> {
        final List<String> lines = new ArrayList<>();
        SocketAddress openedFrom;
        Optional<ProxyHeader> header;
        CloseReason closed;

        @Override
        public void onOpen(Connection<String> connection) {
            openedFrom = connection.remoteAddress();
            header = connection.proxyHeader();
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            lines.add(line);
        }

        @Override
        public void onClose(Connection<String> connection, CloseReason reason) {
            closed = reason;
        }
    }

    @ParameterizedTest(name = "{0} bytes a read")
    @ValueSource(ints = {1, 3, 16, 29, 4096})
    void theClientsAddressAndEveryByteAfterTheHeaderReachTheHandler(int chunk) {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.required(), BALANCER,
                new LineCodec(), handler);
        assertEquals(null, handler.openedFrom, "nothing before the header");
        byte[] header = ProxyHeader.v2(CLIENT, SERVICE, ProxyHeader.Tlv.of(ProxyHeader.TYPE_ALPN, "h2")).encode();
        channel.feedInChunks(concat(header, "first\nsecond\n".getBytes(US_ASCII)), chunk);
        assertEquals(CLIENT, handler.openedFrom);
        assertEquals("h2", handler.header.orElseThrow().alpn().orElseThrow());
        assertEquals(CLIENT, channel.remoteAddress());
        assertEquals(Optional.of(BALANCER), channel.proxiedBy());
        assertEquals(List.of("first", "second"), handler.lines);
    }

    @Test
    void aVersion1LineMayShareItsReadWithTheFirstMessage() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.required(), BALANCER,
                new LineCodec(), handler);
        channel.feed("PROXY TCP4 198.51.100.7 192.0.2.1 61000 443\r\nhello\nwor");
        channel.feed("ld\n");
        assertEquals(CLIENT, handler.openedFrom);
        assertEquals(List.of("hello", "world"), handler.lines);
    }

    @Test
    void aLocalHeaderKeepsTheRealPeer() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.required(), BALANCER,
                new LineCodec(), handler);
        channel.feed(ProxyHeader.local().encode());
        assertEquals(BALANCER, handler.openedFrom);
        assertEquals(ProxyHeader.Command.LOCAL, channel.proxyHeader().orElseThrow().command());
        assertEquals(Optional.of(BALANCER), channel.proxiedBy());
    }

    @Test
    void anUnknownHeaderKeepsTheRealPeer() {
        Recorder handler = new Recorder();
        TestChannel.behindProxy(ProxyProtocol.required(), BALANCER, new LineCodec(), handler)
                .feed("PROXY UNKNOWN\r\nping\n");
        assertEquals(BALANCER, handler.openedFrom);
        assertEquals(List.of("ping"), handler.lines);
    }

    @Test
    void requiredClosesAConnectionThatStartsWithoutAHeader() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.required(), BALANCER,
                new LineCodec(), handler);
        channel.feed("GET / HTTP/1.1\r\n");
        assertEquals(CloseReason.Kind.PROXY_HEADER_ERROR, channel.closeReason().kind());
        assertTrue(channel.isTransportClosed());
        assertEquals(null, handler.openedFrom, "the handler never hears of it");
        assertEquals(null, handler.closed);
    }

    @Test
    void aConnectionThatEndsInsideTheHeaderIsClosedUnseen() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.required(), BALANCER,
                new LineCodec(), handler);
        channel.feed("PROXY TCP4 198.5").feedEnd();
        assertEquals(CloseReason.Kind.PROXY_HEADER_ERROR, channel.closeReason().kind());
        assertEquals(null, handler.openedFrom);
    }

    @Test
    void aHeaderThatDoesNotComeInTimeClosesTheConnection() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(
                ProxyProtocol.required().withHeaderTimeout(Duration.ofSeconds(3)), BALANCER, new LineCodec(), handler);
        channel.feed("PROXY TCP4 ");
        channel.advance(Duration.ofMillis(2999));
        assertTrue(channel.isOpen());
        channel.advance(Duration.ofMillis(1));
        assertEquals(CloseReason.Kind.HANDSHAKE_TIMEOUT, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("PROXY"), channel.closeReason().detail());
        assertEquals(null, handler.openedFrom);
    }

    @Test
    void aHeaderInTimeCancelsTheTimeout() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.required(), BALANCER,
                new LineCodec(), handler);
        channel.feed(ProxyHeader.v1(CLIENT, SERVICE).encode());
        channel.advance(Duration.ofMinutes(1));
        assertTrue(channel.isOpen());
    }

    @Test
    void trustedReadsTheHeaderOfATrustedPeer() {
        Recorder handler = new Recorder();
        TestChannel.behindProxy(ProxyProtocol.trusted("10.0.0.0/8"), BALANCER, new LineCodec(), handler)
                .feed(concat(ProxyHeader.v1(CLIENT, SERVICE).encode(), "hi\n".getBytes(US_ASCII)));
        assertEquals(CLIENT, handler.openedFrom);
        assertEquals(List.of("hi"), handler.lines);
    }

    @Test
    void trustedClosesATrustedPeerThatSendsNoHeader() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.trusted("10.0.0.0/8"), BALANCER,
                new LineCodec(), handler);
        channel.feed("hi\n");
        assertEquals(CloseReason.Kind.PROXY_HEADER_ERROR, channel.closeReason().kind());
        assertEquals(null, handler.openedFrom);
    }

    @Test
    void aHeaderFromAnUntrustedPeerIsJustBytesForTheCodec() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.trusted("10.0.0.0/8"), STRANGER,
                new LineCodec(), handler);
        assertEquals(STRANGER, handler.openedFrom, "it opens at once: no header is read from it");
        channel.feed("PROXY TCP4 198.51.100.7 192.0.2.1 61000 443\r\nhi\n");
        assertEquals(STRANGER, channel.remoteAddress(), "its claim changes nothing");
        assertTrue(channel.proxyHeader().isEmpty());
        assertTrue(channel.proxiedBy().isEmpty());
        assertEquals(List.of("PROXY TCP4 198.51.100.7 192.0.2.1 61000 443", "hi"), handler.lines);
    }

    @Test
    void offReadsNoHeaderFromAnyone() {
        Recorder handler = new Recorder();
        TestChannel<String, String> channel = TestChannel.behindProxy(ProxyProtocol.off(), BALANCER,
                new LineCodec(), handler);
        channel.feed("PROXY UNKNOWN\r\n");
        assertEquals(List.of("PROXY UNKNOWN"), handler.lines);
        assertFalse(channel.proxyHeader().isPresent());
    }
}
