package io.eddy.http;

/**
 * The request methods of RFC 9110 as constants. Methods are plain strings (case-sensitive, as the
 * RFC says), so a method not listed here still reaches the router; the decoder hands out these
 * very instances for the methods it knows, so comparing with {@code ==} is safe for them but
 * {@link String#equals} is the rule.
 *
 * <p>Threading: constants; usable from any thread.
 */
public final class HttpMethod {

    public static final String GET = "GET";
    public static final String HEAD = "HEAD";
    public static final String POST = "POST";
    public static final String PUT = "PUT";
    public static final String DELETE = "DELETE";
    public static final String PATCH = "PATCH";
    public static final String OPTIONS = "OPTIONS";
    public static final String CONNECT = "CONNECT";
    public static final String TRACE = "TRACE";

    private HttpMethod() {
    }

    /** Whether a request with this method may be repeated without a different effect (RFC 9110 §9.2.2). */
    public static boolean isIdempotent(String method) {
        switch (method) {
            case GET, HEAD, PUT, DELETE, OPTIONS, TRACE:
                return true;
            default:
                return false;
        }
    }
}
