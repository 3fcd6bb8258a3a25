package io.eddy.http;

import io.eddy.core.codec.DecodeException;

/**
 * A request that breaks HTTP/1.1's rules or one of the decoder's limits, with the status the
 * server answers it with (400, 414, 417, 431 or 505) before it closes the connection.
 *
 * <p>Threading: immutable once thrown.
 */
public final class HttpDecodeException extends DecodeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /** A violation answered with {@code status}; the message names the rule or limit broken. */
    public HttpDecodeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status of the error response. */
    public int status() {
        return status;
    }

    /** A 400 Bad Request: the bytes broke the protocol's syntax. */
    public static HttpDecodeException badRequest(String message) {
        return new HttpDecodeException(HttpStatus.BAD_REQUEST, message);
    }

    /** A broken limit ({@code what} was {@code value}, over {@code limit}), answered with {@code status}. */
    public static HttpDecodeException limit(int status, String what, String limit, long value) {
        return new HttpDecodeException(status, what + " exceeds the limit " + limit + " = " + value);
    }
}
