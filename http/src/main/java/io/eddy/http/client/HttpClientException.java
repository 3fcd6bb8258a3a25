package io.eddy.http.client;

import java.util.Objects;

/**
 * A request that did not get a response: the connection failed, the response broke HTTP/1.1 or a
 * limit, a timeout fired, the pool was full. The message says what happened and where; the
 * {@link #kind()} lets code tell the cases apart.
 *
 * <p>Threading: immutable once thrown.
 */
public class HttpClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The connection could not be made: refused, unreachable, unknown host, connect timeout. */
        CONNECT_FAILED,
        /** The whole response did not arrive within the response timeout. */
        TIMEOUT,
        /** The response broke HTTP/1.1 or one of the client's {@link io.eddy.http.ResponseLimits}. */
        BAD_RESPONSE,
        /** The connection closed or was reset before the response was complete. */
        CONNECTION_CLOSED,
        /** Every connection to the origin was busy and its wait queue was full. */
        POOL_FULL,
        /** More redirects than the client follows. */
        TOO_MANY_REDIRECTS,
        /** Something the client cannot do, such as following a redirect to a scheme other than http and https. */
        UNSUPPORTED,
        /** The request body, streamed by the application, failed. */
        REQUEST_BODY_FAILED,
        /** The client was closed, or its event loop ended, before the response came. */
        CLIENT_CLOSED,
        /** The calling thread was interrupted while it waited (blocking calls of {@link Http} only). */
        INTERRUPTED
    }

    private final Kind kind;

    /** An exception of {@code kind}; the message says what happened. */
    public HttpClientException(Kind kind, String message) {
        this(kind, message, null);
    }

    /** An exception of {@code kind} with the failure behind it. */
    public HttpClientException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }
}
