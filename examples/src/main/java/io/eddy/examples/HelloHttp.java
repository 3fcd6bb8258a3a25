package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.HeaderNames;
import io.eddy.http.server.HttpRequest;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
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
            <p>The socket tutorial's HTTP server, on one non-blocking event loop.</p>
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
        return routes(HttpServer.on(loop), host, port, staticDir).start();
    }

    /** As {@link #start(EventLoop, String, int, Path)}, its connections spread over {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, Path staticDir) throws IOException {
        return routes(HttpServer.on(group), host, port, staticDir).start();
    }

    /**
     * As {@link #start(EventLoop, String, int, Path)}, serving the same routes over https on
     * {@code tlsPort} (0: any free port) as well, with {@code tls}.
     */
    public static HttpServer start(EventLoop loop, String host, int port, int tlsPort, ServerTls tls, Path staticDir)
            throws IOException {
        return routes(HttpServer.on(loop), host, port, staticDir).bindTls(host, tlsPort, tls).start();
    }

    /** As {@link #start(EventLoop, String, int, int, ServerTls, Path)}, its connections spread over {@code group}'s loops. */
    public static HttpServer start(EventLoopGroup group, String host, int port, int tlsPort, ServerTls tls,
                                   Path staticDir) throws IOException {
        return routes(HttpServer.on(group), host, port, staticDir).bindTls(host, tlsPort, tls).start();
    }

    /** The page, {@code /hello}, {@code POST /echo} and the static files; every handler keeps no state. */
    private static HttpServer.Builder routes(HttpServer.Builder server, String host, int port, Path staticDir) {
        return server
                .bind(host, port)
                .accessLog(true)
                .get("/", request -> HttpResponse.html(PAGE))
                .get("/hello", request -> HttpResponse.text("hello world"))
                .post("/echo", HelloHttp::echo)
                .get("/static/{path...}", StaticFiles.from(staticDir));
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
     * {@code hello-http [--host H] [--port N] [--static DIR] [--loops N] [--tls-port N --cert FILE --key FILE]}:
     * serves until the process is stopped.
     */
    public static void main(String[] args) {
        Examples.main(Examples.withName("hello-http", args));
    }

    static int run(Arguments args) throws IOException {
        String host = args.host();
        int port = args.port(PORT);
        Path staticDir = args.path("static").orElseGet(HelloHttp::bundledStaticFiles);
        ServerTls tls = tls(args);
        if (tls == null) {
            return Examples.serve("hello-http", host + ":" + port, args.loops(),
                    loop -> announce(start(loop, host, port, staticDir), host, staticDir, false),
                    group -> announce(start(group, host, port, staticDir), host, staticDir, false));
        }
        int tlsPort = args.port("tls-port", TLS_PORT);
        return Examples.serve("hello-http", host + ":" + port + " and " + host + ":" + tlsPort + " (TLS)", args.loops(),
                loop -> announce(start(loop, host, port, tlsPort, tls, staticDir), host, staticDir, true),
                group -> announce(start(group, host, port, tlsPort, tls, staticDir), host, staticDir, true));
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
        log.info("hello-http on http://{}:{}/  (static files from {})", host, server.port(), staticDir);
        if (tls) {
            log.info("hello-http on https://{}:{}/  (the same routes over TLS)", host, server.tlsPort());
        }
    }
}
