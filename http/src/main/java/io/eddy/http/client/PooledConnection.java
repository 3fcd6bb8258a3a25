package io.eddy.http.client;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.http.HttpHeaders;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.codec.ClientResponsePart;
import io.eddy.http.codec.HttpResponseDecoder;
import io.eddy.http.internal.BodyBuffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive connection of an {@link OriginPool}, carrying one request at a time (no
 * pipelining): it sends the request, gathers the response, and hands itself back to the pool.
 *
 * <pre>
 *   connecting ──▶ BUSY (a call: request out, response in) ──complete, keep-alive──▶ IDLE ──▶ BUSY ...
 *                    │ response cut short, malformed, timed out, cancelled: aborted     │ idle timeout,
 *                    │ complete but not keep-alive (Connection: close, close-delimited) │ the server closed it,
 *                    ▼                                                                  ▼ bytes while idle
 *                  CLOSED ◀──────────────────────────────────────────────────────────── CLOSED
 * </pre>
 *
 * <p>A connection is only ever given back to the pool after a whole response was read on it; every
 * other end of a call closes it, so no byte of one response can be taken for the next.
 *
 * <p>Threading: loop thread only (it is the connection's handler).
 */
final class PooledConnection implements Handler<ClientResponsePart, ClientRequestPart> {

    private static final Logger log = LoggerFactory.getLogger(PooledConnection.class);

    private final OriginPool pool;
    private final HttpResponseDecoder decoder;
    private Connection<ClientRequestPart> connection;
    /** The call being carried, or null when idle. */
    private Call call;
    /** Whether a response was read whole on this connection before: a stale one may be closed by now. */
    private boolean reused;
    private ClientResponsePart.Head head;
    private BodyBuffer body;
    private RequestBodyFraming requestStream;
    /** Whether bytes of the current request have not all left for the socket yet. */
    private boolean requestUnsent;
    private ScheduledTask idleTimer;
    private boolean closed;

    /** The call the connection is being opened for, until it is open: closing the client fails it. */
    private Call opening;

    PooledConnection(OriginPool pool, HttpResponseDecoder decoder, Call first) {
        this.pool = pool;
        this.decoder = decoder;
        this.opening = first;
    }

    HttpResponseDecoder decoder() {
        return decoder;
    }

    boolean isOpen() {
        return !closed && connection != null && connection.isOpen();
    }

    /** The connect succeeded: carry {@code first}, or wait idle if it finished meanwhile. */
    void opened(Connection<ClientRequestPart> c, Call first) {
        this.connection = c;
        opening = null;
        if (first.isDone() || pool.client().isClosed()) {
            pool.release(this, true);
        } else {
            carry(first);
        }
    }

    /** Sends {@code next}'s request and reads its response. */
    void carry(Call next) {
        if (idleTimer != null) {
            idleTimer.cancel();
            idleTimer = null;
        }
        call = next;
        next.attached(this);
        Request request = next.request();
        head = null;
        body = null;
        decoder.expectResponseTo(request.method());
        requestUnsent = true;
        connection.write(request.toHead(pool.client().settings().userAgent()), failure -> {
            if (failure == null && !request.isStreamed() && call == next) {
                requestUnsent = false;
            }
        });
        if (request.isStreamed()) {
            requestStream = new RequestBodyFraming(this, connection);
            requestStream.writer().start(request.stream());
        }
    }

    /** Waits idle in the pool, closed after {@code timeout}. */
    void idle(Duration timeout) {
        idleTimer = connection.loop().schedule(timeout, () -> pool.idleTimedOut(this));
    }

    /** The call ended without its response (timeout, cancel): nothing read on the connection can be trusted any more. */
    void abandon(Call c) {
        if (call == c) {
            call = null;
            connection.abort();
        }
    }

    /** The request's streamed body failed: the request cannot be completed. */
    void requestBodyFailed(Throwable cause) {
        Call c = call;
        call = null;
        connection.abort();
        if (c != null) {
            c.fail(new HttpClientException(Kind.REQUEST_BODY_FAILED, "the request body of " + c.request() + " failed: " + cause, cause));
        }
    }

    /** The last chunk of {@code stream}'s body has left for the socket. */
    void requestBodySent(RequestBodyFraming stream) {
        if (stream == requestStream) {
            requestUnsent = false;
        }
    }

    void close() {
        if (connection == null) {
            return;
        }
        if (requestUnsent) {
            // The server answered before taking the whole request: it does not want the rest, and
            // a graceful close would hold the connection (and its slot) until the rest drains.
            connection.abort();
        } else {
            connection.close();
        }
    }

    void clientClosed() {
        Call c = call != null ? call : opening;
        call = null;
        opening = null;
        if (c != null) {
            c.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client was closed before the response to " + c.request()));
        }
        if (connection != null) {
            connection.abort();
        }
    }

    @Override
    public void onMessage(Connection<ClientRequestPart> c, ClientResponsePart part) {
        if (part instanceof ClientResponsePart.Head h) {
            head = h;
            body = new BodyBuffer(h.bodyLength() >= 0 ? h.bodyLength() : -1);
        } else if (part instanceof ClientResponsePart.Body piece) {
            body.append(piece.data());
        } else if (part instanceof ClientResponsePart.End end) {
            complete(end);
        }
    }

    private void complete(ClientResponsePart.End end) {
        Call c = call;
        call = null;
        reused = true;
        // A response complete before the whole request left (an early answer such as a 413): the
        // rest of the request is still queued or being streamed, and a next request would go out
        // behind it, to a server that may never read it. Bytes behind the response's end (a second,
        // unasked response) would be taken for the next request's response.
        boolean keepAlive = head.keepAlive() && !requestUnsent && !decoder.hasBytesAfterResponse();
        requestStream = null;
        Response response = new Response(c.request().uri(), head.version(), head.status(), head.reason(),
                head.headers(), body.toArray(), end.trailers());
        head = null;
        body = null;
        pool.release(this, keepAlive);
        c.responded(response);
    }

    @Override
    public void onInputClosed(Connection<ClientRequestPart> c) {
        if (decoder.endOfStream()) {
            // A close-delimited body ends here: the response is whole, the connection done.
            complete(new ClientResponsePart.End(new HttpHeaders()));
        }
        c.close();
    }

    @Override
    public void onDecodeError(Connection<ClientRequestPart> c, DecodeException error) {
        Call failed = call;
        call = null;
        if (failed != null) {
            failed.fail(new HttpClientException(Kind.BAD_RESPONSE, "malformed response from " + pool.origin()
                    + " to " + failed.request() + ": " + error.getMessage(), error));
        } else {
            log.debug("{}: closing a pooled connection: {}", pool.origin(), error.getMessage());
        }
    }

    @Override
    public void onWritabilityChanged(Connection<ClientRequestPart> c, boolean writable) {
        if (writable && requestStream != null) {
            requestStream.writer().writableAgain();
        }
    }

    @Override
    public void onClose(Connection<ClientRequestPart> c, CloseReason reason) {
        closed = true;
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (requestStream != null) {
            requestStream.writer().connectionClosed();
        }
        Call lost = call;
        call = null;
        pool.closed(this);
        if (lost != null) {
            lost.connectionLost(reason, decoder.responseStarted(), reused);
        }
    }
}
