package io.eddy.http.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opening handshake's arithmetic (RFC 6455 section 4): the client's random
 * {@code Sec-WebSocket-Key}, the server's {@code Sec-WebSocket-Accept} proving it read it, and the
 * comma-separated token lists of {@code Sec-WebSocket-Protocol}. Threading: pure functions.
 */
public final class WebSocketHandshake {

    /** The only version of the protocol (its {@code Sec-WebSocket-Version}). */
    public static final String VERSION = "13";
    public static final String SEC_KEY = "Sec-WebSocket-Key";
    public static final String SEC_ACCEPT = "Sec-WebSocket-Accept";
    public static final String SEC_VERSION = "Sec-WebSocket-Version";
    public static final String SEC_PROTOCOL = "Sec-WebSocket-Protocol";
    public static final String SEC_EXTENSIONS = "Sec-WebSocket-Extensions";

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom KEYS = new SecureRandom();

    private WebSocketHandshake() {
    }

    /** A fresh client key: 16 random bytes in base64. */
    public static String newKey() {
        byte[] nonce = new byte[16];
        KEYS.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** Whether {@code key} is a valid client key: base64 of exactly 16 bytes. */
    public static boolean isValidKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code Sec-WebSocket-Accept} that answers {@code key}. */
    public static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** The tokens of a comma-separated header value (or of several joined), trimmed, empties left out. */
    public static List<String> tokens(List<String> values) {
        List<String> tokens = new ArrayList<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                String trimmed = token.trim();
                if (!trimmed.isEmpty()) {
                    tokens.add(trimmed);
                }
            }
        }
        return tokens;
    }
}
