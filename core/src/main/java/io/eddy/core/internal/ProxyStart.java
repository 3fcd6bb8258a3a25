package io.eddy.core.internal;

import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyProtocol;
import java.time.Duration;
import java.util.Objects;

/**
 * The PROXY protocol stage a TCP connection runs before anything else (before TLS): a server's
 * connection reads a header ({@link #expect}), a client's sends one ({@link #send}).
 *
 * @param header        the header to send, or null to read one
 * @param maxHeaderSize the most bytes a version 2 header read may take
 * @param timeout       how long reading (or sending) the header may take
 */
public record ProxyStart(ProxyHeader header, int maxHeaderSize, Duration timeout) {

    /** Checks the timeout. */
    public ProxyStart {
        Objects.requireNonNull(timeout, "timeout");
    }

    /** Reads a header as {@code protocol} says (its size limit and timeout). */
    public static ProxyStart expect(ProxyProtocol protocol) {
        return new ProxyStart(null, protocol.maxHeaderSize(), protocol.headerTimeout());
    }

    /** Sends {@code header} first. */
    public static ProxyStart send(ProxyHeader header) {
        return new ProxyStart(Objects.requireNonNull(header, "header"), 0, ProxyProtocol.DEFAULT_HEADER_TIMEOUT);
    }

    /** Whether the connection reads a header (else it sends one). */
    public boolean reads() {
        return header == null;
    }
}
