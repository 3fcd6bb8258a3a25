package io.eddy.http.server;

import io.eddy.core.loop.BlockingWork;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Labels;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.TcpServer;
import io.eddy.core.proxy.Cidr;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.codec.ResponsePart;
import io.eddy.http.websocket.WebSocketHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server on an {@link EventLoop}: keep-alive, pipelining, gathered or streamed
 * bodies, routing, and strict parsing.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.on(loop)
 *         .bind(9990)
 *         .get("/hello", req -> HttpResponse.text("hello world"))
 *         .start();
 * }</pre>
 *
 * <h2>Listeners: http, https, or both</h2>
 * {@link Builder#bind} opens the plaintext listener, {@link Builder#bindTls} the TLS one; a
 * server may have both, and then they share everything but the socket: routes, limits, the
 * blocking work, the error handler, and closing (by {@link #close()} or by its loop's or group's
 * shutdown). Without either, the server listens for plaintext on any free port of every interface.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.on(loop)
 *         .bind(8080)                                         // http
 *         .bindTls(8443, ServerTls.builder()                  // https, the same routes
 *                 .certificate(Path.of("chain.pem"), Path.of("key.pem")).build())
 *         .get("/hello", req -> HttpResponse.text("hello over " + req.scheme()))
 *         .start();
 * }</pre>
 *
 * <p>The TLS listener announces the ALPN name {@code http/1.1} (see {@link Builder#bindTls}). A
 * request tells which listener it came on: {@link HttpRequest#isSecure()},
 * {@link HttpRequest#scheme()}, and {@link HttpRequest#tls()} with the client's certificates.
 *
 * <p>A response flows back through the loop: the handler's answer (at once, or later from any
 * thread) waits until every earlier request on the connection is answered, then is encoded into
 * the connection's outbound queue and flushed with the other responses of the same read. The
 * {@code Date} header is formatted once a second by a loop timer.
 *
 * <p>Threading: build and {@link Builder#start} from any thread; {@link #close} from any thread. Handlers
 * run on the loop thread.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger accessLogger = LoggerFactory.getLogger("io.eddy.http.access");
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** The readiness a server's health route answers: one flag, written by any thread. */
    private static final class Readiness {
        volatile boolean ready = true;
    }

    /** The ALPN names the server speaks: an {@code http/1.0} client sends HTTP/1.0 requests, which it takes. */
    private static final List<String> ALPN_NAMES = List.of("http/1.1", "http/1.0");
    private static final List<String> ALPN_DEFAULT = List.of("http/1.1");

    /** The plaintext listener, or null when the server listens on TLS only. */
    private final TcpServer<RequestPart, ResponsePart> tcp;
    /** The TLS listener, or null. */
    private final TcpServer<RequestPart, ResponsePart> tls;
    private final ServerPipelines pipelines;
    /** What the readiness route answers; the server turns it off when it begins to shut down. */
    private final Readiness readiness;

    /** The figures per route, or null. */
    private final RouteMetrics routeMetrics;

    private HttpServer(TcpServer<RequestPart, ResponsePart> tcp, TcpServer<RequestPart, ResponsePart> tls,
                       ServerPipelines pipelines, Readiness readiness, RouteMetrics routeMetrics) {
        this.tcp = tcp;
        this.tls = tls;
        this.pipelines = pipelines;
        this.readiness = readiness;
        this.routeMetrics = routeMetrics;
    }

    /** Starts building a server served by {@code loop}. */
    public static Builder on(EventLoop loop) {
        return new Builder(Objects.requireNonNull(loop, "loop"), null);
    }

    /**
     * Starts building a server whose connections are spread over {@code group}'s loops by its
     * chooser (or, with {@link Builder#reusePort}, by the kernel). Each loop keeps its own
     * connections and {@code Date} clock; handlers are shared by every loop, so they must be
     * thread-safe (most are: they keep no state between requests).
     */
    public static Builder on(EventLoopGroup group) {
        return new Builder(null, Objects.requireNonNull(group, "group"));
    }

    /**
     * The port its plaintext listener listens on (the chosen one, when bound to port 0).
     *
     * @throws IllegalStateException if the server listens on TLS only: see {@link #tlsPort()}
     */
    public int port() {
        return plaintext().port();
    }

    /**
     * The address its plaintext listener listens on.
     *
     * @throws IllegalStateException if the server listens on TLS only: see {@link #tlsLocalAddress()}
     */
    public InetSocketAddress localAddress() {
        return plaintext().localAddress();
    }

    /**
     * The port its TLS listener listens on (the chosen one, when bound to port 0).
     *
     * @throws IllegalStateException if the server has no TLS listener ({@link Builder#bindTls})
     */
    public int tlsPort() {
        return secure().port();
    }

    /**
     * The address its TLS listener listens on.
     *
     * @throws IllegalStateException if the server has no TLS listener ({@link Builder#bindTls})
     */
    public InetSocketAddress tlsLocalAddress() {
        return secure().localAddress();
    }

    /** Open connections now, on both listeners (a TLS connection counts from its accept, handshake included). */
    public int connectionCount() {
        return (tcp == null ? 0 : tcp.connectionCount()) + (tls == null ? 0 : tls.connectionCount());
    }

    private TcpServer<RequestPart, ResponsePart> plaintext() {
        if (tcp == null) {
            throw new IllegalStateException(this + " listens on TLS only: ask tlsPort() or tlsLocalAddress()");
        }
        return tcp;
    }

    private TcpServer<RequestPart, ResponsePart> secure() {
        if (tls == null) {
            throw new IllegalStateException(this + " has no TLS listener (see HttpServer.Builder.bindTls)");
        }
        return tls;
    }

    /**
     * Stops accepting on both listeners, and closes every connection gracefully: what was already
     * read is answered, nothing more is read, each connection closes once its last response is
     * written. Thread-safe; after the loop has ended there is nothing left to close.
     */
    @Override
    public void close() {
        readiness.ready = false;
        if (tcp != null) {
            tcp.close();
        }
        if (tls != null) {
            tls.close();
        }
        pipelines.closeAll();
        if (routeMetrics != null) {
            routeMetrics.close();
        }
    }

    /**
     * Whether the server is ready for traffic: what its readiness route ({@link Builder#healthRoutes})
     * answers. True from {@link Builder#start()} until {@link #beginShutdown} or {@link #close()}.
     */
    public boolean isReady() {
        return readiness.ready;
    }

    /**
     * The first phase of a shutdown behind a load balancer: the readiness route answers
     * {@code 503} from now on, while the server goes on accepting and serving as before, so the
     * balancer's health checks take it out of rotation before anything closes. The future
     * completes after {@code grace} (set it to what the balancer needs to notice: its check
     * interval times the failures it waits for, and a little more); then shut the loop or group
     * down, whose phases stop accepting, answer what is in flight with {@code Connection: close}
     * and close idle connections (see {@code docs/deploy.md}). Thread-safe.
     */
    public CompletableFuture<Void> beginShutdown(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        readiness.ready = false;
        log.info("{}: not ready (readiness answers 503); still serving for {} ms", this, grace.toMillis());
        CompletableFuture<Void> graceOver = new CompletableFuture<>();
        try {
            (tcp != null ? tcp : tls).loop().schedule(grace, () -> graceOver.complete(null));
        } catch (RejectedExecutionException loopEnded) {
            graceOver.complete(null);
        }
        return graceOver;
    }

    @Override
    public String toString() {
        return "HttpServer[" + (tcp == null ? "" : "http " + tcp.localAddress())
                + (tcp != null && tls != null ? ", " : "")
                + (tls == null ? "" : "https " + tls.localAddress()) + "]";
    }

    /**
     * Configures and starts an {@link HttpServer}.
     *
     * <p>Threading: one thread at a time.
     */
    public static final class Builder {

        private final EventLoop loop;
        private final EventLoopGroup group;
        private boolean reusePort;
        /** Whether {@link #bind} was called: without it (nor bindTls) the server binds a free port for plaintext. */
        private boolean bound;
        private String host;
        private int port;
        /** The TLS listener's configuration (with the server's ALPN names), or null for none. */
        private ServerTls tls;
        private String tlsHost;
        private int tlsPort;
        private Router router = new Router();
        private HttpLimits limits = HttpLimits.defaults();
        private Set<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
        private ViolationListener violations = (leniency, detail) ->
                LoggerFactory.getLogger(HttpServer.class).debug("tolerated {}: {}", leniency, detail);
        private HttpErrorHandler errorHandler = HttpErrorHandler.defaults();
        private boolean accessLog;
        private String serverName = "Eddy";
        private ConnectionOptions options = ConnectionOptions.defaults();
        /** The socket options, applied to a fresh TcpServer builder at each start. */
        private final List<Consumer<TcpServer.Builder<Void, Void>>> socketOptions = new ArrayList<>();
        private int maxConnections = 100_000;
        private int backlog = 1024;
        /** The user's blocking work, or null: the server makes its own. */
        private BlockingWork blockingWork;
        private ProxyProtocol proxyProtocol = ProxyProtocol.off();
        private List<Cidr> trustedProxies = List.of();
        private ForwardedHeaders forwardedHeaders = ForwardedHeaders.X_FORWARDED;
        private final Readiness readiness = new Readiness();
        private Metrics metrics = Metrics.none();
        private boolean latencyHistogram;

        private Builder(EventLoop loop, EventLoopGroup group) {
            this.loop = loop;
            this.group = group;
        }

        /** Listens for plaintext HTTP on every interface at {@code port} (0: any free port). */
        public Builder bind(int port) {
            return bind(null, port);
        }

        /** Listens for plaintext HTTP on {@code host} (null: every interface) at {@code port}. */
        public Builder bind(String host, int port) {
            checkPort(port);
            this.bound = true;
            this.host = host;
            this.port = port;
            return this;
        }

        /** Listens for HTTPS on every interface at {@code port} (0: any free port); see {@link #bindTls(String, int, ServerTls)}. */
        public Builder bindTls(int port, ServerTls tls) {
            return bindTls(null, port, tls);
        }

        /**
         * Listens for HTTPS on {@code host} (null: every interface) at {@code port}, speaking TLS
         * as {@code tls} says (certificates, SNI, client certificates, handshake timeout; see
         * {@code docs/tls.md}). With {@link #bind} too, the server has two listeners that share
         * everything else; without it, it listens on TLS only.
         *
         * <p>ALPN: a {@code tls} that names no application protocols is given {@code http/1.1}, so
         * that a client offering {@code h2} and {@code http/1.1} (browsers, curl) agrees on HTTP/1.1.
         * One that names some may name only {@code http/1.1} and {@code http/1.0}: the server speaks
         * nothing else, and agreeing on another protocol would leave the client speaking it to an
         * HTTP/1.1 server.
         *
         * @throws IllegalArgumentException if {@code tls} names an ALPN protocol other than
         *     {@code http/1.1} or {@code http/1.0}
         */
        public Builder bindTls(String host, int port, ServerTls tls) {
            checkPort(port);
            Objects.requireNonNull(tls, "tls");
            List<String> names = tls.applicationProtocols();
            for (String name : names) {
                if (!ALPN_NAMES.contains(name)) {
                    throw new IllegalArgumentException("the HTTP server speaks HTTP/1.1 only, but its ServerTls announces"
                            + " the ALPN name '" + name + "' (" + names + "): leave the names out (the server then"
                            + " announces http/1.1) or give only " + ALPN_NAMES);
                }
            }
            this.tls = names.isEmpty() ? tls.withApplicationProtocols(ALPN_DEFAULT) : tls;
            this.tlsHost = host;
            this.tlsPort = port;
            return this;
        }

        private static void checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0..65535 (0: any free port): " + port);
            }
        }

        /** Uses {@code router} for every request (replacing routes added here so far). */
        public Builder router(Router router) {
            this.router = Objects.requireNonNull(router, "router");
            return this;
        }

        /** Adds a {@code GET} route (which answers {@code HEAD} too). */
        public Builder get(String pattern, HttpHandler handler) {
            router.get(pattern, handler);
            return this;
        }

        /** Adds a {@code POST} route. */
        public Builder post(String pattern, HttpHandler handler) {
            router.post(pattern, handler);
            return this;
        }

        /** Adds a {@code PUT} route. */
        public Builder put(String pattern, HttpHandler handler) {
            router.put(pattern, handler);
            return this;
        }

        /** Adds a {@code DELETE} route. */
        public Builder delete(String pattern, HttpHandler handler) {
            router.delete(pattern, handler);
            return this;
        }

        /** Adds a WebSocket route (see {@link Router#websocket(String, WebSocketRoute)}) with the default settings. */
        public Builder websocket(String pattern, WebSocketHandler handler) {
            router.websocket(pattern, handler);
            return this;
        }

        /** Adds a WebSocket route: handshakes answered {@code 101} go on as WebSockets on the same loop. */
        public Builder websocket(String pattern, WebSocketRoute route) {
            router.websocket(pattern, route);
            return this;
        }

        /** Adds a route answering at once. */
        public Builder route(String method, String pattern, HttpHandler handler) {
            router.route(method, pattern, handler);
            return this;
        }

        /** Adds a route answering later, from any thread. */
        public Builder routeAsync(String method, String pattern, HttpHandler.Async handler) {
            router.routeAsync(method, pattern, handler);
            return this;
        }

        /** Adds a route receiving the body piece by piece. */
        public Builder routeStreaming(String method, String pattern, StreamingHandler handler) {
            router.routeStreaming(method, pattern, handler);
            return this;
        }

        /**
         * Adds a route whose handler may block; it runs on the {@link #blockingWork blocking work}
         * (see {@link Router#routeBlocking}).
         */
        public Builder routeBlocking(String method, String pattern, HttpHandler handler) {
            router.routeBlocking(method, pattern, handler);
            return this;
        }

        /**
         * Where the handlers of {@link #routeBlocking} routes run, and how many at once: past
         * {@link BlockingWork#maxTasks()} running or waiting, a request is answered
         * {@code 503 Service Unavailable} with {@code Retry-After: 1} at once. The server does not
         * close {@code work}, which may be shared with other servers and TCP handlers (they then
         * share its limit). By default each server makes {@link BlockingWork#create()}: a virtual
         * thread per call where the JDK has them, else a pool of daemon threads, at most
         * {@value BlockingWork#DEFAULT_MAX_TASKS} calls; the server closes that one when it closes.
         * {@code BlockingWork.create(n)} changes only the limit, {@code BlockingWork.using(pool, n)}
         * the executor too.
         */
        public Builder blockingWork(BlockingWork work) {
            this.blockingWork = Objects.requireNonNull(work, "work");
            return this;
        }

        /** Replaces the limits (see {@link HttpLimits} for the defaults). */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Relaxes the named parsing rules, for legacy clients (none by default). */
        public Builder leniencies(Set<Leniency> leniencies) {
            this.leniencies = leniencies.isEmpty() ? EnumSet.noneOf(Leniency.class) : EnumSet.copyOf(leniencies);
            return this;
        }

        /** Told of every violation a leniency let through (by default logged at debug). */
        public Builder violationListener(ViolationListener listener) {
            this.violations = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Makes the responses to errors (by default plain text naming the status and the rule broken). */
        public Builder errorHandler(HttpErrorHandler handler) {
            this.errorHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Logs every exchange at info to the logger {@code io.eddy.http.access} (off by default). */
        public Builder accessLog(boolean on) {
            this.accessLog = on;
            return this;
        }

        /** The {@code Server} header's value ({@code Eddy} by default; null leaves the header out). */
        public Builder serverName(String name) {
            if (name != null) {
                new HttpHeaders().add(HeaderNames.SERVER, name); // refuses CR, LF and other controls
            }
            this.serverName = name;
            return this;
        }

        /**
         * The connection-level options of every connection (water marks, limits, close timeout).
         * Their idle timeouts must be left unset: HTTP has one idle timeout of its own,
         * {@link HttpLimits#idleTimeout()}, which knows a request still being answered from an idle
         * connection.
         */
        public Builder options(ConnectionOptions options) {
            Objects.requireNonNull(options, "options");
            if (options.hasIdleTimeouts()) {
                throw new IllegalArgumentException(
                        "an HTTP server's idle timeout is HttpLimits.idleTimeout; leave ConnectionOptions' idle timeouts unset");
            }
            this.options = options;
            return this;
        }

        /** A socket option, as {@link TcpServer.Builder#option} takes it. */
        public <T> Builder option(SocketOption<T> option, T value) {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(value, "value");
            socketOptions.add(tcp -> tcp.option(option, value));
            return this;
        }

        /**
         * The most connections open at once on each listener (100,000 by default, as a
         * {@code TcpServer}'s); more are refused. A server with a plaintext and a TLS listener holds
         * up to this many on each.
         */
        public Builder maxConnections(int max) {
            if (max <= 0) {
                throw new IllegalArgumentException("maxConnections must be positive: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * On a group: one listener per loop with {@code SO_REUSEPORT}, the kernel spreading
         * connections (hash-pinned, not load-aware), instead of one listener handing connections to
         * the loop the group's chooser picks. As {@code TcpServer.Builder.reusePort}.
         */
        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /** The listen backlog. */
        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /**
         * Whether connections start with a PROXY protocol header (versions 1 and 2), as a load
         * balancer in TCP mode sends it (HAProxy's {@code send-proxy-v2}): off (the default),
         * required of every peer, or of some trusted addresses only ({@link ProxyProtocol}). The
         * header then gives the connection's remote address, and so the request's
         * {@link HttpRequest#remoteAddress()} and {@link HttpRequest#clientAddress()}. A
         * connection without a valid header in time is closed before any request is read. As
         * {@code TcpServer.Builder.proxyProtocol}.
         */
        public Builder proxyProtocol(ProxyProtocol protocol) {
            this.proxyProtocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * Registers the server's figures with {@code metrics} (default {@link Metrics#none()}:
         * none, nothing counted), labelled {@code server} with the address it listens on: its
         * connections' ({@code eddy.tcp.server.*}, as a {@code TcpServer}'s) and its requests by
         * route and status class ({@code eddy.http.server.requests}). A route is its method and
         * pattern as written, never the path requested, so there are as many series as routes;
         * requests no route took count as {@code unmatched}, those refused before routing as
         * {@code invalid}. They are taken away when the server closes. Routes must all be added
         * before {@link #start()}. Counting costs each exchange one plain add on its loop.
         */
        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The proxies whose forwarded headers the server believes ({@link Cidr#parse}:
         * {@code 10.0.0.0/8}, {@code 127.0.0.1}; none by default): from a peer in these blocks, a
         * request's {@link HttpRequest#clientAddress()}, {@link HttpRequest#scheme()} and
         * {@link HttpRequest#host()} come from the headers {@link #forwardedHeaders} names; from
         * anyone else, those headers are ignored. The client is the rightmost address of the list
         * that is not a trusted proxy (see {@link HttpRequest#clientAddress()}).
         *
         * @throws IllegalArgumentException if a block is malformed
         */
        public Builder trustedProxies(String... blocks) {
            List<Cidr> cidrs = new ArrayList<>();
            for (String block : blocks) {
                cidrs.add(Cidr.parse(block));
            }
            this.trustedProxies = List.copyOf(cidrs);
            return this;
        }

        /**
         * Which forwarded headers the trusted proxies set: {@code X-Forwarded-For}, {@code -Proto}
         * and {@code -Host} (the default), or {@code Forwarded} (RFC 7239). Only that kind is
         * read: a client may send the other, which a proxy that does not manage it passes through.
         */
        public Builder forwardedHeaders(ForwardedHeaders headers) {
            this.forwardedHeaders = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /**
         * Adds a liveness route, {@code GET /health/live} (always {@code 200 live} while the
         * loop answers), and a readiness route, {@code GET /health/ready} ({@code 200 ready}, or
         * {@code 503 not ready} once the server begins to shut down: {@link HttpServer#beginShutdown}),
         * for a load balancer's or an orchestrator's health checks. Like any route, they are tried
         * in the order added.
         */
        public Builder healthRoutes() {
            return healthRoutes("/health/live", "/health/ready");
        }

        /** As {@link #healthRoutes()}, at these paths. */
        public Builder healthRoutes(String livePath, String readyPath) {
            Readiness state = readiness;
            router.get(livePath, request -> HttpResponse.text("live").header("Cache-Control", "no-store"));
            router.get(readyPath, request -> (state.ready ? HttpResponse.text("ready")
                    : HttpResponse.text(503, "not ready")).header("Cache-Control", "no-store"));
            return this;
        }

        /**
         * With {@link #metrics}: also keeps each route's latency, from the request's head to its
         * response handed to the connection, in fixed buckets from 0.5 ms to 10 s
         * ({@code eddy.http.server.request.duration}, in seconds). Off by default: it costs a clock
         * read at both ends of every exchange.
         */
        public Builder latencyHistogram(boolean on) {
            this.latencyHistogram = on;
            return this;
        }

        /**
         * Binds every listener (synchronously, so the ports are known on return) and starts
         * serving. If one listener cannot bind, none is left open.
         */
        public HttpServer start() throws IOException {
            ServerConfig config = config();
            BlockingWork owned = blockingWork == null ? config.blockingWork() : null;
            Set<Leniency> lenient = leniencies();
            // Made before the listener accepts, so every pipeline counts; registered once the address is known.
            RouteMetrics routeMetrics = metrics.isEnabled() ? new RouteMetrics(router, latencyHistogram) : null;
            ServerPipelines pipelines = new ServerPipelines(
                    pipelineLoop -> new ServerPipeline(pipelineLoop, config, lenient, violations, serverName, routeMetrics),
                    () -> {
                        if (owned != null) {
                            owned.close();
                        }
                    });
            TcpServer<RequestPart, ResponsePart> plain = null;
            TcpServer<RequestPart, ResponsePart> secure = null;
            try {
                if (bound || tls == null) {
                    plain = listener(pipelines, "HTTP server", host, port, null);
                }
                if (tls != null) {
                    secure = listener(pipelines, "HTTPS server", tlsHost, tlsPort, tls);
                }
            } catch (IOException | RuntimeException e) {
                if (plain != null) {
                    plain.close();
                }
                pipelines.closeAll();
                throw e;
            }
            if (routeMetrics != null) {
                try {
                    // Labelled with the plaintext address, or the TLS one when there is no plaintext listener.
                    routeMetrics.register(metrics, Labels.address((plain != null ? plain : secure).localAddress()));
                } catch (RuntimeException e) {
                    if (plain != null) {
                        plain.close();
                    }
                    if (secure != null) {
                        secure.close();
                    }
                    pipelines.closeAll();
                    throw e;
                }
            }
            if (loop != null) {
                pipelines.forLoop(loop); // its Date clock runs from the start, as it always did
            }
            return new HttpServer(plain, secure, pipelines, readiness, routeMetrics);
        }

        /**
         * One listener over the server's pipelines: both listeners of a server hand their
         * connections to the same pipeline of each loop, so they share the routes, the open
         * connections a close or a loop's shutdown closes, and the {@code Date} clock.
         */
        private TcpServer<RequestPart, ResponsePart> listener(ServerPipelines pipelines, String name, String host,
                                                              int port, ServerTls tls) throws IOException {
            TcpServer.Builder<Void, Void> tcpBuilder = group != null ? TcpServer.on(group) : TcpServer.on(loop);
            socketOptions.forEach(option -> option.accept(tcpBuilder));
            if (tls != null) {
                tcpBuilder.tls(tls);
            }
            return tcpBuilder
                    .name(name)
                    .bind(host, port)
                    .backlog(backlog)
                    .maxConnections(maxConnections)
                    .reusePort(reusePort)
                    .proxyProtocol(proxyProtocol)
                    .options(options)
                    .metrics(metrics)
                    // Both are made on the loop that will own the connection: its pipeline.
                    .codec(() -> pipelines.current().codec())
                    .handlerPerConnection(() -> pipelines.current().connections())
                    .start();
        }

        /**
         * Everything the server is on its loop but the listener: the codec of each connection, the
         * handler they share, the clock of the {@code Date} header. {@link #start()} puts a socket
         * under it; a test puts in-memory channels under it.
         */
        ServerPipeline pipeline() {
            return new ServerPipeline(loop, config(), leniencies(), violations, serverName,
                    metrics.isEnabled() ? new RouteMetrics(router, latencyHistogram).register(metrics, "in-memory") : null);
        }

        private ServerConfig config() {
            return new ServerConfig(router, limits, errorHandler, accessLog ? accessLogger : null,
                    options.maxOutboundBytes(), blockingWork == null ? BlockingWork.create() : blockingWork,
                    trustedProxies.isEmpty() ? null : new Forwarding(trustedProxies, forwardedHeaders));
        }

        private Set<Leniency> leniencies() {
            return EnumSet.copyOf(leniencies.isEmpty() ? EnumSet.noneOf(Leniency.class) : leniencies);
        }

        /** The connection options a server built here gives each connection. */
        ConnectionOptions connectionOptions() {
            return options;
        }
    }
}
