package io.eddy.http.websocket;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.Connection;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One open WebSocket, as a {@link WebSocketHandler} sees it: send messages, ping, close.
 *
 * <p><b>Threading.</b> The sends, {@code ping} and {@code close} are safe from any thread (off the
 * loop they go through {@link EventLoop#execute}, in the order called); the queries too;
 * {@link #attr} is loop thread only. A send after the close began is dropped (counted in
 * {@link #dropped()}). A send that finds more than {@code maxQueuedBytes} waiting for the peer
 * meets the options' {@link WebSocketOptions.Backlog}; watch {@link #isWritable()} (and
 * {@link WebSocketHandler#onWritabilityChanged}) to stay below it.
 */
public interface WebSocket {

    /** Sends a text message. */
    void sendText(String text);

    /** Sends a binary message: {@code data}'s remaining bytes, copied now. */
    void sendBinary(ByteBuffer data);

    /** Sends a binary message. */
    default void sendBinary(byte[] data) {
        sendBinary(ByteBuffer.wrap(data));
    }

    /** Sends a ping with {@code data} (at most 125 bytes); the peer's pong reaches {@link WebSocketHandler#onPong}. */
    void ping(ByteBuffer data);

    /**
     * Starts the close handshake with {@code code} (see {@link CloseCodes}) and {@code reason}:
     * sends a close frame and waits for the peer's, at most the close timeout.
     */
    void close(int code, String reason);

    /** {@code close(1000, "")}. */
    default void close() {
        close(CloseCodes.NORMAL, "");
    }

    /** Whether messages can still be sent: no close frame has gone out or come in. */
    boolean isOpen();

    /** Whether the bytes waiting for the peer are under the connection's high water mark. */
    boolean isWritable();

    /** Messages dropped: sent after the close began, or past the backlog with {@code DROP}. */
    long dropped();

    /** The subprotocol agreed in the handshake, or null. */
    String subprotocol();

    /** Whether permessage-deflate was agreed. */
    boolean compressed();

    /**
     * Whether this side compresses each message alone (permessage-deflate agreed without this
     * side's context takeover): then a message compressed once may be sent to it and to others
     * alike; see {@link WebSocketBroadcast}.
     */
    boolean sharesCompression();

    /** The path the handshake asked for (with its query, if any). */
    String target();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /** The loop this WebSocket lives on. */
    EventLoop loop();

    /**
     * The connection underneath, typed for frames: for a {@link io.eddy.core.net.ConnectionGroup}
     * of WebSockets, whose broadcasts are encoded once (with {@link FrameEncoder#server}).
     */
    Connection<Frame> connection();

    /** The value kept under {@code key}, or null. Loop thread only. */
    <T> T attr(AttributeKey<T> key);

    /** Keeps {@code value} under {@code key}. Loop thread only. */
    <T> void attr(AttributeKey<T> key, T value);
}
