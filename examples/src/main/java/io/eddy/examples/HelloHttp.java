package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.proxy.Cidr;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.HeaderNames;
import io.eddy.http.server.HttpRequest;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import io.eddy.http.server.PrometheusHandler;
import io.eddy.http.server.StaticFiles;
import io.eddy.http.server.WebSocketRoute;
import io.eddy.http.websocket.WebSocketHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's "hello world" HTTP server, done by the RFC: where the tutorial answers every
 * connection with the same bytes and closes it, this server reads each request, routes it, keeps
 * connections alive, and never blocks.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code GET /}</td><td>a small HTML page (with a style sheet, a picture and a script from {@code /static/})</td></tr>
 *   <tr><td>{@code GET /hello}</td><td>{@code hello world}, as plain text ({@code hello NAME} with {@code ?name=NAME})</td></tr>
 *   <tr><td>{@code GET /whoami}</td><td>who the server thinks the client is: its address, the scheme and host it
 *       asked for, and the peer it came through</td></tr>
 *   <tr><td>{@code GET /health/live}, {@code GET /health/ready}</td><td>a load balancer's health checks: readiness
 *       answers {@code 503} once the server begins to shut down</td></tr>
 *   <tr><td>{@code POST /echo}</td><td>the request's body, back</td></tr>
 *   <tr><td>{@code GET /static/...}</td><td>files of the static directory: the one shipped in the jar, or {@code --static DIR}</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>the metrics registry in Prometheus' text format</td></tr>
 *   <tr><td>{@code GET /status}</td><td>a live page: each loop's busy ratio and connections, requests per second,
 *       drawn every second from {@code /status/events} (server-sent events)</td></tr>
 *   <tr><td>{@code GET /chat}</td><td>the tutorial's chat in the browser: the page, and its WebSocket at the same
 *       path, in the same room as the TCP chat clients when the chat server runs beside (the showcase)</td></tr>
 *   <tr><td>{@code GET /ws/echo}</td><td>a WebSocket echo of every text and binary message, up to 16 MiB
 *       (larger ones close with 1009), compressed when the client offers permessage-deflate</td></tr>
 * </table>
 *
 * <p>Given a certificate and its key ({@code --cert FILE --key FILE}, PEM), it serves the same
 * routes over https too, on {@code --tls-port N} (9443 by default), beside the plaintext port.
 *
 * <p>Threading: {@link #start} may be called from any thread; handlers run on the loop.
 */
public final class HelloHttp {

    /** The tutorial's port. */
    public static final int PORT = 9990;
    /** The https port when {@code --cert} and {@code --key} are given without {@code --tls-port}. */
    public static final int TLS_PORT = 9443;
    /** The files shipped in the jar under {@code static/}. */
    static final List<String> BUNDLED = List.of("style.css", "app.js", "eddy.svg");

    private static final Logger log = LoggerFactory.getLogger(HelloHttp.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Hello from Eddy</title>
            <link rel="stylesheet" href="/static/style.css">
            <link rel="icon" href="/static/eddy.svg">
            <script src="/static/app.js" defer></script>
            </head>
            <body>
            <h1><img src="/static/eddy.svg" alt="" width="32" height="32"> Hello from Eddy</h1>
            <p>The socket tutorial's HTTP server, on one non-blocking event loop.
            Watch it work: <a href="/status">/status</a>; its figures: <a href="/metrics">/metrics</a>.</p>
            <p id="hello">Asking the server for <code>/hello</code>...</p>
            <form method="post" action="/echo">
            <label>Send something to <code>/echo</code>: <input name="text" value="hello"></label>
            <button type="submit">Post</button>
            </form>
            </body>
            </html>
            """;

    private HelloHttp() {
    }

    /**
     * Serves on {@code host}:{@code port} (0: any free port) on {@code loop}, with static files
     * from {@code staticDir}.
     */
    public static HttpServer start(EventLoop loop, String host, int port, Path staticDir) throws IOException {
        return start(loop, host, port, staticDir, MetricRegistry.create());
    }

    /**
     * As {@link #start(EventLoop, String, int, Path)}, registering the server's figures with
     * {@code metrics}, which {@code /metrics} serves (with whatever else is registered there: the
     * loop's figures, when it was built with {@code metrics}).
     */
    public static HttpServer start(EventLoop loop, String host, int port, Path staticDir, MetricRegistry metrics)
            throws IOException {
        return routes(HttpServer.on(loop), host, port, staticDir, List.of(loop), metrics).start();
    }

    /**
     * As {@link #start(EventLoop, String, int, Path, MetricRegistry)}, its {@code /chat} sockets
     * handled by {@code chat} ({@link ChatServer#browsers()}: the TCP chat's room).
     */
    public static HttpServer start(EventLoop loop, String host, int port, Path staticDir, MetricRegistry metrics,
                                   WebSocketHandler chat) throws IOException {
        return routes(HttpServer.on(loop), host, port, staticDir, List.of(loop), metrics, chat).start();
    }

    /** As {@link #start(EventLoop, String, int, Path, MetricRegistry, WebSocketHandler)}, on {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir, MetricRegistry metrics,
                                   WebSocketHandler chat) throws IOException {
        return routes(HttpServer.on(group), host, port, staticDir, group.loops(), metrics, chat).start();
    }

    /** As {@link #start(EventLoop, String, int, Path)}, its connections spread over {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir) throws IOException {
        return start(group, host, port, staticDir, MetricRegistry.create());
    }

    /** As {@link #start(EventLoop, String, int, Path, MetricRegistry)}, on {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir, MetricRegistry metrics)
            throws IOException {
        return routes(HttpServer.on(group), host, port, staticDir, group.loops(), metrics).start();
    }

    /** As {@link #start(EventLoop, String, int, Path)}, behind a load balancer as {@code balancer} says. */
    public static HttpServer start(EventLoop loop, String host, int port, Path staticDir, Balancer balancer)
            throws IOException {
        return balancer.apply(routes(HttpServer.on(loop), host, port, staticDir, List.of(loop), MetricRegistry.create())).start();
    }

    /** As {@link #start(EventLoopGroup, String, int, Path)}, behind a load balancer as {@code balancer} says. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir, Balancer balancer)
            throws IOException {
        return balancer.apply(routes(HttpServer.on(group), host, port, staticDir, group.loops(), MetricRegistry.create())).start();
    }

    /**
     * How the server sits behind a load balancer: whether connections start with a PROXY protocol
     * header, and whose forwarded headers it believes. An immutable value.
     *
     * @param proxyProtocol  {@code --proxy-protocol}: off, required, or from trusted addresses
     * @param trustedProxies {@code --trusted-proxy}: CIDR blocks whose {@code X-Forwarded-*} count
     */
    public record Balancer(ProxyProtocol proxyProtocol, List<String> trustedProxies) {
        /** Not behind a balancer: no PROXY header, no forwarded headers believed. */
        public static final Balancer NONE = new Balancer(ProxyProtocol.off(), List.of());

        /** Copies the list. */
        public Balancer {
            trustedProxies = List.copyOf(trustedProxies);
        }

        HttpServer.Builder apply(HttpServer.Builder server) {
            return server.proxyProtocol(proxyProtocol).trustedProxies(trustedProxies.toArray(String[]::new));
        }

        /**
         * Parses {@code --proxy-protocol} ({@code required}, {@code trusted:CIDR,...} or
         * {@code off}; null: off) and {@code --trusted-proxy} ({@code CIDR,...}; null: none).
         *
         * @throws IllegalArgumentException saying what is wrong
         */
        static Balancer parse(String proxyProtocol, String trustedProxies) {
            ProxyProtocol protocol;
            if (proxyProtocol == null || proxyProtocol.equals("off")) {
                protocol = ProxyProtocol.off();
            } else if (proxyProtocol.equals("required")) {
                protocol = ProxyProtocol.required();
            } else if (proxyProtocol.startsWith("trusted:")) {
                protocol = ProxyProtocol.trusted(proxyProtocol.substring("trusted:".length()).split(","));
            } else {
                throw new IllegalArgumentException("--proxy-protocol is required, trusted:CIDR[,CIDR...] or off, not '"
                        + proxyProtocol + "'");
            }
            List<String> trusted = trustedProxies == null ? List.of() : List.of(trustedProxies.split(","));
            trusted.forEach(Cidr::parse); // says which one is wrong, now
            return new Balancer(protocol, trusted);
        }
    }

    /**
     * As {@link #start(EventLoop, String, int, Path)}, serving the same routes over https on
     * {@code tlsPort} (0: any free port) as well, with {@code tls}.
     */
    public static HttpServer start(EventLoop loop, String host, int port, int tlsPort, ServerTls tls, Path staticDir)
            throws IOException {
        return routes(HttpServer.on(loop), host, port, staticDir, List.of(loop), MetricRegistry.create())
                .bindTls(host, tlsPort, tls).start();
    }

    /** As {@link #start(EventLoop, String, int, int, ServerTls, Path)}, its connections spread over {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, int tlsPort, ServerTls tls,
                                   Path staticDir) throws IOException {
        return routes(HttpServer.on(group), host, port, staticDir, group.loops(), MetricRegistry.create())
                .bindTls(host, tlsPort, tls).start();
    }

    /** The routes, with a chat room of browsers alone. */
    private static HttpServer.Builder routes(HttpServer.Builder server, String host, int port, Path staticDir,
                                             List<EventLoop> loops, MetricRegistry metrics) {
        return routes(server, host, port, staticDir, loops, metrics, WebChat.alone());
    }

    /** The page, {@code /hello}, {@code POST /echo}, the static files, the chat and the WebSocket echo. */
    private static HttpServer.Builder routes(HttpServer.Builder server, String host, int port, Path staticDir,
                                             List<EventLoop> loops, MetricRegistry metrics, WebSocketHandler chat) {
        StatusPage status = new StatusPage(loops, metrics);
        return server
                .bind(host, port)
                .accessLog(true)
                .metrics(metrics)
                .latencyHistogram(true)
                .healthRoutes()
                .get("/", request -> HttpResponse.html(PAGE))
                .get("/hello", HelloHttp::hello)
                .get("/whoami", HelloHttp::whoami)
                .post("/echo", HelloHttp::echo)
                .get("/static/{path...}", StaticFiles.from(staticDir))
                .get("/metrics", PrometheusHandler.of(metrics))
                .get("/status", status::page)
                .get("/status/events", status::events)
                .get("/chat", request -> HttpResponse.html(ChatPage.HTML))
                .websocket("/chat", chat)
                .websocket("/ws/echo", WebSocketRoute.of(WebSocketEcho.INSTANCE).options(WebSocketEcho.OPTIONS))
                // A 16 MiB echo, framed, is more than the default outbound limit of 16 MiB.
                .options(ConnectionOptions.defaults().withMaxOutboundBytes(WebSocketEcho.MAX_QUEUED));
    }

    /** {@code hello world}, or {@code hello NAME}. */
    private static HttpResponse hello(HttpRequest request) {
        String name = request.queryParam("name");
        return HttpResponse.text("hello " + (name == null ? "world" : name));
    }

    /** What the request knows of its client, through any proxy in front. */
    private static HttpResponse whoami(HttpRequest request) {
        InetSocketAddress client = request.clientAddress();
        return HttpResponse.text("client " + client.getAddress().getHostAddress() + " port " + client.getPort()
                + "\nscheme " + request.scheme() + "\nhost " + request.host()
                + "\nvia " + request.remoteAddress() + (request.remoteAddress().equals(client) ? " (directly)" : "")
                + "\n");
    }

    /** The body back, typed as it came; a browser's form comes back as readable text. */
    private static HttpResponse echo(HttpRequest request) {
        String type = request.header(HeaderNames.CONTENT_TYPE);
        if (type == null || type.startsWith("application/x-www-form-urlencoded")) {
            type = TEXT;
        }
        return HttpResponse.bytes(request.body(), type);
    }

    /**
     * The static files shipped in the jar, copied to a new temporary directory (deleted when the
     * JVM exits): a file server serves files, not entries of a jar.
     */
    public static Path bundledStaticFiles() {
        try {
            Path dir = Files.createTempDirectory("eddy-static-");
            dir.toFile().deleteOnExit();
            for (String name : BUNDLED) {
                try (InputStream in = HelloHttp.class.getResourceAsStream("/static/" + name)) {
                    if (in == null) {
                        throw new IOException("static/" + name + " is missing from the jar");
                    }
                    Path file = dir.resolve(name);
                    Files.copy(in, file);
                    file.toFile().deleteOnExit();
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled static files", e);
        }
    }

    /**
     * {@code hello-http [--host H] [--port N] [--static DIR] [--loops N] [--tls-port N --cert FILE --key FILE]
     * [--proxy-protocol required|trusted:CIDR,...] [--trusted-proxy CIDR,...] [--shutdown-grace DURATION]}: serves
     * until the process is stopped.
     */
    public static void main(String[] args) {
        Examples.main(Examples.withName("hello-http", args));
    }

    static int run(Arguments args) throws IOException {
        String host = args.host();
        int port = args.port(PORT);
        Path staticDir = args.path("static").orElseGet(HelloHttp::bundledStaticFiles);
        ServerTls tls = tls(args);
        int tlsPort = args.port("tls-port", TLS_PORT);
        Balancer balancer = Balancer.parse(args.value("proxy-protocol", null), args.value("trusted-proxy", null));
        Duration grace = args.duration("shutdown-grace", Duration.ZERO);
        HttpServer[] server = new HttpServer[1];
        // On SIGTERM, readiness turns 503 first and the server goes on serving for the grace, so a
        // balancer's health checks take it out of rotation; only then does the loop shut down.
        Supplier<CompletableFuture<Void>> firstPhase = () -> server[0] == null
                ? CompletableFuture.completedFuture(null) : server[0].beginShutdown(grace);
        String where = host + ":" + port + (tls == null ? "" : " and " + host + ":" + tlsPort + " (TLS)");
        MetricRegistry metrics = MetricRegistry.create();
        return Examples.serve("hello-http", where, args.loops(), firstPhase, metrics,
                loop -> announce(server[0] = start(HttpServer.on(loop), List.of(loop), host, port, tlsPort, tls,
                        staticDir, balancer, metrics), host, staticDir, tls != null),
                group -> announce(server[0] = start(HttpServer.on(group), group.loops(), host, port, tlsPort, tls,
                        staticDir, balancer, metrics), host, staticDir, tls != null));
    }

    /** The routes on {@code server}, behind {@code balancer}, over https too when {@code tls} is given. */
    private static HttpServer start(HttpServer.Builder server, List<EventLoop> loops, String host, int port, int tlsPort,
                                    ServerTls tls, Path staticDir, Balancer balancer, MetricRegistry metrics)
            throws IOException {
        HttpServer.Builder builder = balancer.apply(routes(server, host, port, staticDir, loops, metrics));
        return (tls == null ? builder : builder.bindTls(host, tlsPort, tls)).start();
    }

    /**
     * The TLS of {@code --cert} and {@code --key}, or null when neither is given.
     *
     * @throws IllegalArgumentException when one comes without the other, {@code --tls-port} without
     *     both, or the files do not hold a certificate chain and its PKCS#8 key
     */
    private static ServerTls tls(Arguments args) {
        Path cert = args.file("cert").orElse(null);
        Path key = args.file("key").orElse(null);
        if (cert == null && key == null) {
            if (args.has("tls-port")) {
                throw new IllegalArgumentException("--tls-port needs --cert FILE and --key FILE (PEM: the certificate"
                        + " chain, and its PKCS#8 key)");
            }
            return null;
        }
        if (cert == null || key == null) {
            throw new IllegalArgumentException("give --cert FILE and --key FILE together (PEM: the certificate chain,"
                    + " and its PKCS#8 key)");
        }
        return ServerTls.builder().certificate(cert, key).build();
    }

    private static void announce(HttpServer server, String host, Path staticDir, boolean tls) {
        log.info("hello-http on http://{}:{}/  (static files from {}; live status at /status, metrics at /metrics)",
                host, server.port(), staticDir);
        if (tls) {
            log.info("hello-http on https://{}:{}/  (the same routes over TLS)", host, server.tlsPort());
        }
    }
}
