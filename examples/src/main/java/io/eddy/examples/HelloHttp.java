package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.http.HeaderNames;
import io.eddy.http.server.HttpRequest;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import io.eddy.http.server.PrometheusHandler;
import io.eddy.http.server.StaticFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 *   <tr><td>{@code GET /hello}</td><td>{@code hello world}, as plain text</td></tr>
 *   <tr><td>{@code POST /echo}</td><td>the request's body, back</td></tr>
 *   <tr><td>{@code GET /static/...}</td><td>files of the static directory: the one shipped in the jar, or {@code --static DIR}</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>the metrics registry in Prometheus' text format</td></tr>
 *   <tr><td>{@code GET /status}</td><td>a live page: each loop's busy ratio and connections, requests per second,
 *       drawn every second from {@code /status/events} (server-sent events)</td></tr>
 * </table>
 *
 * <p>Threading: {@link #start} may be called from any thread; handlers run on the loop.
 */
public final class HelloHttp {

    /** The tutorial's port. */
    public static final int PORT = 9990;
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
     * from {@code staticDir}, and its figures in a registry of its own.
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

    /** As {@link #start(EventLoop, String, int, Path)}, its connections spread over {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir) throws IOException {
        return start(group, host, port, staticDir, MetricRegistry.create());
    }

    /** As {@link #start(EventLoop, String, int, Path, MetricRegistry)}, on {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir, MetricRegistry metrics)
            throws IOException {
        return routes(HttpServer.on(group), host, port, staticDir, group.loops(), metrics).start();
    }

    /**
     * The page, {@code /hello}, {@code POST /echo}, the static files, {@code /metrics} and the
     * live status of {@code loops}; every handler keeps no state between requests.
     */
    private static HttpServer.Builder routes(HttpServer.Builder server, String host, int port, Path staticDir,
                                             List<EventLoop> loops, MetricRegistry metrics) {
        StatusPage status = new StatusPage(loops, metrics);
        return server
                .bind(host, port)
                .accessLog(true)
                .metrics(metrics)
                .latencyHistogram(true)
                .get("/", request -> HttpResponse.html(PAGE))
                .get("/hello", request -> HttpResponse.text("hello world"))
                .post("/echo", HelloHttp::echo)
                .get("/static/{path...}", StaticFiles.from(staticDir))
                .get("/metrics", PrometheusHandler.of(metrics))
                .get("/status", status::page)
                .get("/status/events", status::events);
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

    /** {@code hello-http [--host H] [--port N] [--static DIR] [--loops N]}: serves until the process is stopped. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("hello-http", args));
    }

    static int run(Arguments args) throws IOException {
        String host = args.host();
        int port = args.port(PORT);
        Path staticDir = args.path("static").orElseGet(HelloHttp::bundledStaticFiles);
        MetricRegistry metrics = MetricRegistry.create();
        return Examples.serve("hello-http", host + ":" + port, args.loops(), metrics,
                loop -> announce(start(loop, host, port, staticDir, metrics), host, staticDir),
                group -> announce(start(group, host, port, staticDir, metrics), host, staticDir));
    }

    private static void announce(HttpServer server, String host, Path staticDir) {
        log.info("hello-http on http://{}:{}/  (static files from {}; live status at /status, metrics at /metrics)",
                host, server.port(), staticDir);
    }
}
