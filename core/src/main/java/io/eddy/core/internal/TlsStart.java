package io.eddy.core.internal;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLEngine;

/**
 * What a TCP connection needs to speak TLS: its engine (already in client or server mode, with its
 * protocols, suites, ALPN and peer checks set) and its two deadlines.
 *
 * @param engine             the connection's own engine
 * @param handshakeTimeout   how long the handshake may take before the connection closes
 *                           ({@code HANDSHAKE_TIMEOUT})
 * @param closeNotifyTimeout how long a graceful close waits for the peer's {@code close_notify}
 *                           (or FIN) after sending its own
 */
public record TlsStart(SSLEngine engine, Duration handshakeTimeout, Duration closeNotifyTimeout) {

    /** Checks that every part is there and the deadlines are positive. */
    public TlsStart {
        Objects.requireNonNull(engine, "engine");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
        if (closeNotifyTimeout.isNegative()) {
            throw new IllegalArgumentException("closeNotifyTimeout must not be negative: " + closeNotifyTimeout);
        }
    }
}
