package io.eddy.http.client;

import io.eddy.core.codec.Codec;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.codec.HttpRequestEncoder;
import io.eddy.http.codec.HttpResponseDecoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletionException;

/**
 * The connections to one origin (scheme, host and port: {@code http} and {@code https} to the same
 * host and port are two origins, each with its own connections): at most {@code maxConnectionsPerOrigin} open or
 * opening, kept alive between requests, and a bounded queue of calls waiting for one.
 *
 * <pre>
 *   acquire ──▶ an idle connection? ── yes ──▶ carries the call
 *                  │ no
 *                  ├── room under the cap? ── yes ──▶ connect ──▶ carries the call
 *                  ├── room in the queue? ─── yes ──▶ waits: served by the next connection let go or closed
 *                  └── no ──▶ fails (POOL_FULL)
 *   release (reusable) ──▶ the next waiter, else idle (closed after idleTimeout, or when the server closes it)
 *   closed ──▶ the slot is free: the next waiter gets a new connection
 *   nothing open or opening, nobody waiting ──▶ the client forgets the pool (the next call makes a new one)
 * </pre>
 *
 * <p>Threading: loop thread only.
 */
final class OriginPool {

    private final LoopClient client;
    /** The key of the client's map this pool is in. */
    private final String key;
    private final String host;
    private final int port;
    /** Whether the origin is https: its connections speak TLS. */
    private final boolean tls;
    /** Most recently used last: it is the likeliest still open on the server's side. */
    private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private final ArrayList<PooledConnection> all = new ArrayList<>();
    /** Connections open or being opened. */
    private int open;
    /** The levels last added to the loop's figures (when metrics are on): what {@link #report} adds is the change since. */
    private int reportedOpen;
    private int reportedIdle;
    private int reportedWaiting;

    OriginPool(LoopClient client, String key, String host, int port, boolean tls) {
        this.client = client;
        this.key = key;
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    LoopClient client() {
        return client;
    }

    /** The origin, {@code scheme://host:port}, for messages. */
    String origin() {
        return key;
    }

    void acquire(Call call) {
        take(call);
        forgetIfUnused(); // the call may have failed without a connection
        report();
    }

    private void take(Call call) {
        if (call.isDone()) {
            return;
        }
        if (client.isClosed()) {
            call.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client is closed"));
            return;
        }
        if (!call.freshOnly()) {
            PooledConnection c;
            while ((c = idle.pollLast()) != null) {
                if (c.isOpen()) {
                    c.carry(call);
                    return;
                }
            }
        } else if (open >= client.settings().maxConnectionsPerOrigin() && !idle.isEmpty()) {
            idle.pollFirst().close(); // make room for the fresh connection a retry needs
        }
        if (open < client.settings().maxConnectionsPerOrigin()) {
            open++;
            connect(call);
        } else if (waiting.size() < client.settings().maxWaiting()) {
            waiting.add(call);
            call.waitIn(this);
        } else {
            PoolFigures figures = client.figures();
            if (figures != null) {
                figures.refused();
            }
            call.fail(new HttpClientException(Kind.POOL_FULL, "all " + client.settings().maxConnectionsPerOrigin()
                    + " connections to " + origin() + " are busy (maxConnectionsPerOrigin) and " + waiting.size()
                    + " requests wait already (maxWaiting)"));
        }
    }

    /** A call waiting here has finished (timed out, cancelled) without a connection. */
    void leave(Call call) {
        waiting.remove(call);
        forgetIfUnused();
        report();
    }

    private void connect(Call call) {
        PooledConnection connection = new PooledConnection(this, new HttpResponseDecoder(client.settings().limits()), call);
        all.add(connection);
        client.connector().connect(host, port, tls, Codec.of(connection.decoder(), new HttpRequestEncoder()), connection)
                .whenCompleteAsync((c, failure) -> {
                    if (failure == null) {
                        connection.opened(c, call);
                        return;
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    all.remove(connection);
                    open--;
                    call.fail(new HttpClientException(Kind.CONNECT_FAILED, "cannot connect to " + origin() + ": " + cause, cause));
                    serveNext();
                    forgetIfUnused();
                    report();
                }, client.loop());
    }

    /**
     * A connection finished a call: it carries the next waiter, or waits idle. One that cannot
     * carry another request is closed (its slot freed when it has).
     */
    void release(PooledConnection connection, boolean reusable) {
        if (!reusable || !connection.isOpen() || client.isClosed()) {
            connection.close();
            return;
        }
        Call next = nextWaiter();
        if (next != null) {
            connection.carry(next);
        } else {
            idle.addLast(connection);
            connection.idle(client.settings().idleTimeout());
        }
        report();
    }

    /** Loop thread: {@code connection} has closed; its slot is free. */
    void closed(PooledConnection connection) {
        idle.remove(connection);
        if (all.remove(connection)) {
            open--;
            serveNext();
            forgetIfUnused();
        }
        report();
    }

    /** An idle connection timed out. */
    void idleTimedOut(PooledConnection connection) {
        if (idle.remove(connection)) {
            connection.close();
        }
        report();
    }

    /** A pool with nothing open, opening or waiting holds nothing worth keeping: the client's map must not grow with every origin ever called. */
    private void forgetIfUnused() {
        if (open == 0 && waiting.isEmpty()) {
            client.forget(key, this);
        }
    }

    private void serveNext() {
        Call next = nextWaiter();
        if (next != null) {
            acquire(next);
        }
    }

    /**
     * The first waiting call not done yet. A call cancelled from another thread is done at once
     * but leaves the queue only when its clean-up reaches the loop: given a connection or a slot
     * meanwhile, it would waste it, and the calls behind it would wait for a slot already spent.
     */
    private Call nextWaiter() {
        Call next;
        while ((next = waiting.poll()) != null) {
            if (!next.isDone()) {
                return next;
            }
        }
        return null;
    }

    /** The client is closing: waiting calls fail, every connection is closed. */
    void close() {
        Call call;
        while ((call = waiting.poll()) != null) {
            call.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client was closed"));
        }
        for (PooledConnection c : new ArrayList<>(all)) {
            c.clientClosed();
        }
        report();
    }

    /**
     * Adds what changed in this pool since the last report to the loop's figures, when metrics
     * are on. Called at the end of every operation that can change the levels, so the figures
     * are exact between loop cycles without counting at each of the many places that change them.
     */
    private void report() {
        PoolFigures figures = client.figures();
        if (figures == null) {
            return;
        }
        figures.add(PoolFigures.OPEN, open - reportedOpen);
        figures.add(PoolFigures.IDLE, idle.size() - reportedIdle);
        figures.add(PoolFigures.WAITING, waiting.size() - reportedWaiting);
        reportedOpen = open;
        reportedIdle = idle.size();
        reportedWaiting = waiting.size();
    }

    /** Connections open or opening (for tests and monitoring). */
    int openConnections() {
        return open;
    }

    /** Idle connections. */
    int idleConnections() {
        return idle.size();
    }
}
