package io.eddy.http.server;

/**
 * Which headers a server reads, from its trusted proxies, for a request's client address, scheme
 * and host ({@link HttpServer.Builder#trustedProxies}). Exactly one kind is read: a proxy that
 * manages one kind passes the other through as the client sent it, so reading both would let a
 * client write its own address.
 */
public enum ForwardedHeaders {
    /**
     * {@code X-Forwarded-For}, {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}: what nginx
     * and HAProxy set out of the box (the default).
     */
    X_FORWARDED,
    /** {@code Forwarded} (RFC 7239): {@code for}, {@code proto} and {@code host} of each hop. */
    FORWARDED
}
