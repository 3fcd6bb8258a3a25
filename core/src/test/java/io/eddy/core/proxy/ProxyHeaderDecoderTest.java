package io.eddy.core.proxy;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.proxy.ProxyHeader.Command;
import io.eddy.core.proxy.ProxyHeader.Ssl;
import io.eddy.core.proxy.ProxyHeader.Tlv;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyHeaderDecoderTest {

    private static final byte[] SIGNATURE = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");
    private static final byte[] AFTER = "GET / HTTP/1.1\r\n".getBytes(US_ASCII);

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

    /** A version 2 header from its parts: version/command, family/protocol, then the body. */
    private static byte[] v2(int versionCommand, int familyProtocol, byte[] body) {
        return concat(SIGNATURE, new byte[] {(byte) versionCommand, (byte) familyProtocol,
                (byte) (body.length >> 8), (byte) body.length}, body);
    }

    private static byte[] tlv(int type, byte[] value) {
        return concat(new byte[] {(byte) type, (byte) (value.length >> 8), (byte) value.length}, value);
    }

    private static final byte[] IPV4_BLOCK = HexFormat.of().parseHex("c000020a" + "c6336401" + "1f90" + "01bb");

    /** Decodes {@code header} followed by {@code AFTER}, fed {@code chunk} bytes at a time. */
    private static ProxyHeader decodeInChunks(byte[] header, int chunk) throws DecodeException {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(4096);
        byte[] wire = concat(header, AFTER);
        ProxyHeader result = null;
        int at = 0;
        while (result == null) {
            assertTrue(at < wire.length, "the header never completed");
            ByteBuffer piece = ByteBuffer.wrap(wire, at, Math.min(chunk, wire.length - at));
            result = decoder.decode(piece);
            at = piece.position();
            if (result == null) {
                assertEquals(piece.limit(), piece.position(), "a header not yet whole takes every byte it is given");
            }
        }
        assertEquals(header.length, at, "the header's bytes and not one more");
        assertEquals(0, decoder.wanted());
        return result;
    }

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("v1 TCP4", "PROXY TCP4 192.0.2.10 198.51.100.1 8080 443\r\n".getBytes(US_ASCII),
                        ProxyHeader.v1(address("192.0.2.10", 8080), address("198.51.100.1", 443))),
                Arguments.of("v1 TCP6", "PROXY TCP6 2001:db8::1 2001:DB8:0:0:0:0:0:2 65535 0\r\n".getBytes(US_ASCII),
                        ProxyHeader.v1(address("2001:db8::1", 65535), address("2001:db8::2", 0))),
                Arguments.of("v1 UNKNOWN", "PROXY UNKNOWN\r\n".getBytes(US_ASCII), ProxyHeader.v1Unknown()),
                Arguments.of("v1 UNKNOWN, long form", "PROXY UNKNOWN ffff::1 ffff::2 65535 65535\r\n".getBytes(US_ASCII),
                        ProxyHeader.v1Unknown()),
                Arguments.of("v1 longest", ("PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
                        + " ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n").getBytes(US_ASCII),
                        ProxyHeader.v1Unknown()),
                Arguments.of("v2 TCP over IPv4", v2(0x21, 0x11, IPV4_BLOCK),
                        ProxyHeader.v2(address("192.0.2.10", 8080), address("198.51.100.1", 443))),
                Arguments.of("v2 TCP over IPv6", v2(0x21, 0x21, HexFormat.of().parseHex(
                        "20010db8000000000000000000000001" + "20010db8000000000000000000000002" + "0050" + "0051")),
                        ProxyHeader.v2(address("2001:db8::1", 80), address("2001:db8::2", 81))),
                Arguments.of("v2 LOCAL, no addresses", v2(0x20, 0x00, new byte[0]), ProxyHeader.local()),
                Arguments.of("v2 LOCAL with an address block, ignored", v2(0x20, 0x11, IPV4_BLOCK), ProxyHeader.local()),
                Arguments.of("v2 PROXY, unspecified family", v2(0x21, 0x00, new byte[0]), ProxyHeader.v2Unspecified()),
                Arguments.of("v2 PROXY over UNIX sockets: the real endpoints", v2(0x21, 0x31, new byte[216]),
                        ProxyHeader.v2Unspecified()),
                Arguments.of("v2 unknown TLVs kept raw", v2(0x21, 0x11, concat(IPV4_BLOCK, tlv(0xe1, new byte[] {1, 2}),
                        tlv(0x04, new byte[3]))), ProxyHeader.v2(address("192.0.2.10", 8080),
                        address("198.51.100.1", 443), Tlv.of(0xe1, new byte[] {1, 2}), Tlv.of(0x04, new byte[3]))));
    }

    @ParameterizedTest(name = "{0}, {2} bytes at a time")
    @MethodSource("everySplit")
    void decodesWellFormedHeadersSplitAnywhere(String name, byte[] header, int chunk, ProxyHeader expected)
            throws DecodeException {
        assertEquals(expected, decodeInChunks(header, chunk));
    }

    static Stream<Arguments> everySplit() {
        return wellFormed().flatMap(a -> Stream.of(1, 2, 3, 7, 16, 17, 64, 4096)
                .map(chunk -> Arguments.of(a.get()[0], a.get()[1], chunk, a.get()[2])));
    }

    @Test
    void aVersion2ReadNeverAsksForBytesPastTheHeader() throws DecodeException {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(4096);
        byte[] header = v2(0x21, 0x11, concat(IPV4_BLOCK, tlv(0x01, "h2".getBytes(US_ASCII))));
        ByteBuffer wire = ByteBuffer.wrap(concat(header, AFTER));
        int taken = 0;
        while (decoder.header() == null) {
            int wanted = decoder.wanted();
            assertTrue(taken + wanted <= header.length, "asked for " + wanted + " at " + taken);
            ByteBuffer read = wire.slice(taken, wanted);
            decoder.decode(read);
            taken += read.position();
        }
        assertEquals(header.length, taken);
    }

    @Test
    void aVersion1LineAtItsLongestWithoutCrlfStillAsksForTheByteThatRefusesIt() throws DecodeException {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(4096);
        byte[] line = ("PROXY UNKNOWN " + "a".repeat(ProxyHeaderDecoder.V1_MAX_LENGTH - 14)).getBytes(US_ASCII);
        assertNull(decoder.decode(ByteBuffer.wrap(line)));
        assertEquals(1, decoder.wanted(), "a reader of wanted() bytes must get to the 108th");
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(ByteBuffer.wrap(new byte[] {'a'})));
        assertTrue(e.getMessage().contains("no CRLF"), e.getMessage());
    }

    @Test
    void readsTheRegisteredTlvs() throws DecodeException {
        byte[] ssl = concat(new byte[] {0x07, 0, 0, 0, 0},
                tlv(0x21, "TLSv1.3".getBytes(US_ASCII)), tlv(0x22, "client.example".getBytes(US_ASCII)),
                tlv(0x23, "TLS_AES_128_GCM_SHA256".getBytes(US_ASCII)), tlv(0x24, "RSA-SHA256".getBytes(US_ASCII)),
                tlv(0x25, "RSA2048".getBytes(US_ASCII)), tlv(0x2f, new byte[] {9}));
        byte[] header = v2(0x21, 0x11, concat(IPV4_BLOCK, tlv(0x01, "h2".getBytes(US_ASCII)),
                tlv(0x02, "api.example.com".getBytes(US_ASCII)), tlv(0x05, new byte[] {1, 2, 3}), tlv(0x20, ssl),
                tlv(0x30, "blue".getBytes(US_ASCII)), tlv(0xee, new byte[] {42})));
        ProxyHeader decoded = decodeInChunks(header, 5);
        assertEquals("h2", decoded.alpn().orElseThrow());
        assertEquals("api.example.com", decoded.authority().orElseThrow());
        assertArrayEquals(new byte[] {1, 2, 3}, decoded.uniqueId().orElseThrow());
        assertEquals("blue", decoded.netns().orElseThrow());
        assertArrayEquals(new byte[] {42}, decoded.tlv(0xee).orElseThrow().value());
        assertEquals(List.of(1, 2, 5, 0x20, 0x30, 0xee), decoded.tlvs().stream().map(Tlv::type).toList());
        Ssl tls = decoded.ssl().orElseThrow();
        assertTrue(tls.clientUsedTls());
        assertTrue(tls.clientSentCertificate());
        assertTrue(tls.certificateVerified());
        assertEquals("TLSv1.3", tls.version().orElseThrow());
        assertEquals("client.example", tls.commonName().orElseThrow());
        assertEquals("TLS_AES_128_GCM_SHA256", tls.cipher().orElseThrow());
        assertEquals("RSA-SHA256", tls.signatureAlgorithm().orElseThrow());
        assertEquals("RSA2048", tls.keyAlgorithm().orElseThrow());
        assertArrayEquals(new byte[] {9}, tls.subTlvs().get(5).value(), "an unknown sub-TLV is kept");
        assertEquals(Tlv.of(0x20, ssl), tls.toTlv());
    }

    @Test
    void headersEncodedHereDecodeToThemselves() throws DecodeException {
        Ssl ssl = new Ssl(Ssl.CLIENT_SSL, 1, List.of(Tlv.of(Ssl.SUBTYPE_VERSION, "TLSv1.2")));
        List<ProxyHeader> headers = List.of(
                ProxyHeader.v1(address("203.0.113.7", 51000), address("127.0.0.1", 8080)),
                ProxyHeader.v1(address("2001:db8:0:0:1::", 1), address("::1", 2)),
                ProxyHeader.v1Unknown(),
                ProxyHeader.v2(address("203.0.113.7", 51000), address("127.0.0.1", 8080),
                        Tlv.of(ProxyHeader.TYPE_AUTHORITY, "example.com"), ssl.toTlv(), Tlv.crc32c()),
                ProxyHeader.v2(address("2001:db8::7", 1), address("2001:db8::8", 2)),
                ProxyHeader.v2Unspecified(Tlv.of(0xe0, "x")),
                ProxyHeader.local());
        for (ProxyHeader header : headers) {
            ProxyHeader decoded = decodeInChunks(header.encode(), 1);
            if (header.tlv(ProxyHeader.TYPE_CRC32C).isPresent()) {
                assertEquals(header.source(), decoded.source());
                assertEquals(ssl, decoded.ssl().orElseThrow());
            } else {
                assertEquals(header, decoded);
            }
        }
        assertEquals("PROXY TCP6 2001:db8:0:0:1:: ::1 1 2\r\n",
                new String(ProxyHeader.v1(address("2001:db8::1:0:0:0", 1), address("::1", 2)).encode(), US_ASCII));
    }

    @Test
    void aHeaderPairingAnIpv4MappedAddressWithAnIpv6OneEncodesBackToItself() throws DecodeException {
        // TCP over IPv6 with an IPv4-mapped source: the JDK makes that address IPv4, the other stays IPv6.
        byte[] v1 = "PROXY TCP6 ::ffff:c000:20a 2001:db8::2 80 81\r\n".getBytes(US_ASCII);
        byte[] v2 = v2(0x21, 0x21, HexFormat.of().parseHex(
                "00000000000000000000ffffc000020a" + "20010db8000000000000000000000002" + "0050" + "0051"));
        for (byte[] wire : List.of(v1, v2)) {
            ProxyHeader decoded = decodeInChunks(wire, 4096);
            assertEquals(address("192.0.2.10", 80), decoded.source().orElseThrow());
            assertArrayEquals(wire, decoded.encode(), "the same bytes again");
            assertEquals(decoded, decodeInChunks(decoded.encode(), 4096));
        }
    }

    @Test
    void checksTheCrc32c() throws DecodeException {
        byte[] good = ProxyHeader.v2(address("192.0.2.1", 1), address("192.0.2.2", 2), Tlv.crc32c()).encode();
        assertNotNull(decodeInChunks(good, 64));
        byte[] bad = good.clone();
        bad[16] ^= 1; // the source address, after the checksum was made
        DecodeException e = assertThrows(DecodeException.class, () -> decodeInChunks(bad, 64));
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("an HTTP request", "GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII), "does not start"),
                Arguments.of("a TLS ClientHello", HexFormat.of().parseHex("160301020001"), "does not start"),
                Arguments.of("lower case", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n".getBytes(US_ASCII), "does not start"),
                Arguments.of("v1 without its space", "PROXYTCP4\r\n".getBytes(US_ASCII), "does not start"),
                Arguments.of("v1 double space", "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n".getBytes(US_ASCII), "single spaces"),
                Arguments.of("v1 trailing space", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n".getBytes(US_ASCII), "single spaces"),
                Arguments.of("v1 leading zero in an address", "PROXY TCP4 1.2.3.04 5.6.7.8 1 2\r\n".getBytes(US_ASCII),
                        "canonical"),
                Arguments.of("v1 octet over 255", "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n".getBytes(US_ASCII), "canonical"),
                Arguments.of("v1 IPv6 under TCP4", "PROXY TCP4 ::1 ::2 1 2\r\n".getBytes(US_ASCII), "canonical"),
                Arguments.of("v1 IPv4 under TCP6", "PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n".getBytes(US_ASCII), "canonical"),
                Arguments.of("v1 a name", "PROXY TCP4 localhost 5.6.7.8 1 2\r\n".getBytes(US_ASCII), "canonical"),
                Arguments.of("v1 IPv6 zone", "PROXY TCP6 fe80::1%eth0 ::2 1 2\r\n".getBytes(US_ASCII), "canonical"),
                Arguments.of("v1 port leading zero", "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n".getBytes(US_ASCII), "port"),
                Arguments.of("v1 port over 65535", "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n".getBytes(US_ASCII), "port"),
                Arguments.of("v1 signed port", "PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n".getBytes(US_ASCII), "port"),
                Arguments.of("v1 unknown protocol", "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n".getBytes(US_ASCII), "protocol"),
                Arguments.of("v1 bare LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n".getBytes(US_ASCII), "bare LF"),
                Arguments.of("v1 CR alone", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX".getBytes(US_ASCII), "CR not followed"),
                Arguments.of("v1 no CRLF in 107 bytes", ("PROXY UNKNOWN " + "a".repeat(100)).getBytes(US_ASCII), "107"),
                Arguments.of("v2 broken signature", concat(HexFormat.of().parseHex("0d0a0d0a000d0a51554954"), new byte[] {0x0b}),
                        "signature"),
                Arguments.of("v2 version 1", v2(0x11, 0x11, IPV4_BLOCK), "version"),
                Arguments.of("v2 version 3", v2(0x31, 0x11, IPV4_BLOCK), "version"),
                Arguments.of("v2 command 2", v2(0x22, 0x11, IPV4_BLOCK), "command"),
                Arguments.of("v2 family 4", v2(0x21, 0x41, IPV4_BLOCK), "family"),
                Arguments.of("v2 protocol 3", v2(0x21, 0x13, IPV4_BLOCK), "family"),
                Arguments.of("v2 address block too short", v2(0x21, 0x21, IPV4_BLOCK), "fewer than"),
                Arguments.of("v2 TLV past the end", v2(0x21, 0x11, concat(IPV4_BLOCK, new byte[] {1, 0, 9, 'h'})), "TLVs"),
                Arguments.of("v2 half a TLV header", v2(0x21, 0x11, concat(IPV4_BLOCK, new byte[] {1, 0})), "TLVs"),
                Arguments.of("v2 SSL TLV too short", v2(0x21, 0x11, concat(IPV4_BLOCK, tlv(0x20, new byte[] {1, 0}))), "SSL"),
                Arguments.of("v2 SSL sub-TLV past its end", v2(0x21, 0x11, concat(IPV4_BLOCK,
                        tlv(0x20, new byte[] {1, 0, 0, 0, 0, 0x21, 0, 5, 'T'}))), "SSL"),
                Arguments.of("v2 unique id over 128 bytes", v2(0x21, 0x11, concat(IPV4_BLOCK, tlv(0x05, new byte[129]))),
                        "128"),
                Arguments.of("v2 CRC32C of 3 bytes", v2(0x21, 0x11, concat(IPV4_BLOCK, tlv(0x03, new byte[3]))), "not 4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWhatIsNotAHeader(String name, byte[] wire, String reason) {
        for (int chunk : new int[] {1, 4096}) {
            DecodeException e = assertThrows(DecodeException.class, () -> decodeInChunks(wire, chunk), name);
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
    }

    @Test
    void refusesAnOversizedVersion2HeaderAsSoonAsItsLengthIsRead() throws DecodeException {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(ProxyProtocol.MIN_MAX_HEADER_SIZE);
        byte[] fixed = concat(SIGNATURE, new byte[] {0x21, 0x11, 0x01, 0x00}); // 256 more bytes announced
        assertNull(decoder.decode(ByteBuffer.wrap(fixed, 0, 15)));
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(ByteBuffer.wrap(fixed, 15, 1)));
        assertTrue(e.getMessage().contains("maxHeaderSize = 232"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 231, 65552})
    void refusesALimitOutsideTheProtocol(int limit) {
        assertThrows(IllegalArgumentException.class, () -> new ProxyHeaderDecoder(limit));
        assertThrows(IllegalArgumentException.class, () -> ProxyProtocol.required().withMaxHeaderSize(limit));
    }

    @Test
    void refusesHeadersItCannotMake() {
        assertThrows(IllegalArgumentException.class,
                () -> ProxyHeader.v1(address("192.0.2.1", 1), address("::1", 2)));
        assertThrows(IllegalArgumentException.class,
                () -> ProxyHeader.v2(InetSocketAddress.createUnresolved("example.com", 1), address("192.0.2.1", 2)));
        assertThrows(IllegalArgumentException.class, () -> Tlv.of(256, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> Ssl.from(Tlv.of(0x20, new byte[4])));
    }
}
