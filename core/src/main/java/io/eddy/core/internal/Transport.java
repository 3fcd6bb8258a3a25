package io.eddy.core.internal;

import io.eddy.core.net.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * What carries a TCP connection's bytes between its socket and its codec: the socket itself
 * ({@link PlainTransport}), or TLS over it ({@link TlsTransport}). The connection reads plaintext
 * from it and writes plaintext to it; what the transport does to the bytes in between (and what it
 * still holds of them) is its own business, which the connection asks about so that water marks,
 * write listeners and a graceful close count every byte that has not left the socket.
 *
 * <p>Threading: loop thread only.
 */
interface Transport {

    /**
     * Reads plaintext into {@code dst}.
     *
     * @return the bytes put into {@code dst} (possibly none, even when the socket had bytes: a
     *     handshake message, part of a record), or -1 once the peer's input has ended
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Where plaintext is written. For a plain socket this is the socket itself, so file regions
     * keep the kernel's zero-copy transfer.
     */
    GatheringByteChannel output();

    /**
     * Plaintext bytes {@link #output()} took whose encrypted form has not yet wholly left the
     * socket: counted with the connection's queued bytes.
     */
    default long heldBytes() {
        return 0;
    }

    /** Whether the transport holds bytes for the socket (records of its own included). */
    default boolean holdsOutput() {
        return false;
    }

    /** Writes what the transport holds; true when it then holds nothing. */
    default boolean flushHeld() throws IOException {
        return true;
    }

    /**
     * Whether input waits inside the transport that the selector will not announce again: bytes
     * already read from the socket and not yet given to {@link #read}.
     */
    default boolean hasBufferedInput() {
        return false;
    }

    /** Ends this side's output (TLS: {@code close_notify} first), then sends FIN. */
    void shutdownOutput() throws IOException;

    /** Starts a graceful close of this side's output without FIN (TLS: sends {@code close_notify}). */
    default void closeOutbound() {
    }

    /** The connection has closed, for {@code reason}: nothing more is read or written through this transport. */
    default void closed(CloseReason reason) {
    }
}
