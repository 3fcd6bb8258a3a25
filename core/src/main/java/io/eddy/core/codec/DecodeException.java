package io.eddy.core.codec;

/**
 * Bytes that break a protocol rule or a decoder's limit. The message says which rule or limit, so
 * the closed connection's reason says it too.
 *
 * <p>Protocol modules subclass it to carry more (an HTTP status, for example).
 */
public class DecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** An exception whose message names the rule that was broken. */
    public DecodeException(String message) {
        super(message);
    }

    /** An exception whose message names the rule that was broken, with the failure behind it. */
    public DecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A limit was exceeded: {@code "line length exceeds the limit maxLineLength = 8192 bytes"}.
     *
     * @param what   what was too large, e.g. "line length"
     * @param limit  the name of the limit's setting, e.g. "maxLineLength"
     * @param value  the limit's value, in bytes
     */
    public static DecodeException limitExceeded(String what, String limit, long value) {
        return new DecodeException(what + " exceeds the limit " + limit + " = " + value + " bytes");
    }
}
