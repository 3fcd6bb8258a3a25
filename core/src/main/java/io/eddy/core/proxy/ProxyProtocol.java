package io.eddy.core.proxy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a listener expects a PROXY protocol header (versions 1 and 2) at the start of each
 * connection, and from whom: a listener's setting, never a guess. A receiver that guessed whether
 * a header is there would let any client that sends one claim any address.
 *
 * <table>
 *   <caption>Modes</caption>
 *   <tr><th>mode</th><th>a connection from a trusted address</th><th>from any other address</th></tr>
 *   <tr><td>{@link Mode#OFF} (the default)</td><td colspan="2">no header is read: every byte goes to the codec</td></tr>
 *   <tr><td>{@link Mode#REQUIRED}</td><td colspan="2">must start with a valid header, or it is closed ({@code PROXY_HEADER_ERROR})</td></tr>
 *   <tr><td>{@link Mode#TRUSTED}</td><td>must start with a valid header, or it is closed</td><td>no header is read: its bytes go to the codec as they are (a header it sends is just bytes, which the codec refuses)</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>when broken</th></tr>
 *   <tr><td>{@link #headerTimeout()}: from the connection's accept to the header's last byte</td><td>5 s</td><td>closed with {@code HANDSHAKE_TIMEOUT}</td></tr>
 *   <tr><td>a version 1 header: the protocol's own 107 bytes</td><td>107</td><td>closed with {@code PROXY_HEADER_ERROR}</td></tr>
 *   <tr><td>{@link #maxHeaderSize()}: a version 2 header, TLVs included</td><td>4 KiB</td><td>closed with {@code PROXY_HEADER_ERROR}, as soon as its length is read</td></tr>
 * </table>
 *
 * <p>With TLS, the header comes first, in plaintext, and the handshake follows it, as HAProxy and
 * nginx send it. The handler hears of a connection ({@code onOpen}) only once its header (and
 * handshake) are done; a connection whose header is missing, malformed or late never reaches it,
 * and is logged at debug level.
 *
 * <p>Threading: immutable.
 */
public final class ProxyProtocol {

    /** Which connections must start with a header. */
    public enum Mode {
        /** None: the listener reads no header. */
        OFF,
        /** Every connection. */
        REQUIRED,
        /** Connections from the trusted addresses; the others are read without one. */
        TRUSTED
    }

    /** The default header timeout: longer than a TCP retransmission, as the protocol asks (3 s at least). */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** The default limit on a version 2 header, TLVs included. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 4096;
    /** The smallest limit allowed: a version 2 header with two UNIX socket addresses and no TLV. */
    public static final int MIN_MAX_HEADER_SIZE = 16 + 216;
    /** The largest version 2 header there is. */
    public static final int MAX_MAX_HEADER_SIZE = 16 + 0xffff;

    private static final ProxyProtocol OFF = new ProxyProtocol(Mode.OFF, List.of(), DEFAULT_HEADER_TIMEOUT,
            DEFAULT_MAX_HEADER_SIZE);

    private final Mode mode;
    private final List<Cidr> trusted;
    private final Duration headerTimeout;
    private final int maxHeaderSize;

    private ProxyProtocol(Mode mode, List<Cidr> trusted, Duration headerTimeout, int maxHeaderSize) {
        this.mode = mode;
        this.trusted = List.copyOf(trusted);
        this.headerTimeout = headerTimeout;
        this.maxHeaderSize = maxHeaderSize;
    }

    /** No header is read (the default of every listener). */
    public static ProxyProtocol off() {
        return OFF;
    }

    /** Every connection must start with a header: for a listener only a proxy can reach. */
    public static ProxyProtocol required() {
        return new ProxyProtocol(Mode.REQUIRED, List.of(), DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_HEADER_SIZE);
    }

    /**
     * Connections from these blocks ({@link Cidr#parse}: {@code 10.0.0.0/8}, {@code 127.0.0.1})
     * must start with a header; connections from anywhere else are read without one.
     *
     * @throws IllegalArgumentException if a block is malformed, or none is given
     */
    public static ProxyProtocol trusted(String... blocks) {
        List<Cidr> cidrs = new ArrayList<>();
        for (String block : blocks) {
            cidrs.add(Cidr.parse(block));
        }
        return trusted(cidrs);
    }

    /**
     * Connections from these blocks must start with a header; the others are read without one.
     *
     * @throws IllegalArgumentException if none is given
     */
    public static ProxyProtocol trusted(List<Cidr> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("TRUSTED needs at least one trusted address or block;"
                    + " use off() for none, required() for every peer");
        }
        return new ProxyProtocol(Mode.TRUSTED, blocks, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_HEADER_SIZE);
    }

    /**
     * The same, with {@code timeout} from accept to the header's last byte (default 5 s).
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public ProxyProtocol withHeaderTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout must be positive: " + timeout);
        }
        return new ProxyProtocol(mode, trusted, timeout, maxHeaderSize);
    }

    /**
     * The same, with a version 2 header held to {@code bytes}, TLVs included (default 4 KiB;
     * from {@value #MIN_MAX_HEADER_SIZE} to {@value #MAX_MAX_HEADER_SIZE}). A version 1 header is
     * always held to the protocol's 107 bytes.
     *
     * @throws IllegalArgumentException if {@code bytes} is out of that range
     */
    public ProxyProtocol withMaxHeaderSize(int bytes) {
        if (bytes < MIN_MAX_HEADER_SIZE || bytes > MAX_MAX_HEADER_SIZE) {
            throw new IllegalArgumentException("maxHeaderSize must be from " + MIN_MAX_HEADER_SIZE + " to "
                    + MAX_MAX_HEADER_SIZE + " bytes: " + bytes);
        }
        return new ProxyProtocol(mode, trusted, headerTimeout, bytes);
    }

    /** Which connections must start with a header. */
    public Mode mode() {
        return mode;
    }

    /** The trusted blocks ({@link Mode#TRUSTED}; empty otherwise). */
    public List<Cidr> trusted() {
        return trusted;
    }

    /** How long a connection may take to send its header. */
    public Duration headerTimeout() {
        return headerTimeout;
    }

    /** The most bytes a version 2 header may take. */
    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    /** Whether a connection from {@code peer} must start with a header. */
    public boolean expectsHeaderFrom(InetAddress peer) {
        return switch (mode) {
            case OFF -> false;
            case REQUIRED -> true;
            case TRUSTED -> isTrusted(trusted, peer);
        };
    }

    /** Whether {@code address} lies in one of {@code blocks}. */
    public static boolean isTrusted(List<Cidr> blocks, InetAddress address) {
        Objects.requireNonNull(address, "address");
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PROXY protocol " + mode + (mode == Mode.TRUSTED ? " from " + trusted : "");
    }
}
