package io.eddy.http;

/**
 * One request and its response on a connection, from head to last byte written.
 *
 * <pre>
 *   RECEIVING ──End──▶ HANDLING ──response──▶ READY ──its turn──▶ (STREAMING ──end──▶) DONE
 *      (no body: straight to HANDLING)
 * </pre>
 *
 * <p>Threading: loop thread only.
 */
final class Exchange {

    enum State { RECEIVING, HANDLING, READY, STREAMING, DONE }

    final HttpRequest request;
    final boolean keepAlive;
    final boolean omitBody;
    final long startNanos;
    State state;
    Router.Route route;
    /** The gathered body, while receiving one for a handler that wants it whole. */
    BodyBuffer body;
    /** The receiver of a streamed body. */
    BodyReceiver receiver;
    /** True when the body is read and thrown away (the request was answered without it). */
    boolean discardBody;
    /** True when {@code 100 Continue} is owed once this exchange is first in line. */
    boolean continueOwed;
    /** True when the connection must close after this response. */
    boolean closeAfter;
    HttpResponse response;

    Exchange(HttpRequest request, boolean keepAlive, long startNanos) {
        this.request = request;
        this.keepAlive = keepAlive;
        this.omitBody = HttpMethod.HEAD.equals(request.method());
        this.startNanos = startNanos;
    }
}
