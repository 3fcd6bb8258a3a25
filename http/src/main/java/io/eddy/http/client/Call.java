package io.eddy.http.client;

import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpMethod;
import io.eddy.http.client.HttpClientException.Kind;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One {@link HttpClient#send}, from the call to its response: it waits in an origin's pool, is
 * given a connection, perhaps retried once (a stale pooled connection) or sent on (a redirect).
 *
 * <pre>
 *   start ──▶ WAITING (in a pool's queue) ──▶ ON A CONNECTION ──▶ response ──▶ done
 *               │   ▲                           │   │
 *               │   └─ stale connection, retry ─┘   └─ redirect ──▶ WAITING (next origin)
 *               └─ timeout, cancel, pool closed ──▶ done (failed): the connection is aborted,
 *                                                    or the call leaves the queue
 * </pre>
 *
 * <p>Threading: loop thread only, except that its future may be completed (cancelled) by any
 * thread; the clean-up that follows is handed to the loop.
 */
final class Call {

    private final LoopClient client;
    final CompletableFuture<Response> future = new CompletableFuture<>();
    private Request request;
    private int redirects;
    private boolean retried;
    /** Whether the call must not take an idle pooled connection (it is being retried). */
    private boolean freshOnly;
    private ScheduledTask deadline;
    /** The connection carrying the request, or null. */
    private PooledConnection connection;
    /** The pool whose queue the call waits in, or null. */
    private OriginPool waitingIn;

    Call(LoopClient client, Request request) {
        this.client = client;
        this.request = request;
        future.whenComplete((response, failure) -> onLoop(this::finished));
    }

    Request request() {
        return request;
    }

    boolean isDone() {
        return future.isDone();
    }

    boolean freshOnly() {
        return freshOnly;
    }

    /** Loop thread: starts the response timeout and asks the origin's pool for a connection. */
    void start() {
        if (isDone()) {
            return;
        }
        deadline = client.loop().schedule(client.settings().responseTimeout(), () -> fail(new HttpClientException(Kind.TIMEOUT,
                "no complete response from " + origin(request.uri()) + " within " + client.settings().responseTimeout().toMillis()
                        + " ms (responseTimeout) for " + request)));
        client.pool(request.uri()).acquire(this);
    }

    void waitIn(OriginPool pool) {
        waitingIn = pool;
    }

    /** Loop thread: the pool gave this call {@code c}, which sends the request. */
    void attached(PooledConnection c) {
        waitingIn = null;
        connection = c;
    }

    /** Loop thread: the whole response arrived and its connection was let go. */
    void responded(Response response) {
        connection = null;
        int status = response.status();
        String location = response.header(HeaderNames.LOCATION);
        if (client.settings().maxRedirects() == 0 || location == null
                || (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)) {
            future.complete(response);
            return;
        }
        boolean keepsMethod = status == 307 || status == 308;
        if (keepsMethod && request.isStreamed()) {
            future.complete(response); // the body is gone: the application decides
            return;
        }
        if (redirects == client.settings().maxRedirects()) {
            fail(new HttpClientException(Kind.TOO_MANY_REDIRECTS, "more than " + client.settings().maxRedirects()
                    + " redirects (followRedirects); the last, " + status + " from " + response.uri() + ", to " + location));
            return;
        }
        URI target;
        try {
            target = request.uri().resolve(location);
            if (target.getScheme() != null && !Request.isSupportedScheme(target.getScheme())) {
                fail(new HttpClientException(Kind.UNSUPPORTED, "cannot follow the redirect from " + response.uri()
                        + " to " + location + ": the client speaks http and https only"));
                return;
            }
            target = Request.check(target, location);
        } catch (IllegalArgumentException e) {
            fail(new HttpClientException(Kind.BAD_RESPONSE,
                    "cannot follow the redirect from " + response.uri() + ": " + e.getMessage(), e));
            return;
        }
        String method = keepsMethod || request.method().equals(HttpMethod.HEAD) ? request.method() : HttpMethod.GET;
        // The origin is scheme, host and port: http to https on the same host is another origin too.
        request = request.redirected(target, method, keepsMethod,
                origin(target).equals(origin(request.uri())));
        redirects++;
        retried = false;
        freshOnly = false;
        client.pool(target).acquire(this);
    }

    /**
     * Loop thread: the connection closed before the whole response arrived. A reused connection
     * that closed before any byte of the response came was most likely closed by the server while
     * the request was on its way: an idempotent request with a body that can be sent again is
     * retried once, on a fresh connection.
     */
    void connectionLost(CloseReason reason, boolean responseStarted, boolean reused) {
        connection = null;
        if (isDone()) {
            return;
        }
        if (reused && !responseStarted && !retried && !request.isStreamed() && HttpMethod.isIdempotent(request.method())) {
            retried = true;
            freshOnly = true;
            client.pool(request.uri()).acquire(this);
            return;
        }
        fail(new HttpClientException(Kind.CONNECTION_CLOSED, "connection to " + origin(request.uri())
                + " closed before the response was complete (" + reason + ") for " + request));
    }

    /** Any thread: fails the call unless it is done already. */
    void fail(HttpClientException e) {
        future.completeExceptionally(e);
    }

    /** Loop thread: the future completed (by the client, or cancelled): nothing may hold on to the call. */
    private void finished() {
        if (deadline != null) {
            deadline.cancel();
        }
        if (waitingIn != null) {
            waitingIn.leave(this);
            waitingIn = null;
        }
        if (connection != null) {
            PooledConnection c = connection;
            connection = null;
            c.abandon(this);
        }
    }

    private void onLoop(Runnable task) {
        if (client.loop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            client.loop().execute(task);
        } catch (RejectedExecutionException loopEnded) {
            // Nothing to clean: the loop closed every connection as it ended.
        }
    }

    /**
     * {@code uri}'s origin (RFC 6454): scheme, host and port, the port given even when it is the
     * scheme's default, as in {@code https://example.com:443}. Connections are pooled by it, and
     * credentials stay within it.
     */
    static String origin(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":"
                + Request.port(uri);
    }
}
