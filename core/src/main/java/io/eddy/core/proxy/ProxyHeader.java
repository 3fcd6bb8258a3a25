package io.eddy.core.proxy;

import io.eddy.core.internal.IpLiterals;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A PROXY protocol header (HAProxy's {@code proxy-protocol.txt}, versions 1 and 2): what a proxy
 * in front of a server says about the connection it relays, the client's address first. A server
 * receives one per connection when its listener asks for it ({@link ProxyProtocol}), and the
 * connection tells it ({@code Connection.proxyHeader()}); a client sends one
 * ({@code TcpClient.Builder.proxyHeader}), made with {@link #v1}, {@link #v2} or {@link #local}.
 *
 * <table>
 *   <caption>What a header can say</caption>
 *   <tr><th>header</th><th>{@link #command()}</th><th>{@link #source()}, {@link #destination()}</th><th>the connection's remote address</th></tr>
 *   <tr><td>v1 {@code TCP4}/{@code TCP6}, v2 {@code PROXY} over IPv4/IPv6</td><td>{@code PROXY}</td><td>the client's and the address it connected to</td><td>the client's</td></tr>
 *   <tr><td>v1 {@code UNKNOWN}; v2 {@code PROXY} with an unspecified or UNIX address family</td><td>{@code PROXY}</td><td>empty</td><td>the proxy's (the socket's peer)</td></tr>
 *   <tr><td>v2 {@code LOCAL} (a proxy's own connection: health checks)</td><td>{@code LOCAL}</td><td>empty</td><td>the proxy's (the socket's peer)</td></tr>
 * </table>
 *
 * <p><b>TLVs</b> (version 2 only) come in {@link #tlvs()} as they were sent, the unknown ones
 * included; the registered ones are also read for you: {@link #alpn()}, {@link #authority()} (the
 * name the client asked for, its TLS SNI), {@link #uniqueId()}, {@link #ssl()} (whether and how
 * the client spoke TLS to the proxy, with its sub-TLVs) and {@link #netns()}. A {@code CRC32C} TLV
 * is checked by the receiver; {@code NOOP} is padding.
 *
 * <p>Threading: immutable.
 */
public final class ProxyHeader {

    /** What the connection is. */
    public enum Command {
        /**
         * The proxy's own connection, not relayed (version 2 only): health checks. The connection
         * keeps its real addresses.
         */
        LOCAL,
        /** A connection relayed on behalf of a client, whose address the header gives (if known). */
        PROXY
    }

    /** TLV type: the application protocol (ALPN) the client agreed on with the proxy. */
    public static final int TYPE_ALPN = 0x01;
    /** TLV type: the host name the client asked for (its TLS SNI), UTF-8. */
    public static final int TYPE_AUTHORITY = 0x02;
    /** TLV type: a CRC32C of the whole header, checked by the receiver. */
    public static final int TYPE_CRC32C = 0x03;
    /** TLV type: padding, ignored. */
    public static final int TYPE_NOOP = 0x04;
    /** TLV type: an opaque id of the connection, at most 128 bytes. */
    public static final int TYPE_UNIQUE_ID = 0x05;
    /** TLV type: TLS information, with sub-TLVs (see {@link Ssl}). */
    public static final int TYPE_SSL = 0x20;
    /** TLV type: the name of the network namespace the connection came in on, US-ASCII. */
    public static final int TYPE_NETNS = 0x30;

    /** The 12 bytes every version 2 header starts with. */
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final int version;
    private final Command command;
    private final InetSocketAddress source;
    private final InetSocketAddress destination;
    private final List<Tlv> tlvs;

    private ProxyHeader(int version, Command command, InetSocketAddress source, InetSocketAddress destination,
                        List<Tlv> tlvs) {
        this.version = version;
        this.command = command;
        this.source = source;
        this.destination = destination;
        this.tlvs = List.copyOf(tlvs);
    }

    /**
     * A version 1 header (a line of text) for a connection from {@code source} to
     * {@code destination}, both IPv4 or both IPv6, with resolved addresses.
     *
     * @throws IllegalArgumentException if the addresses are unresolved or of different families
     */
    public static ProxyHeader v1(InetSocketAddress source, InetSocketAddress destination) {
        checkPair(source, destination);
        return new ProxyHeader(1, Command.PROXY, source, destination, List.of());
    }

    /**
     * A version 1 {@code PROXY UNKNOWN} header: relayed, but the client's address is not known.
     * The receiver keeps the connection's real addresses.
     */
    public static ProxyHeader v1Unknown() {
        return new ProxyHeader(1, Command.PROXY, null, null, List.of());
    }

    /**
     * A version 2 (binary) {@code PROXY} header for a TCP connection from {@code source} to
     * {@code destination}, both IPv4 or both IPv6, with these TLVs.
     *
     * @throws IllegalArgumentException if the addresses are unresolved or of different families
     */
    public static ProxyHeader v2(InetSocketAddress source, InetSocketAddress destination, Tlv... tlvs) {
        checkPair(source, destination);
        return new ProxyHeader(2, Command.PROXY, source, destination, List.of(tlvs));
    }

    /**
     * A version 2 {@code PROXY} header whose addresses are not given (the unspecified family), or
     * not ones this implementation represents (UNIX sockets): the receiver keeps the connection's
     * real addresses.
     */
    public static ProxyHeader v2Unspecified(Tlv... tlvs) {
        return new ProxyHeader(2, Command.PROXY, null, null, List.of(tlvs));
    }

    /** A version 2 {@code LOCAL} header: the sender's own connection (a health check), not relayed. */
    public static ProxyHeader local(Tlv... tlvs) {
        return new ProxyHeader(2, Command.LOCAL, null, null, List.of(tlvs));
    }

    private static void checkPair(InetSocketAddress source, InetSocketAddress destination) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        if (source.isUnresolved() || destination.isUnresolved()) {
            throw new IllegalArgumentException("a PROXY header carries addresses, not names: " + source + ", "
                    + destination);
        }
        if (source.getAddress().getAddress().length != destination.getAddress().getAddress().length) {
            throw new IllegalArgumentException("a PROXY header's two addresses are of one family, both IPv4 or both"
                    + " IPv6: " + source + ", " + destination);
        }
    }

    /** 1 (a line of text) or 2 (binary). */
    public int version() {
        return version;
    }

    /** {@code PROXY} (relayed) or {@code LOCAL} (the proxy's own connection). */
    public Command command() {
        return command;
    }

    /** The client's address, when the header gives one (see the class comment). */
    public Optional<InetSocketAddress> source() {
        return Optional.ofNullable(source);
    }

    /** The address the client connected to (the proxy's, typically), when the header gives one. */
    public Optional<InetSocketAddress> destination() {
        return Optional.ofNullable(destination);
    }

    /** Every TLV, in the order sent, the unknown ones included; empty for version 1. */
    public List<Tlv> tlvs() {
        return tlvs;
    }

    /** The value of the first TLV of {@code type}, if there is one. */
    public Optional<Tlv> tlv(int type) {
        for (Tlv tlv : tlvs) {
            if (tlv.type() == type) {
                return Optional.of(tlv);
            }
        }
        return Optional.empty();
    }

    /** The ALPN protocol the client agreed on with the proxy ({@code h2}, {@code http/1.1}), if sent. */
    public Optional<String> alpn() {
        return tlv(TYPE_ALPN).map(t -> t.text(StandardCharsets.US_ASCII));
    }

    /** The host name the client asked for (its TLS SNI), if sent. */
    public Optional<String> authority() {
        return tlv(TYPE_AUTHORITY).map(t -> t.text(StandardCharsets.UTF_8));
    }

    /** The proxy's id for the connection, if sent. */
    public Optional<byte[]> uniqueId() {
        return tlv(TYPE_UNIQUE_ID).map(Tlv::value);
    }

    /** The network namespace the connection came in on, if sent. */
    public Optional<String> netns() {
        return tlv(TYPE_NETNS).map(t -> t.text(StandardCharsets.US_ASCII));
    }

    /**
     * What the proxy says about TLS between the client and itself, if it sent it.
     *
     * @throws IllegalArgumentException never for a header a server received (it was checked
     *     then); for one made by hand with a malformed {@code SSL} TLV
     */
    public Optional<Ssl> ssl() {
        return tlv(TYPE_SSL).map(Ssl::from);
    }

    /**
     * The header's bytes, as a sender puts them on the wire before anything else. Version 1 headers
     * without addresses are {@code PROXY UNKNOWN}; version 2 headers get their TLVs as given.
     *
     * @throws IllegalStateException if the TLVs make a version 2 header longer than 65,551 bytes
     */
    public byte[] encode() {
        return version == 1 ? encodeV1() : encodeV2();
    }

    private byte[] encodeV1() {
        if (source == null) {
            return "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        byte[][] addresses = addressBytes();
        String family = addresses[0].length == 4 ? "TCP4" : "TCP6";
        return ("PROXY " + family + " " + IpLiterals.format(addresses[0]) + " " + IpLiterals.format(addresses[1]) + " "
                + source.getPort() + " " + destination.getPort() + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] encodeV2() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int familyAndProtocol = 0x00;
        if (source != null) {
            byte[][] addresses = addressBytes();
            byte[] from = addresses[0];
            byte[] to = addresses[1];
            familyAndProtocol = from.length == 4 ? 0x11 : 0x21;
            body.writeBytes(from);
            body.writeBytes(to);
            body.write(source.getPort() >> 8);
            body.write(source.getPort());
            body.write(destination.getPort() >> 8);
            body.write(destination.getPort());
        }
        int crcAt = -1;
        for (Tlv tlv : tlvs) {
            body.write(tlv.type());
            body.write(tlv.value.length >> 8);
            body.write(tlv.value.length);
            if (tlv.type() == TYPE_CRC32C && crcAt < 0) {
                crcAt = 16 + body.size(); // filled in once the whole header is there
                body.writeBytes(new byte[tlv.value.length]);
            } else {
                body.writeBytes(tlv.value);
            }
        }
        if (body.size() > 0xffff) {
            throw new IllegalStateException("a PROXY v2 header's addresses and TLVs take at most 65,535 bytes, not "
                    + body.size());
        }
        ByteBuffer header = ByteBuffer.allocate(16 + body.size());
        header.put(V2_SIGNATURE)
                .put((byte) (0x20 | (command == Command.PROXY ? 1 : 0)))
                .put((byte) familyAndProtocol)
                .putShort((short) body.size())
                .put(body.toByteArray());
        byte[] bytes = header.array();
        if (crcAt >= 0 && tlv(TYPE_CRC32C).orElseThrow().value.length == 4) {
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            int value = (int) crc.getValue();
            ByteBuffer.wrap(bytes, crcAt, 4).putInt(value);
        }
        return bytes;
    }

    /**
     * The source's and the destination's bytes as the header carries them: 4 each, or 16 each. A
     * received header may pair an IPv4-mapped IPv6 address, which the JDK makes an IPv4 one, with
     * an IPv6 one: the IPv4 one goes back into IPv6 then, as it came.
     */
    private byte[][] addressBytes() {
        byte[] from = source.getAddress().getAddress();
        byte[] to = destination.getAddress().getAddress();
        if (from.length != to.length) {
            from = inIpv6(from);
            to = inIpv6(to);
        }
        return new byte[][] {from, to};
    }

    /** {@code address} as 16 bytes: an IPv4 one mapped ({@code ::ffff:a.b.c.d}). */
    private static byte[] inIpv6(byte[] address) {
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProxyHeader that && version == that.version && command == that.command
                && Objects.equals(source, that.source) && Objects.equals(destination, that.destination)
                && tlvs.equals(that.tlvs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, command, source, destination, tlvs);
    }

    @Override
    public String toString() {
        String what = command == Command.LOCAL ? "LOCAL"
                : source == null ? "PROXY (addresses unknown)" : "PROXY " + source + " -> " + destination;
        return "PROXY v" + version + " " + what + (tlvs.isEmpty() ? "" : " " + tlvs);
    }

    /**
     * One TLV of a version 2 header: a type from 0 to 255 and a value of at most 65,535 bytes.
     *
     * <p>Threading: immutable (the value is copied in and out).
     */
    public static final class Tlv {
        private final int type;
        private final byte[] value;

        private Tlv(int type, byte[] value) {
            if (type < 0 || type > 0xff) {
                throw new IllegalArgumentException("a TLV's type is a byte, 0 to 255: " + type);
            }
            if (value.length > 0xffff) {
                throw new IllegalArgumentException("a TLV's value takes at most 65,535 bytes, not " + value.length);
            }
            this.type = type;
            this.value = value;
        }

        /** A TLV of {@code type} holding a copy of {@code value}. */
        public static Tlv of(int type, byte[] value) {
            return new Tlv(type, value.clone());
        }

        /** A TLV of {@code type} holding {@code text} in UTF-8. */
        public static Tlv of(int type, String text) {
            return new Tlv(type, text.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * A {@code CRC32C} TLV: the sender computes the checksum over the whole header when it is
         * encoded, and a receiver checks it.
         */
        public static Tlv crc32c() {
            return new Tlv(TYPE_CRC32C, new byte[4]);
        }

        /** The type, 0 to 255. */
        public int type() {
            return type;
        }

        /** A copy of the value. */
        public byte[] value() {
            return value.clone();
        }

        /** The value's length in bytes. */
        public int length() {
            return value.length;
        }

        String text(java.nio.charset.Charset charset) {
            return new String(value, charset);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tlv that && type == that.type && Arrays.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return 31 * type + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "TLV 0x" + Integer.toHexString(type) + " (" + value.length + " bytes)";
        }
    }

    /**
     * The {@code SSL} TLV: whether the client spoke TLS to the proxy, whether it sent a
     * certificate and whether that was verified, and the sub-TLVs that name the TLS version, the
     * cipher, the algorithms of the proxy's certificate and the client certificate's common name.
     *
     * <p>Threading: immutable.
     *
     * @param client the {@code client} bit field: {@link #CLIENT_SSL}, {@link #CLIENT_CERT_CONN},
     *               {@link #CLIENT_CERT_SESS}
     * @param verify zero when the client presented a certificate that was verified, else non-zero
     * @param subTlvs the sub-TLVs as sent, the unknown ones included
     */
    public record Ssl(int client, long verify, List<Tlv> subTlvs) {

        /** {@code client} bit: the client connected over TLS. */
        public static final int CLIENT_SSL = 0x01;
        /** {@code client} bit: the client sent a certificate on this connection. */
        public static final int CLIENT_CERT_CONN = 0x02;
        /** {@code client} bit: the client sent a certificate at least once in this TLS session. */
        public static final int CLIENT_CERT_SESS = 0x04;
        /** Sub-TLV type: the TLS version, US-ASCII ({@code TLSv1.3}). */
        public static final int SUBTYPE_VERSION = 0x21;
        /** Sub-TLV type: the client certificate's common name, UTF-8. */
        public static final int SUBTYPE_CN = 0x22;
        /** Sub-TLV type: the cipher, US-ASCII ({@code ECDHE-RSA-AES128-GCM-SHA256}). */
        public static final int SUBTYPE_CIPHER = 0x23;
        /** Sub-TLV type: the signature algorithm of the proxy's certificate ({@code RSA-SHA256}). */
        public static final int SUBTYPE_SIG_ALG = 0x24;
        /** Sub-TLV type: the key algorithm of the proxy's certificate ({@code RSA2048}). */
        public static final int SUBTYPE_KEY_ALG = 0x25;

        /** Copies the sub-TLV list. */
        public Ssl {
            subTlvs = List.copyOf(subTlvs);
        }

        /** The {@code SSL} TLV these values make, for a sender. */
        public Tlv toTlv() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(client);
            out.writeBytes(ByteBuffer.allocate(4).putInt((int) verify).array());
            for (Tlv sub : subTlvs) {
                out.write(sub.type());
                out.write(sub.value.length >> 8);
                out.write(sub.value.length);
                out.writeBytes(sub.value);
            }
            return new Tlv(TYPE_SSL, out.toByteArray());
        }

        /** Whether the client spoke TLS to the proxy. */
        public boolean clientUsedTls() {
            return (client & CLIENT_SSL) != 0;
        }

        /** Whether the client sent a certificate, on this connection or earlier in its TLS session. */
        public boolean clientSentCertificate() {
            return (client & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0;
        }

        /** Whether the client sent a certificate and it was verified. */
        public boolean certificateVerified() {
            return clientSentCertificate() && verify == 0;
        }

        /** The TLS version ({@code TLSv1.3}), if sent. */
        public Optional<String> version() {
            return sub(SUBTYPE_VERSION, StandardCharsets.US_ASCII);
        }

        /** The client certificate's common name, if sent. */
        public Optional<String> commonName() {
            return sub(SUBTYPE_CN, StandardCharsets.UTF_8);
        }

        /** The cipher, if sent. */
        public Optional<String> cipher() {
            return sub(SUBTYPE_CIPHER, StandardCharsets.US_ASCII);
        }

        /** The signature algorithm of the proxy's certificate, if sent. */
        public Optional<String> signatureAlgorithm() {
            return sub(SUBTYPE_SIG_ALG, StandardCharsets.US_ASCII);
        }

        /** The key algorithm of the proxy's certificate, if sent. */
        public Optional<String> keyAlgorithm() {
            return sub(SUBTYPE_KEY_ALG, StandardCharsets.US_ASCII);
        }

        private Optional<String> sub(int type, java.nio.charset.Charset charset) {
            for (Tlv tlv : subTlvs) {
                if (tlv.type() == type) {
                    return Optional.of(tlv.text(charset));
                }
            }
            return Optional.empty();
        }

        /**
         * Reads an {@code SSL} TLV: the client byte, the 32-bit verify field, then sub-TLVs that
         * fill the value exactly.
         *
         * @throws IllegalArgumentException if {@code tlv} is not an {@code SSL} TLV, or malformed
         */
        public static Ssl from(Tlv tlv) {
            byte[] value = tlv.value;
            if (tlv.type() != TYPE_SSL || value.length < 5) {
                throw new IllegalArgumentException("an SSL TLV has type 0x20 and at least 5 bytes: " + tlv);
            }
            int client = value[0] & 0xff;
            long verify = ByteBuffer.wrap(value, 1, 4).getInt() & 0xffffffffL;
            List<Tlv> subs = readTlvs(value, 5, value.length);
            if (subs == null) {
                throw new IllegalArgumentException("the SSL TLV's sub-TLVs do not fit its length");
            }
            return new Ssl(client, verify, subs);
        }
    }

    /** The TLVs in {@code bytes[from, to)}, or null when they do not fit exactly. */
    static List<Tlv> readTlvs(byte[] bytes, int from, int to) {
        List<Tlv> tlvs = new ArrayList<>();
        int at = from;
        while (at < to) {
            if (to - at < 3) {
                return null;
            }
            int type = bytes[at] & 0xff;
            int length = (bytes[at + 1] & 0xff) << 8 | bytes[at + 2] & 0xff;
            at += 3;
            if (to - at < length) {
                return null;
            }
            tlvs.add(new Tlv(type, Arrays.copyOfRange(bytes, at, at + length)));
            at += length;
        }
        return tlvs;
    }

    /** A header the decoder read, with addresses (both or neither) and TLVs as they came. */
    static ProxyHeader received(int version, Command command, InetSocketAddress source,
                                InetSocketAddress destination, List<Tlv> tlvs) {
        return new ProxyHeader(version, command, source, destination, tlvs);
    }

    /** The value of {@code tlv}, not copied: the decoder checks values it has just made. */
    static byte[] valueOf(Tlv tlv) {
        return tlv.value;
    }
}
