package io.eddy.http.websocket;

import java.nio.ByteBuffer;

/**
 * What a WebSocket tells its application: opened, a text or binary message, a pong, writability,
 * closed. Every method has a default that does nothing, so a handler names only what it needs.
 *
 * <p><b>Threading.</b> Every method runs on the WebSocket's loop thread and must not block; one
 * handler may serve many WebSockets at once on one loop (or on several, when the server runs on a
 * group, where it must be thread-safe). A method that throws closes that WebSocket with 1011.
 * Pings are answered by Eddy; closes are answered by Eddy.
 */
public interface WebSocketHandler {

    /** The handshake is done: the WebSocket is open. */
    default void onOpen(WebSocket socket) throws Exception {
    }

    /** A whole text message (checked as UTF-8). */
    default void onText(WebSocket socket, String text) throws Exception {
    }

    /** A whole binary message, the handler's to keep. */
    default void onBinary(WebSocket socket, ByteBuffer data) throws Exception {
    }

    /** A pong arrived (the answer to a ping, or unasked). */
    default void onPong(WebSocket socket, ByteBuffer data) throws Exception {
    }

    /** The bytes waiting for the peer crossed the high water mark ({@code false}) or fell under the low one. */
    default void onWritabilityChanged(WebSocket socket, boolean writable) throws Exception {
    }

    /**
     * The WebSocket has closed: {@code code} is the peer's close code (1005 when its close frame had
     * none), or the code this side closed with when it failed the connection, or 1006 when it ended
     * without a close frame. The last call.
     */
    default void onClose(WebSocket socket, int code, String reason) throws Exception {
    }
}
