package io.eddy.core.proxy;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.internal.IpLiterals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads one PROXY protocol header, version 1 or 2, from the start of a byte stream, incrementally:
 * it takes the header's bytes and not one more, so what follows (a TLS ClientHello, the first
 * request) stays where it was for whoever comes next. Connections run it for a listener that
 * expects a header ({@link ProxyProtocol}); it is public for other transports and for tests.
 *
 * <pre>
 *   START ──'P'──▶ V1: "PROXY " then up to 107 bytes in all, to CRLF ──▶ DONE
 *     │
 *     └──\r──▶ V2: the 12-byte signature, version/command, family, length (16 bytes)
 *                   ──▶ length more bytes: addresses, TLVs ──────────────▶ DONE
 *   any other first byte, any byte off the grammar, a header too long ──▶ DecodeException
 * </pre>
 *
 * <p>It rejects as early as it can: the first byte that cannot belong to a header fails it (the
 * protocol asks a receiver to abort "as soon as possible"), and a version 2 header longer than
 * {@code maxHeaderSize} fails as soon as its length is read, before its body arrives. Version 1
 * lines must match the protocol exactly (single spaces, canonical addresses, ports without leading
 * zeros, CRLF); {@code UNKNOWN} ignores the rest of its line. Version 2 headers must have version
 * 2, a known command, family and protocol, an address block as long as the family needs, TLVs that
 * fill the length exactly, a well-formed {@code SSL} TLV, a unique id of at most 128 bytes and, when
 * present, a matching {@code CRC32C}.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th></tr>
 *   <tr><td>a version 1 line, CRLF included</td><td>107 bytes (the protocol's)</td></tr>
 *   <tr><td>a version 2 header, TLVs included</td><td>{@code maxHeaderSize}, given to the constructor</td></tr>
 * </table>
 *
 * <p>Threading: one stream's, not thread-safe.
 */
public final class ProxyHeaderDecoder {

    /** The longest version 1 line, CRLF included. */
    public static final int V1_MAX_LENGTH = 107;
    private static final int V2_FIXED = 16;
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    /** Address block sizes by family: unspecified, IPv4, IPv6, UNIX. */
    private static final int[] ADDRESS_BYTES = {0, 12, 36, 216};

    private final int maxHeaderSize;
    private byte[] bytes = new byte[V2_FIXED];
    private int count;
    /** 0 until the first byte says, then 1 or 2. */
    private int version;
    /** A version 2 header's whole length, once its fixed part is in; else -1. */
    private int total = -1;
    private ProxyHeader header;

    /**
     * A decoder holding version 2 headers to {@code maxHeaderSize} bytes, TLVs included.
     *
     * @throws IllegalArgumentException if it is outside {@link ProxyProtocol#MIN_MAX_HEADER_SIZE}
     *     to {@link ProxyProtocol#MAX_MAX_HEADER_SIZE}
     */
    public ProxyHeaderDecoder(int maxHeaderSize) {
        if (maxHeaderSize < ProxyProtocol.MIN_MAX_HEADER_SIZE || maxHeaderSize > ProxyProtocol.MAX_MAX_HEADER_SIZE) {
            throw new IllegalArgumentException("maxHeaderSize must be from " + ProxyProtocol.MIN_MAX_HEADER_SIZE
                    + " to " + ProxyProtocol.MAX_MAX_HEADER_SIZE + " bytes: " + maxHeaderSize);
        }
        this.maxHeaderSize = maxHeaderSize;
    }

    /**
     * Takes the header's bytes from {@code in} (read mode), leaving its position just past the
     * header when it is whole, or at its limit when the header needs more.
     *
     * @return the header once it is whole (then again on every later call), else null
     * @throws DecodeException saying what is wrong, as soon as the bytes cannot be a header
     */
    public ProxyHeader decode(ByteBuffer in) throws DecodeException {
        while (header == null && in.hasRemaining()) {
            if (version == 2) {
                takeV2(in);
            } else {
                take(in.get());
            }
        }
        return header;
    }

    /** The header, once {@link #decode} has returned it; else null. */
    public ProxyHeader header() {
        return header;
    }

    /**
     * How many bytes the header needs at most from here: a read of this many takes nothing past a
     * version 2 header, and at most a few bytes past a version 1 line. At least 1 until the header
     * is whole (or refused); 0 once it is whole.
     */
    public int wanted() {
        if (header != null) {
            return 0;
        }
        if (version == 2) {
            return (total < 0 ? V2_FIXED : total) - count;
        }
        if (version == 1) {
            // One more than the longest line can still take: the byte that refuses a line of 107
            // bytes without CRLF. Asking for none would leave a reader that honours this waiting
            // (and, with a level-triggered selector, spinning) until its timeout.
            return V1_MAX_LENGTH + 1 - count;
        }
        return V2_FIXED;
    }

    // ---- one byte at a time until the version is known, and for version 1 ----

    private void take(byte b) throws DecodeException {
        if (count == 0) {
            if (b == 'P') {
                version = 1;
            } else if (b == 0x0D) {
                version = 2;
                bytes[count++] = b;
                return;
            } else {
                throw new DecodeException("the connection does not start with a PROXY protocol header (first byte 0x"
                        + hex(b) + ")");
            }
        }
        // version 1
        if (count < V1_PREFIX.length && b != V1_PREFIX[count]) {
            throw new DecodeException("the connection does not start with a PROXY protocol header (\"PROXY \" expected)");
        }
        if (count == V1_MAX_LENGTH) {
            throw new DecodeException("a PROXY v1 header has no CRLF within its " + V1_MAX_LENGTH + " bytes");
        }
        if (count == bytes.length) {
            bytes = Arrays.copyOf(bytes, V1_MAX_LENGTH);
        }
        if (count > 0 && bytes[count - 1] == '\r' && b != '\n') {
            throw new DecodeException("a PROXY v1 header has a CR not followed by LF");
        }
        if (b == '\n' && (count == 0 || bytes[count - 1] != '\r')) {
            throw new DecodeException("a PROXY v1 header ends with a bare LF, not CRLF");
        }
        bytes[count++] = b;
        if (b == '\n') {
            header = parseV1(new String(bytes, 0, count - 2, StandardCharsets.US_ASCII));
        }
    }

    private static ProxyHeader parseV1(String line) throws DecodeException {
        // line is "PROXY ..." without its CRLF; US-ASCII decoding turned any byte >= 0x80 into U+FFFD.
        String rest = line.substring(V1_PREFIX.length);
        if (rest.equals("UNKNOWN") || rest.startsWith("UNKNOWN ")) {
            return ProxyHeader.v1Unknown();
        }
        String[] fields = rest.split(" ", -1);
        if (fields.length != 5) {
            throw new DecodeException("a PROXY v1 header has TCP4 or TCP6, two addresses and two ports,"
                    + " separated by single spaces: \"" + printable(line) + "\"");
        }
        boolean six;
        if (fields[0].equals("TCP4")) {
            six = false;
        } else if (fields[0].equals("TCP6")) {
            six = true;
        } else {
            throw new DecodeException("a PROXY v1 header's protocol is TCP4, TCP6 or UNKNOWN, not \""
                    + printable(fields[0]) + "\"");
        }
        InetAddress source = six ? IpLiterals.parseIpv6(fields[1]) : IpLiterals.parseIpv4(fields[1]);
        InetAddress destination = six ? IpLiterals.parseIpv6(fields[2]) : IpLiterals.parseIpv4(fields[2]);
        if (source == null || destination == null) {
            throw new DecodeException("a PROXY v1 header has an address that is not a canonical " + fields[0]
                    + " address: \"" + printable(line) + "\"");
        }
        int sourcePort = port(fields[3]);
        int destinationPort = port(fields[4]);
        if (sourcePort < 0 || destinationPort < 0) {
            throw new DecodeException("a PROXY v1 header has a port that is not a number from 0 to 65535 without"
                    + " leading zeros: \"" + printable(line) + "\"");
        }
        return ProxyHeader.received(1, ProxyHeader.Command.PROXY, new InetSocketAddress(source, sourcePort),
                new InetSocketAddress(destination, destinationPort), List.of());
    }

    private static int port(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || n > 1 && text.charAt(0) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value <= 0xffff ? value : -1;
    }

    // ---- version 2: the signature a byte at a time, then the rest in bulk ----

    private void takeV2(ByteBuffer in) throws DecodeException {
        if (count < ProxyHeader.V2_SIGNATURE.length) {
            byte b = in.get();
            if (b != ProxyHeader.V2_SIGNATURE[count]) {
                throw new DecodeException("the connection does not start with a PROXY protocol header"
                        + " (the v2 signature broke at byte " + count + ")");
            }
            bytes[count++] = b;
            return;
        }
        int need = (total < 0 ? V2_FIXED : total) - count;
        int n = Math.min(need, in.remaining());
        in.get(bytes, count, n);
        count += n;
        if (total < 0 && count == V2_FIXED) {
            checkFixedPart();
            total = V2_FIXED + ((bytes[14] & 0xff) << 8 | bytes[15] & 0xff);
            if (total > maxHeaderSize) {
                throw DecodeException.limitExceeded("a PROXY v2 header of " + total + " bytes", "maxHeaderSize",
                        maxHeaderSize);
            }
            bytes = Arrays.copyOf(bytes, total);
        }
        if (count == total) {
            header = parseV2();
        }
    }

    private void checkFixedPart() throws DecodeException {
        int versionAndCommand = bytes[12] & 0xff;
        if (versionAndCommand >> 4 != 2) {
            throw new DecodeException("a PROXY v2 header's version is 2, not " + (versionAndCommand >> 4));
        }
        if ((versionAndCommand & 0x0f) > 1) {
            throw new DecodeException("a PROXY v2 header's command is LOCAL (0) or PROXY (1), not "
                    + (versionAndCommand & 0x0f));
        }
        int familyAndProtocol = bytes[13] & 0xff;
        if (familyAndProtocol >> 4 > 3 || (familyAndProtocol & 0x0f) > 2) {
            throw new DecodeException("a PROXY v2 header's address family and protocol 0x" + hex(bytes[13])
                    + " are not ones the protocol defines");
        }
    }

    private ProxyHeader parseV2() throws DecodeException {
        boolean local = (bytes[12] & 0x0f) == 0;
        int family = (bytes[13] & 0xff) >> 4;
        int protocol = bytes[13] & 0x0f;
        int addressBytes = ADDRESS_BYTES[family];
        if (total - V2_FIXED < addressBytes) {
            throw new DecodeException("a PROXY v2 header announces " + (total - V2_FIXED) + " bytes, fewer than the "
                    + addressBytes + " its address family needs");
        }
        int tlvsAt = V2_FIXED + addressBytes;
        List<ProxyHeader.Tlv> tlvs = ProxyHeader.readTlvs(bytes, tlvsAt, total);
        if (tlvs == null) {
            throw new DecodeException("a PROXY v2 header's TLVs do not fit the length it announces");
        }
        checkTlvs(tlvs, tlvsAt);
        if (local) {
            // The protocol: a LOCAL connection keeps its real endpoints, whatever the block says.
            return ProxyHeader.received(2, ProxyHeader.Command.LOCAL, null, null, tlvs);
        }
        if ((family == 1 || family == 2) && protocol != 0) {
            int size = family == 1 ? 4 : 16;
            byte[] from = Arrays.copyOfRange(bytes, V2_FIXED, V2_FIXED + size);
            byte[] to = Arrays.copyOfRange(bytes, V2_FIXED + size, V2_FIXED + 2 * size);
            int ports = V2_FIXED + 2 * size;
            int fromPort = (bytes[ports] & 0xff) << 8 | bytes[ports + 1] & 0xff;
            int toPort = (bytes[ports + 2] & 0xff) << 8 | bytes[ports + 3] & 0xff;
            return ProxyHeader.received(2, ProxyHeader.Command.PROXY,
                    new InetSocketAddress(IpLiterals.address(from), fromPort),
                    new InetSocketAddress(IpLiterals.address(to), toPort), tlvs);
        }
        // Unspecified, or UNIX sockets, which a TCP connection's addresses cannot stand for: the
        // protocol lets a receiver fall back to the real endpoints.
        return ProxyHeader.received(2, ProxyHeader.Command.PROXY, null, null, tlvs);
    }

    private void checkTlvs(List<ProxyHeader.Tlv> tlvs, int from) throws DecodeException {
        int at = from;
        for (ProxyHeader.Tlv tlv : tlvs) {
            int valueAt = at + 3;
            switch (tlv.type()) {
                case ProxyHeader.TYPE_CRC32C -> checkCrc(tlv, valueAt);
                case ProxyHeader.TYPE_UNIQUE_ID -> {
                    if (tlv.length() > 128) {
                        throw new DecodeException("a PROXY v2 header's unique id takes " + tlv.length()
                                + " bytes, more than the protocol's 128");
                    }
                }
                case ProxyHeader.TYPE_SSL -> {
                    try {
                        ProxyHeader.Ssl.from(tlv);
                    } catch (IllegalArgumentException e) {
                        throw new DecodeException("a PROXY v2 header's SSL TLV is malformed: " + e.getMessage());
                    }
                }
                default -> {
                    // kept as it came
                }
            }
            at = valueAt + tlv.length();
        }
    }

    private void checkCrc(ProxyHeader.Tlv tlv, int valueAt) throws DecodeException {
        if (tlv.length() != 4) {
            throw new DecodeException("a PROXY v2 header's CRC32C TLV holds " + tlv.length() + " bytes, not 4");
        }
        byte[] zeroed = bytes.clone();
        Arrays.fill(zeroed, valueAt, valueAt + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(zeroed, 0, total);
        if ((int) crc.getValue() != ByteBuffer.wrap(ProxyHeader.valueOf(tlv)).getInt()) {
            throw new DecodeException("a PROXY v2 header's CRC32C does not match its bytes");
        }
    }

    private static String hex(byte b) {
        return String.format("%02x", b & 0xff);
    }

    /** {@code text} for a log line: what is not printable ASCII shows as '?'. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
