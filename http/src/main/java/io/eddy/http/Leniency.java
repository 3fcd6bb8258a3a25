package io.eddy.http;

/**
 * A rule of RFC 9112 the request decoder can be told to relax, one by one, for legacy peers. By
 * default none is: a request breaking any of them is answered with 400 and the connection closed.
 * Every violation tolerated is reported to the server's {@link ViolationListener}.
 *
 * <p>Threading: immutable.
 */
public enum Leniency {
    /** Accept a line ended by LF alone (RFC 9112 §2.2 allows it; strict mode does not). */
    BARE_LF,
    /** Accept obs-fold, a header value continued on a line starting with SP or HTAB, as one SP. */
    OBS_FOLD,
    /** Accept whitespace between a field name and its colon, dropping it. */
    WHITESPACE_BEFORE_COLON,
    /** Accept an HTTP/1.1 request without a {@code Host} header. */
    MISSING_HOST
}
