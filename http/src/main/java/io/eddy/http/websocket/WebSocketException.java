package io.eddy.http.websocket;

import io.eddy.core.codec.DecodeException;

/**
 * The peer broke the WebSocket protocol or a limit: carries the close code the connection closes
 * with (1002 protocol error, 1007 invalid payload, 1009 too big). Threading: a value.
 */
public final class WebSocketException extends DecodeException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    public WebSocketException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The code the connection closes with. */
    public int closeCode() {
        return closeCode;
    }

    static WebSocketException protocol(String message) {
        return new WebSocketException(CloseCodes.PROTOCOL_ERROR, message);
    }

    static WebSocketException tooBig(String message) {
        return new WebSocketException(CloseCodes.TOO_BIG, message);
    }

    static WebSocketException invalidPayload(String message) {
        return new WebSocketException(CloseCodes.INVALID_PAYLOAD, message);
    }
}
