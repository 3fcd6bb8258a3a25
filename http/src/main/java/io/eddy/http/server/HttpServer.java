package io.eddy.http.server;

import io.eddy.core.loop.BlockingWork;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Labels;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.TcpServer;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.codec.ResponsePart;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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

    private final TcpServer<RequestPart, ResponsePart> tcp;
    private final ServerPipelines pipelines;
    /** The figures per route, or null. */
    private final RouteMetrics routeMetrics;

    private HttpServer(TcpServer<RequestPart, ResponsePart> tcp, ServerPipelines pipelines, RouteMetrics routeMetrics) {
        this.tcp = tcp;
        this.pipelines = pipelines;
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

    /** The port it listens on (the chosen one, when bound to port 0). */
    public int port() {
        return tcp.port();
    }

    /** The address it listens on. */
    public InetSocketAddress localAddress() {
        return tcp.localAddress();
    }

    /** Open connections now. */
    public int connectionCount() {
        return tcp.connectionCount();
    }

    /**
     * Stops accepting, and closes every connection gracefully: what was already read is answered,
     * nothing more is read, each connection closes once its last response is written. Thread-safe;
     * after the loop has ended there is nothing left to close.
     */
    @Override
    public void close() {
        tcp.close();
        pipelines.closeAll();
        if (routeMetrics != null) {
            routeMetrics.close();
        }
    }

    @Override
    public String toString() {
        return "HttpServer" + localAddress();
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
        private String host;
        private int port;
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
        private Metrics metrics = Metrics.none();
        private boolean latencyHistogram;

        private Builder(EventLoop loop, EventLoopGroup group) {
            this.loop = loop;
            this.group = group;
        }

        /** Listens on every interface at {@code port} (0: any free port). */
        public Builder bind(int port) {
            return bind(null, port);
        }

        /** Listens on {@code host} (null: every interface) at {@code port}. */
        public Builder bind(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0..65535 (0: any free port): " + port);
            }
            this.host = host;
            this.port = port;
            return this;
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

        /** The most connections open at once (100,000 by default, as a {@code TcpServer}'s); more are refused. */
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
         * With {@link #metrics}: also keeps each route's latency, from the request's head to its
         * response handed to the connection, in fixed buckets from 0.5 ms to 10 s
         * ({@code eddy.http.server.request.duration}, in seconds). Off by default: it costs a clock
         * read at both ends of every exchange.
         */
        public Builder latencyHistogram(boolean on) {
            this.latencyHistogram = on;
            return this;
        }

        /** Binds (synchronously, so the port is known on return) and starts serving. */
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
            TcpServer.Builder<Void, Void> tcpBuilder = group != null ? TcpServer.on(group) : TcpServer.on(loop);
            socketOptions.forEach(option -> option.accept(tcpBuilder));
            TcpServer<RequestPart, ResponsePart> tcp;
            try {
                tcp = tcpBuilder
                        .name("HTTP server")
                        .bind(host, port)
                        .backlog(backlog)
                        .maxConnections(maxConnections)
                        .reusePort(reusePort)
                        .options(options)
                        .metrics(metrics)
                        // Both are made on the loop that will own the connection: its pipeline.
                        .codec(() -> pipelines.current().codec())
                        .handlerPerConnection(() -> pipelines.current().connections())
                        .start();
            } catch (IOException | RuntimeException e) {
                pipelines.closeAll();
                throw e;
            }
            if (routeMetrics != null) {
                try {
                    routeMetrics.register(metrics, Labels.address(tcp.localAddress()));
                } catch (RuntimeException e) {
                    tcp.close();
                    pipelines.closeAll();
                    throw e;
                }
            }
            if (loop != null) {
                pipelines.forLoop(loop); // its Date clock runs from the start, as it always did
            }
            return new HttpServer(tcp, pipelines, routeMetrics);
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
                    options.maxOutboundBytes(), blockingWork == null ? BlockingWork.create() : blockingWork);
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
