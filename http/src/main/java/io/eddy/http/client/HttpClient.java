package io.eddy.http.client;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.TcpClient;
import io.eddy.http.ResponseLimits;
import io.eddy.http.client.HttpClientException.Kind;
import java.net.SocketOption;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 client on an {@link EventLoop}: requests go out on kept-alive connections, pooled per
 * origin, and each answer completes a future.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.on(loop).responseTimeout(Duration.ofSeconds(5)).build();
 * client.send(Request.get("http://127.0.0.1:9990/hello"))
 *       .thenAccept(response -> System.out.println(response.status() + " " + response.text()));
 * }</pre>
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@code maxConnectionsPerOrigin}</td><td>8</td><td>connections open (or opening) to one host and port</td></tr>
 *   <tr><td>{@code maxWaiting}</td><td>1024</td><td>requests waiting for a connection of one origin;
 *       one more fails at once ({@link Kind#POOL_FULL})</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>30 s</td><td>how long a kept-alive connection waits for its next request</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>10 s</td><td>how long a connect may take ({@link Kind#CONNECT_FAILED})</td></tr>
 *   <tr><td>{@code responseTimeout}</td><td>30 s</td><td>from {@code send} to the whole response, waiting,
 *       connecting and redirects included ({@link Kind#TIMEOUT}); the connection is closed</td></tr>
 *   <tr><td>{@code followRedirects}</td><td>0 (off)</td><td>redirects followed at most (see below)</td></tr>
 *   <tr><td>{@code userAgent}</td><td>{@code Eddy/0.1}</td><td>sent unless a request sets its own (null: none)</td></tr>
 *   <tr><td>{@code limits}</td><td>{@link ResponseLimits#defaults()}</td><td>head and body sizes of responses</td></tr>
 * </table>
 *
 * <p><b>Connections.</b> One request at a time per connection. A connection goes back to the pool
 * only after its response was read whole, with no byte behind it, after the whole request was
 * sent, and both sides keep it alive; a response cut short, malformed, timed out, cancelled or
 * early (before the request was all sent) closes its connection, and its slot serves the next
 * waiting request. A pooled connection the server closes is dropped at once; one found closed just as a
 * request went out on it (no byte of the response came) is retried once on a fresh connection, if
 * the method is idempotent and the body is not streamed.
 *
 * <p><b>Redirects</b> (when {@code followRedirects} is above 0): 301, 302 and 303 are followed with
 * a GET without body (a HEAD stays a HEAD), 307 and 308 with the same method and body (a streamed
 * body cannot be sent again: the 3xx response is returned). {@code Location} is resolved against
 * the request's URL; {@code Authorization} and {@code Cookie} are dropped when the origin changes.
 *
 * <p><b>Threading.</b> {@link #send} and {@link #close} are safe from any thread; everything a
 * connection does runs on the loop. The futures complete on the loop thread: work chained on them
 * with {@code thenAccept} runs there too, and must not block (use the {@code Async} variants with an
 * executor for blocking work). Cancelling a future ({@code cancel(true)}) closes the request's
 * connection, or takes it out of the queue. Host names are resolved off the loop.
 */
public final class HttpClient implements AutoCloseable {

    private final EventLoop loop;
    private final int maxConnectionsPerOrigin;
    private final int maxWaiting;
    private final Duration idleTimeout;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final int maxRedirects;
    private final String userAgent;
    private final ResponseLimits limits;
    private final Connector connector;
    /** The pools by origin, of origins with a connection open or opening or a call waiting; loop thread only. */
    private final Map<String, OriginPool> pools = new HashMap<>();
    private volatile boolean closed;

    private HttpClient(Builder b) {
        this.loop = b.loop;
        this.maxConnectionsPerOrigin = b.maxConnectionsPerOrigin;
        this.maxWaiting = b.maxWaiting;
        this.idleTimeout = b.idleTimeout;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.maxRedirects = b.maxRedirects;
        this.userAgent = b.userAgent;
        this.limits = b.limits;
        this.connector = b.connector != null ? b.connector : new TcpConnector(b.loop, b.connectTimeout, b.socketOptions);
    }

    /** Starts configuring a client on {@code loop}. */
    public static Builder on(EventLoop loop) {
        return new Builder(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * Sends {@code request}; the future completes with the whole response, or fails with an
     * {@link HttpClientException} saying why (a {@code CancellationException} if it was cancelled).
     * Any status is a response: a 404 or a 500 completes the future normally.
     */
    public CompletableFuture<Response> send(Request request) {
        Objects.requireNonNull(request, "request");
        Call call = new Call(this, request);
        if (closed) {
            call.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client is closed"));
            return call.future;
        }
        try {
            loop.execute(call::start);
        } catch (RejectedExecutionException e) {
            call.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client's event loop has ended", e));
        }
        return call.future;
    }

    /** The loop the client's connections live on. */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Closes the client: requests waiting or in flight fail ({@link Kind#CLIENT_CLOSED}), and every
     * connection is closed. Returns at once; safe from any thread; the loop goes on.
     */
    @Override
    public void close() {
        closed = true;
        try {
            loop.execute(() -> {
                for (OriginPool pool : new ArrayList<>(pools.values())) {
                    pool.close();
                }
                pools.clear();
            });
        } catch (RejectedExecutionException loopEnded) {
            // The loop closed every connection as it ended.
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Loop thread: the pool of {@code uri}'s origin. */
    OriginPool pool(URI uri) {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal, as InetSocketAddress takes it
        }
        int port = uri.getPort() < 0 ? Request.DEFAULT_PORT : uri.getPort();
        String h = host;
        return pools.computeIfAbsent(Call.origin(uri), origin -> new OriginPool(this, origin, h, port));
    }

    /** Loop thread: {@code pool} has nothing open, opening or waiting; a later call to its origin makes a new one. */
    void forget(String origin, OriginPool pool) {
        pools.remove(origin, pool);
    }

    /** Loop thread: the origins the client holds a pool for (for tests and monitoring). */
    int pools() {
        return pools.size();
    }

    /** Loop thread: connections open or opening to {@code url}'s origin (for tests and monitoring). */
    int openConnections(String url) {
        OriginPool pool = pools.get(Call.origin(URI.create(url)));
        return pool == null ? 0 : pool.openConnections();
    }

    int maxConnectionsPerOrigin() {
        return maxConnectionsPerOrigin;
    }

    int maxWaiting() {
        return maxWaiting;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    Duration responseTimeout() {
        return responseTimeout;
    }

    int maxRedirects() {
        return maxRedirects;
    }

    String userAgent() {
        return userAgent;
    }

    /** How the pools open connections: over TCP, unless a test gave the builder another way. */
    Connector connector() {
        return connector;
    }

    ResponseLimits limits() {
        return limits;
    }

    /** Settings for a new client; see the table on {@link HttpClient}. Threading: one thread at a time. */
    public static final class Builder {

        private final EventLoop loop;
        private int maxConnectionsPerOrigin = 8;
        private int maxWaiting = 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(30);
        private int maxRedirects;
        private String userAgent = "Eddy/0.1";
        private ResponseLimits limits = ResponseLimits.defaults();
        private final List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions = new ArrayList<>();
        /** Null: TCP, with the settings above. */
        private Connector connector;

        private Builder(EventLoop loop) {
            this.loop = loop;
        }

        /** Connections open or opening to one origin at most (default 8). */
        public Builder maxConnectionsPerOrigin(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnectionsPerOrigin must be > 0: " + connections);
            }
            this.maxConnectionsPerOrigin = connections;
            return this;
        }

        /** Requests waiting for a connection of one origin at most (default 1024; 0: none wait). */
        public Builder maxWaiting(int requests) {
            if (requests < 0) {
                throw new IllegalArgumentException("maxWaiting must be >= 0: " + requests);
            }
            this.maxWaiting = requests;
            return this;
        }

        /** How long a kept-alive connection waits idle before it is closed (default 30 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = positive("idleTimeout", timeout);
            return this;
        }

        /** How long a connect may take (default 10 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** From {@code send} to the whole response, redirects included (default 30 s). */
        public Builder responseTimeout(Duration timeout) {
            this.responseTimeout = positive("responseTimeout", timeout);
            return this;
        }

        /** Follows at most {@code max} redirects (default 0: a 3xx response is returned as it is). */
        public Builder followRedirects(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("followRedirects must be >= 0: " + max);
            }
            this.maxRedirects = max;
            return this;
        }

        /** The {@code User-Agent} of requests that set none (default {@code Eddy/0.1}; null: none). */
        public Builder userAgent(String userAgent) {
            if (userAgent != null) {
                io.eddy.http.HttpHeaders.of("User-Agent", userAgent); // a bad value fails here
            }
            this.userAgent = userAgent;
            return this;
        }

        /** The limits responses are held to (default {@link ResponseLimits#defaults()}). */
        public Builder limits(ResponseLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * A socket option of every connection, as {@link TcpClient.Builder#option} takes it
         * ({@code TCP_NODELAY} is on unless turned off here); checked when a connection opens.
         */
        public <T> Builder option(SocketOption<T> option, T value) {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(value, "value");
            socketOptions.add(tcp -> tcp.option(option, value));
            return this;
        }

        /**
         * Opens connections with {@code connector} instead of over TCP (the connect timeout and
         * socket options then do not apply): the package's tests hand the pool in-memory
         * connections on a test loop this way.
         */
        Builder connector(Connector connector) {
            this.connector = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /** The client. */
        public HttpClient build() {
            return new HttpClient(this);
        }

        private static Duration positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
