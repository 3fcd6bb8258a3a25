package io.eddy.http.client;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.TcpClient;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.tls.ClientTls;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.ResponseLimits;
import io.eddy.http.client.HttpClientException.Kind;
import java.net.SocketOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 client on an {@link EventLoop}, for {@code http://} and {@code https://} URLs:
 * requests go out on kept-alive connections, pooled per origin (scheme, host and port), and each
 * answer completes a future.
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
 *   <tr><td>{@code maxConnectionsPerOrigin}</td><td>8</td><td>connections open (or opening) to one host and port (per loop on a group)</td></tr>
 *   <tr><td>{@code maxWaiting}</td><td>1024</td><td>requests waiting for a connection of one origin;
 *       one more fails at once ({@link Kind#POOL_FULL})</td></tr>
 *   <tr><td>{@code idleTimeout}</td><td>30 s</td><td>how long a kept-alive connection waits for its next request</td></tr>
 *   <tr><td>{@code connectTimeout}</td><td>10 s</td><td>how long a connect may take ({@link Kind#CONNECT_FAILED})</td></tr>
 *   <tr><td>{@code responseTimeout}</td><td>30 s</td><td>from {@code send} to the whole response, waiting,
 *       connecting and redirects included ({@link Kind#TIMEOUT}); the connection is closed</td></tr>
 *   <tr><td>{@code followRedirects}</td><td>0 (off)</td><td>redirects followed at most (see below)</td></tr>
 *   <tr><td>{@code userAgent}</td><td>{@code Eddy/0.1}</td><td>sent unless a request sets its own (null: none)</td></tr>
 *   <tr><td>{@code metrics}</td><td>{@link Metrics#none()}</td><td>where the pools' figures go: connections open
 *       and idle, requests waiting and refused, per loop</td></tr>
 *   <tr><td>{@code name}</td><td>{@code http-client}</td><td>the {@code client} label of those figures</td></tr>
 *   <tr><td>{@code limits}</td><td>{@link ResponseLimits#defaults()}</td><td>head and body sizes of responses</td></tr>
 *   <tr><td>{@code tls}</td><td>{@link ClientTls#defaults()} with ALPN {@code http/1.1}</td><td>how https
 *       connections speak TLS: the trusted CAs (the system's by default), host name verification (on), a client
 *       certificate</td></tr>
 * </table>
 *
 * <p><b>https.</b> An {@code https://} URL is sent over TLS, to port 443 unless it names another.
 * The host of the URL is the name the server's certificate must hold and the name sent as SNI (an
 * IP address is checked against the certificate's IP entries, and not sent). A certificate not
 * trusted, or not for that host, fails the request with {@link Kind#CONNECT_FAILED}, its cause the
 * {@code SSLException} that says why. The client offers the ALPN name {@code http/1.1}.
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
 * A redirect from http to https, or back, is followed like any other, and changes the origin.
 *
 * <p><b>On a group</b> ({@link #on(EventLoopGroup)}) the client has one independent set of origin
 * pools per loop, each touched only by its own loop's thread, so no pool is ever shared between
 * threads. A request sent from one of the group's loops (a handler calling another service) uses
 * that loop's pools: its connection and its answer stay on the caller's loop. A request sent from
 * any other thread goes to the loop the group's chooser picks (the fewest open connections by
 * default), and its future completes there. {@code maxConnectionsPerOrigin} and
 * {@code maxWaiting} are then per loop: a client on 4 loops may hold up to 4 × 8 connections to one
 * origin. The settings are shared; {@link #close()} closes every loop's pools.
 *
 * <p><b>Threading.</b> {@link #send} and {@link #close} are safe from any thread; everything a
 * connection does runs on the loop. The futures complete on the loop thread: work chained on them
 * with {@code thenAccept} runs there too, and must not block (use the {@code Async} variants with an
 * executor for blocking work). Cancelling a future ({@code cancel(true)}) closes the request's
 * connection, or takes it out of the queue. Host names are resolved off the loop.
 */
public final class HttpClient implements AutoCloseable {

    /** The group it spreads over, or null on one loop. */
    private final EventLoopGroup group;
    /** The part on each loop: one on a loop, one per loop on a group. Immutable. */
    private final Map<EventLoop, LoopClient> parts;
    /** The part on the one loop, or null on a group. */
    private final LoopClient single;
    /** The pools' figures, registered with the builder's metrics; null when they are off. */
    private final Metrics.Registration figures;

    private HttpClient(EventLoopGroup group, Map<EventLoop, LoopClient> parts, Metrics.Registration figures) {
        this.group = group;
        this.parts = parts;
        this.single = group == null ? parts.values().iterator().next() : null;
        this.figures = figures;
    }

    /** Starts configuring a client on {@code loop}. */
    public static Builder on(EventLoop loop) {
        return new Builder(Objects.requireNonNull(loop, "loop"), null);
    }

    /**
     * Starts configuring a client spread over {@code group}: an independent set of origin pools on
     * each loop (see "On a group" in the class comment).
     */
    public static Builder on(EventLoopGroup group) {
        return new Builder(null, Objects.requireNonNull(group, "group"));
    }

    /**
     * Sends {@code request}; the future completes with the whole response, or fails with an
     * {@link HttpClientException} saying why (a {@code CancellationException} if it was cancelled).
     * Any status is a response: a 404 or a 500 completes the future normally.
     */
    public CompletableFuture<Response> send(Request request) {
        Objects.requireNonNull(request, "request");
        return part().send(request);
    }

    /**
     * Opens a WebSocket to {@code url} ({@code ws://} or {@code wss://}) with the default options:
     * see {@link #websocket(WebSocketRequest, WebSocketHandler)}.
     */
    public CompletableFuture<WebSocket> websocket(String url, WebSocketHandler handler) {
        return websocket(WebSocketRequest.to(url), handler);
    }

    /**
     * Opens a WebSocket as {@code request} says, on a connection of its own (never pooled), over
     * TLS for {@code wss://} with the client's TLS settings; {@code handler} hears of it on the
     * connection's loop, its {@code onOpen} before the future completes. The future fails with an
     * {@link HttpClientException}: {@code CONNECT_FAILED}, {@code TIMEOUT} (no answer within the
     * response timeout), {@code BAD_RESPONSE} (no {@code 101}, a wrong accept key, a subprotocol or
     * extension not offered) or {@code CONNECTION_CLOSED}.
     */
    public CompletableFuture<WebSocket> websocket(WebSocketRequest request, WebSocketHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        return part().websocket(request, handler);
    }

    /** The part a request sent now goes to: the caller's own loop's, else the one the chooser picks. */
    private LoopClient part() {
        if (single != null) {
            return single;
        }
        EventLoop current = EventLoop.current();
        LoopClient own = current == null ? null : parts.get(current);
        return own != null ? own : parts.get(group.choose());
    }

    /**
     * The loop the client's connections live on.
     *
     * @throws IllegalStateException if the client is on a group, where each loop has connections of its own
     */
    public EventLoop loop() {
        if (single == null) {
            throw new IllegalStateException(this + " spreads its connections over a group; each loop has its own");
        }
        return single.loop();
    }

    /**
     * Closes the client: requests waiting or in flight fail ({@link Kind#CLIENT_CLOSED}), and every
     * connection, on every loop, is closed (open WebSockets with 1001, going away). Returns at once; safe from any thread; the loops go on.
     */
    @Override
    public void close() {
        parts.values().forEach(LoopClient::close);
        if (figures != null) {
            figures.close();
        }
    }

    /** The part on {@code loop} (for tests and monitoring), or null when the client has none there. */
    LoopClient part(EventLoop loop) {
        return parts.get(loop);
    }

    /** Loop thread, on one loop: the origins the client holds a pool for (for tests and monitoring). */
    int pools() {
        return single.pools();
    }

    /** Loop thread, on one loop: connections open or opening to {@code url}'s origin (for tests and monitoring). */
    int openConnections(String url) {
        return single.openConnections(url);
    }

    @Override
    public String toString() {
        return "HttpClient[" + (group != null ? group.name() + ", " + parts.size() + " loops" : single.loop().name()) + "]";
    }

    /** Settings for a new client; see the table on {@link HttpClient}. Threading: one thread at a time. */
    public static final class Builder {

        private final EventLoop loop;
        private final EventLoopGroup group;
        private int maxConnectionsPerOrigin = 8;
        private int maxWaiting = 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(30);
        private int maxRedirects;
        private String userAgent = "Eddy/0.1";
        private ResponseLimits limits = ResponseLimits.defaults();
        private final List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions = new ArrayList<>();
        /** Null: the default, made at the first https connection (it loads the system's trust store). */
        private ClientTls tls;
        /** Null: TCP, with the settings above. */
        private Connector connector;
        private Metrics metrics = Metrics.none();
        private String name = "http-client";

        private Builder(EventLoop loop, EventLoopGroup group) {
            this.loop = loop;
            this.group = group;
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
         * How https connections speak TLS: which CAs are trusted, whether the server's host name is
         * checked, a client certificate (see {@code docs/tls.md}). By default
         * {@link ClientTls#defaults()}: the system's CAs, host names checked.
         *
         * <p>ALPN: a {@code tls} that names no application protocols is given {@code http/1.1};
         * one that names some must name only {@code http/1.1}, the protocol the client speaks (a
         * server that agreed on another would be answered in the wrong protocol).
         *
         * <pre>{@code
         * HttpClient.on(loop).tls(ClientTls.builder().trustCertificates(Path.of("ca.pem")).build()).build();
         * }</pre>
         *
         * @throws IllegalArgumentException if {@code tls} offers an ALPN name other than {@code http/1.1}
         */
        public Builder tls(ClientTls tls) {
            this.tls = TcpConnector.forHttp(Objects.requireNonNull(tls, "tls"));
            return this;
        }

        /**
         * Sends {@code header}, a PROXY protocol header, first on every connection the client
         * opens, as {@link TcpClient.Builder#proxyHeader} does: for a client that relays on behalf
         * of one client (the header's source), or that stands in for a load balancer in tests.
         * The pools are not told apart by header, so one client sends one header; the protocol
         * forbids sending one on a connection shared by several clients' requests.
         */
        public Builder proxyHeader(ProxyHeader header) {
            Objects.requireNonNull(header, "header");
            socketOptions.add(tcp -> tcp.proxyHeader(header));
            return this;
        }

        /**
         * Registers the pools' figures with {@code metrics} (default {@link Metrics#none()}: none
         * kept): connections open and idle, requests waiting for a connection and requests refused
         * because the pool was full, summed over the origins of each loop, labelled with the
         * client's {@link #name} and the loop. The registration ends when the client is closed.
         */
        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The client's name in its figures' {@code client} label (default {@code http-client}):
         * two clients reporting to the same metrics need different names.
         */
        public Builder name(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
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

        /** The client: on a group, its part on every loop, each with pools of its own. */
        public HttpClient build() {
            ClientSettings settings = new ClientSettings(maxConnectionsPerOrigin, maxWaiting, idleTimeout,
                    connectTimeout, responseTimeout, maxRedirects, userAgent, limits, socketOptions, tls);
            Map<EventLoop, LoopClient> parts = new LinkedHashMap<>();
            List<String> loops = new ArrayList<>();
            List<PoolFigures> figures = new ArrayList<>();
            for (EventLoop each : group != null ? group.loops() : List.of(loop)) {
                Connector opens = connector != null ? connector
                        : new TcpConnector(each, settings.connectTimeout(), settings.socketOptions(), settings.tls());
                PoolFigures counted = metrics.isEnabled() ? new PoolFigures() : null;
                parts.put(each, new LoopClient(each, settings, opens, counted));
                loops.add(each.name());
                figures.add(counted);
            }
            return new HttpClient(group, Collections.unmodifiableMap(parts), PoolFigures.register(metrics, name, loops, figures));
        }

        private static Duration positive(String name, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
