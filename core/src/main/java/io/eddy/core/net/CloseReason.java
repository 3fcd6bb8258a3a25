package io.eddy.core.net;

import java.util.Objects;

/**
 * Why a connection closed: a kind tests and handlers can switch on, a sentence for people, and the
 * failure behind it, if any.
 *
 * @param kind    what closed it
 * @param detail  a short explanation, e.g. "line length exceeds the limit maxLineLength = 8192 bytes"
 * @param cause   the exception behind it, or null
 */
public record CloseReason(Kind kind, String detail, Throwable cause) {

    /** What closed a connection. */
    public enum Kind {
        /** This side called {@code close()}. */
        LOCAL_CLOSE,
        /** This side called {@code abort()}: closed at once with a reset, queued bytes dropped. */
        ABORTED,
        /** The peer closed the connection (end of stream, and nothing left to send). */
        PEER_CLOSED,
        /** The peer reset the connection, or the network failed under it (any socket I/O error). */
        PEER_RESET,
        /** Nothing was read or written for longer than the idle timeout. */
        IDLE_TIMEOUT,
        /** The peer's bytes broke the protocol or a decoder limit. */
        DECODE_ERROR,
        /** An outbound message could not be encoded. */
        ENCODE_ERROR,
        /** More bytes were queued for the peer than the outbound limit allows. */
        OUTBOUND_OVERFLOW,
        /** The handler threw. */
        HANDLER_FAILURE,
        /**
         * A local failure, not the peer's: the channel was closed under the connection, or a file
         * being sent ended before its region did.
         */
        IO_ERROR,
        /** Queued bytes could not be written before the close deadline. */
        CLOSE_TIMEOUT,
        /** The event loop closed. */
        LOOP_CLOSED,
        /**
         * The connection's opening did not finish within its timeout: the TLS handshake, or the
         * PROXY protocol header a listener expects before it (see
         * {@link io.eddy.core.proxy.ProxyProtocol}). The detail says which.
         */
        HANDSHAKE_TIMEOUT,
        /**
         * TLS failed: the handshake (a peer speaking no TLS, no protocol or suite in common, a
         * certificate refused) or a record that does not decrypt, or a renegotiation refused.
         */
        TLS_ERROR,
        /**
         * A listener that expects a PROXY protocol header got none, or a malformed one, or one
         * too large, or the connection ended inside it (see {@link io.eddy.core.proxy.ProxyProtocol}).
         */
        PROXY_HEADER_ERROR
    }

    /** A reason; {@code cause} may be null. */
    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    /** A reason without an exception behind it. */
    public static CloseReason of(Kind kind, String detail) {
        return new CloseReason(kind, detail, null);
    }

    /** A reason with the exception behind it; the detail is taken from the exception. */
    public static CloseReason of(Kind kind, Throwable cause) {
        String message = cause.getMessage();
        return new CloseReason(kind, message != null ? message : cause.getClass().getSimpleName(), cause);
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
