package io.eddy.examples;

import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketOptions;
import java.nio.ByteBuffer;

/**
 * HelloHttp's {@code /ws/echo}: every text and binary message back, unchanged, the usual target of
 * WebSocket conformance suites, so anyone can hold Eddy against their own. Messages up to 16 MiB
 * (in frames of any size); a larger one closes with 1009. permessage-deflate when the client offers
 * it. A client that sends faster than it reads is not read from until it catches up (the
 * connection's backpressure), and one that lets more than {@link #MAX_QUEUED} bytes wait is closed
 * with 1008.
 *
 * <p>Threading: stateless, on any loop.
 */
final class WebSocketEcho implements WebSocketHandler {

    static final WebSocketEcho INSTANCE = new WebSocketEcho();
    /** The largest message echoed. */
    static final int MAX_MESSAGE = 16 << 20;
    /** What may wait for a slow reader: two of the largest messages. */
    static final long MAX_QUEUED = 2L * MAX_MESSAGE + 4096;
    static final WebSocketOptions OPTIONS = WebSocketOptions.defaults()
            .withMaxFrameSize(MAX_MESSAGE).withMaxMessageSize(MAX_MESSAGE).withCompression(true)
            .withBacklog(MAX_QUEUED, WebSocketOptions.Backlog.CLOSE);

    private WebSocketEcho() {
    }

    @Override
    public void onText(WebSocket socket, String text) {
        socket.sendText(text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        socket.sendBinary(data);
    }
}
