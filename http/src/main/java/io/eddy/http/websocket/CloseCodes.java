package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The status codes of a WebSocket close (RFC 6455 section 7.4), and which may travel in a close
 * frame. Threading: constants and pure functions.
 */
public final class CloseCodes {

    /** The purpose of the connection is fulfilled. */
    public static final int NORMAL = 1000;
    /** The endpoint goes away: a server shutting down, a page left. */
    public static final int GOING_AWAY = 1001;
    /** The peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A kind of data this endpoint does not accept. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** No status code was in the close frame (never sent). */
    public static final int NO_STATUS = 1005;
    /** The connection ended without a close frame (never sent). */
    public static final int ABNORMAL = 1006;
    /** A text message was not UTF-8, or compressed data did not inflate. */
    public static final int INVALID_PAYLOAD = 1007;
    /** A message broke this endpoint's policy (a slow reader, a refused origin). */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame or message larger than this endpoint takes. */
    public static final int TOO_BIG = 1009;
    /** The client expected an extension the server did not agree. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** The server failed on something unexpected. */
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {
    }

    /** Whether {@code code} may be sent in a close frame (and so received in one). */
    public static boolean isValidOnWire(int code) {
        if (code >= 3000 && code <= 4999) {
            return true; // libraries' and applications' own
        }
        switch (code) {
            case 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014:
                return true;
            default:
                return false;
        }
    }

    /** {@code reason} in UTF-8, cut at a character boundary to the 123 bytes a close frame has room for. */
    static byte[] fitReason(String reason) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(123);
        encoder.encode(CharBuffer.wrap(reason), out, true); // stops before a character that does not fit
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
