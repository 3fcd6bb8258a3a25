package io.eddy.core.net;

import io.eddy.core.codec.DecodeException;

/**
 * The end of a pipeline: receives a connection's decoded messages and its life events, and writes
 * replies.
 *
 * <p><b>Threading.</b> Every method runs on the connection's loop thread and must not block: work
 * that blocks goes to an {@code Executor}, and its answer comes back with {@link Connection#write},
 * which is safe from any thread. One handler may serve many connections; keep per-connection state
 * in {@link Connection#attr}.
 *
 * <p>A method that throws closes that connection with {@link CloseReason.Kind#HANDLER_FAILURE}
 * (logged once); the loop and every other connection go on. Two exceptions: when
 * {@code onDecodeError} throws, the connection still closes with {@code DECODE_ERROR}, and when
 * {@code onClose} throws, it is only logged (the connection is closed already).
 *
 * @param <I> messages received, as the codec decodes them
 * @param <O> messages written, as the codec encodes them
 */
public interface Handler<I, O> {

    /** The connection is open; a good place to greet the peer. */
    default void onOpen(Connection<O> connection) throws Exception {
    }

    /** A whole message arrived. */
    void onMessage(Connection<O> connection, I message) throws Exception;

    /**
     * The peer closed its output (half-close) and every message before it was delivered. The
     * connection can still write; by default it closes once what it queued is written.
     */
    default void onInputClosed(Connection<O> connection) throws Exception {
        connection.close();
    }

    /**
     * The peer's bytes broke the protocol or a limit. The connection closes with
     * {@link CloseReason.Kind#DECODE_ERROR} right after this returns; what the handler writes here
     * (an error reply) is flushed before it does.
     */
    default void onDecodeError(Connection<O> connection, DecodeException error) throws Exception {
    }

    /**
     * The connection's outbound queue crossed its high water mark ({@code writable} false: stop
     * writing) or fell back under its low water mark ({@code writable} true: go on).
     */
    default void onWritabilityChanged(Connection<O> connection, boolean writable) throws Exception {
    }

    /**
     * The connection's loop is shutting down gracefully (phase two: listeners have stopped
     * accepting): finish what is in progress, then close. By default the connection closes at once,
     * once what it queued is written, as it always did. A protocol overrides it to end cleanly: an
     * HTTP server answers the requests it is working on with {@code Connection: close} and closes an
     * idle keep-alive connection at once. A handler that answers later (from a timer, or from
     * another thread) may keep the connection open until it has answered, then {@code close()} it;
     * the connection keeps reading meanwhile. At the loop's shutdown deadline whatever is still
     * open is closed at once, with {@link CloseReason.Kind#LOOP_CLOSED}, which is also the reason
     * of a connection closed by this side after this call.
     */
    default void onLoopClosing(Connection<O> connection) throws Exception {
        connection.close();
    }

    /** The connection has closed, for {@code reason}. The last call for this connection. */
    default void onClose(Connection<O> connection, CloseReason reason) throws Exception {
    }
}
