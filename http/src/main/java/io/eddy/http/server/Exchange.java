package io.eddy.http.server;

import io.eddy.http.HttpMethod;
import io.eddy.http.HttpVersion;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.internal.BodyBuffer;
import io.eddy.http.internal.jfr.HttpEvents;
import io.eddy.http.internal.jfr.HttpRequestEvent;

/**
 * One request and its response on a connection, from head to last byte written.
 *
 * <pre>
 *   RECEIVING ──End──▶ HANDLING ──response──▶ READY ──its turn──▶ (STREAMING ──end──▶) DONE
 *      │ (no body: straight to HANDLING)         ▲
 *      └── answered before its body was read ────┘ (the rest of the body is dropped, or the connection closes)
 * </pre>
 *
 * <p>An exchange made for a request the decoder refused has no request: only its error response.
 *
 * <p>Threading: loop thread only.
 */
final class Exchange {

    enum State { RECEIVING, HANDLING, READY, STREAMING, DONE }

    /** The request, or null for the answer to one the decoder refused. */
    final HttpRequest request;
    final boolean omitBody;
    /** The body's announced length: -1 chunked, 0 none. */
    final long bodyLength;
    final boolean expectContinue;
    final long startNanos;
    /** Its flight recorder event, begun with it when a recording wants requests; else null. */
    final HttpRequestEvent event = HttpEvents.requestStarted();
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
    /** True once {@code 100 Continue} went out: the client sends the body. */
    boolean continueSent;
    /** True when the connection must close after this response. */
    boolean closeAfter;
    HttpResponse response;
    /** An accepted WebSocket handshake: the connection switches once its 101 is written. */
    WebSocketAccept.Outcome upgrade;

    Exchange(HttpRequest request, RequestPart.Head head, long startNanos) {
        this.request = request;
        this.omitBody = HttpMethod.HEAD.equals(request.method());
        this.bodyLength = head.bodyLength();
        this.expectContinue = head.expectContinue();
        this.startNanos = startNanos;
    }

    /** The exchange answering a request the decoder refused. */
    Exchange(long startNanos) {
        this.request = null;
        this.omitBody = false;
        this.bodyLength = 0;
        this.expectContinue = false;
        this.startNanos = startNanos;
        this.closeAfter = true;
    }

    HttpVersion version() {
        return request == null ? HttpVersion.HTTP_1_1 : request.version();
    }

    @Override
    public String toString() {
        return request == null ? "a refused request" : request.toString();
    }
}
