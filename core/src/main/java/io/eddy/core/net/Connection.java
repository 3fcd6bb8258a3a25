package io.eddy.core.net;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.tls.TlsSession;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection, as a handler sees it: write messages, close it, watch its backpressure.
 *
 * <pre>
 *   OPEN ──close(), idle timeout, decode,──▶ CLOSING (flushing what   ──queue empty──▶ CLOSED
 *          encode or handler error, loop       is queued, not reading)
 *          closing, peer EOF (by default)
 *     │                                              └── closeTimeout passed ──▶ CLOSED (CLOSE_TIMEOUT)
 *     └── abort(), reset, outbound overflow, loop deadline ─────────────────────▶ CLOSED
 * </pre>
 *
 * <p><b>Writes.</b> {@link #write} queues a message; everything a loop cycle queued leaves in one
 * gathering write at the end of the cycle. Queued bytes are bounded: past the high water mark
 * {@link #isWritable()} turns false, the handler is told, and (unless
 * {@link ConnectionOptions#withReadPausedWhileUnwritable} turned it off) the connection reads
 * nothing more until the queue is below the low water mark, apart from {@link #pauseReading()},
 * which it neither undoes nor is undone by; past the outbound limit the write
 * fails and the connection closes with {@link CloseReason.Kind#OUTBOUND_OVERFLOW}. (File regions,
 * {@link io.eddy.core.codec.FileRegion}, count toward the water marks but not toward the limit,
 * which bounds memory: they wait in their files.) A write that
 * breaks a limit or that its encoder refuses closes the connection with the cause, logged once,
 * and fails the write's listener; a write to a connection already closed fails its listener (and
 * is logged at debug level when it has none).
 *
 * <p><b>Threading.</b> {@code write}, {@code flush}, {@code close}, {@code abort},
 * {@code shutdownOutput}, {@code pauseReading} and {@code resumeReading} are safe from any thread
 * (off the loop they are handed to it with {@link EventLoop#execute}); the queries are safe from
 * any thread; {@link #attr} is loop thread only.
 *
 * @param <O> the messages this connection writes
 */
public interface Connection<O> {

    /** The loop this connection lives on. */
    EventLoop loop();

    /**
     * Queues {@code message} for the peer. On the loop thread the message is encoded at once, and a
     * write that breaks a limit closes the connection inside this call (the handler's
     * {@code onClose} runs before it returns): a handler writing to a set of connections iterates
     * over a copy of it.
     */
    void write(O message);

    /** Queues {@code message} and tells {@code listener} once it has left, or has failed to. */
    void write(O message, WriteListener listener);

    /** Writes what is queued now, rather than at the end of the loop cycle. */
    void flush();

    /** Closes once every queued byte has been written (bounded by the close timeout). */
    void close();

    /** Closes at once with a TCP reset, dropping whatever is queued. */
    void abort();

    /** Half-closes: once every queued byte is written, sends FIN; the peer can go on writing. */
    void shutdownOutput();

    /** Stops reading from the peer until {@link #resumeReading()}: TCP backpressure. */
    void pauseReading();

    /** Reads again, starting with bytes already received and not yet decoded. */
    void resumeReading();

    /** Whether the connection is neither closing nor closed. */
    boolean isOpen();

    /**
     * Whether the outbound queue is under its high water mark (see the class comment). It counts
     * encoded bytes: a message written from another thread counts once the loop has encoded it.
     */
    boolean isWritable();

    /**
     * Bytes queued and not yet handed to the operating system, file regions included: exact on
     * the loop thread, the latest published value elsewhere.
     */
    long pendingOutboundBytes();

    /** This side's address. */
    SocketAddress localAddress();

    /**
     * The peer's address: the client's, as a PROXY protocol header gave it, on a listener that
     * expects one ({@link io.eddy.core.proxy.ProxyProtocol}); else the socket's peer.
     */
    SocketAddress remoteAddress();

    /**
     * The PROXY protocol header this connection started with, or empty when its listener expects
     * none from its peer. A connection whose header is missing or malformed never opens, so a
     * handler always sees it here when it came.
     */
    default Optional<ProxyHeader> proxyHeader() {
        return Optional.empty();
    }

    /**
     * The address of the proxy that sent {@link #proxyHeader()} (the socket's real peer), or empty
     * when the connection started with no header. With a {@code LOCAL} header (the proxy's own
     * health check) it equals {@link #remoteAddress()}.
     */
    default Optional<SocketAddress> proxiedBy() {
        return Optional.empty();
    }

    /**
     * What TLS agreed on for this connection (protocol, suite, ALPN, the peer's certificates), or
     * empty for a plaintext connection. A TLS connection opens only after its handshake, so the
     * handler always sees it here.
     */
    default Optional<TlsSession> tls() {
        return Optional.empty();
    }

    /**
     * Switches this connection to another protocol: from now on {@code codec} decodes what the peer
     * sends and encodes what is written, and {@code handler} hears of it (its {@code onOpen} first,
     * before this returns). It is the same connection (same socket, TLS session, PROXY header,
     * attributes, queue and close future); the old codec and handler, with their per-connection
     * state, are dropped, and the old handler hears nothing more.
     *
     * <p>Call it at a decode boundary: from the old handler's {@code onMessage}, or while reading is
     * paused. Every byte the peer sent after the message that asked for the switch, whether it came
     * in the same read or is still waiting, goes to the new codec, in order (a decoder consumes no
     * more than its message, so nothing is held back by the old one). What the old codec encoded
     * before the switch is sent first; a write of an old message handed in from another thread and
     * not yet encoded fails its listener. A pause the old handler held is released. HTTP's
     * {@code 101 Switching Protocols} to WebSocket is one use; any protocol may make its own.
     *
     * <p>Loop thread only; throws {@link IllegalStateException} elsewhere, or once closing.
     *
     * @return this connection, typed for the new protocol
     */
    default <I2, O2> Connection<O2> upgrade(Codec<I2, O2> codec, Handler<I2, O2> handler) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot switch protocol");
    }

    /** The value kept under {@code key}, or null. Loop thread only. */
    <T> T attr(AttributeKey<T> key);

    /** Keeps {@code value} under {@code key} (null removes it). Loop thread only. */
    <T> void attr(AttributeKey<T> key, T value);

    /** Why the connection closed, or null while it is open. */
    CloseReason closeReason();

    /** Completes with the reason once the connection has closed. */
    CompletableFuture<CloseReason> closeFuture();
}
