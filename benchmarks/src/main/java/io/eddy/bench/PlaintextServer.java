package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.io.IOException;

/**
 * The TechEmpower plaintext test on Eddy: {@code GET /plaintext} answers {@code Hello, World!} as
 * {@code text/plain}, with {@code Content-Length}, {@code Server} and {@code Date} added by the
 * server; {@code GET /bulk} answers the 1 MiB {@link BulkBody}. Written as a user would, with the
 * public API: one event loop (or a group of them), two routes.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.PlaintextServer --port 8080 [--loops N]
 * [--tls-cert FILE --tls-key FILE]}; with the certificate and key it serves the same routes over
 * HTTPS on that port instead (TLS 1.3 and 1.2, {@link ServerTls}'s defaults, ALPN
 * {@code http/1.1}). Serves until the process is stopped. Threading: everything runs on the one
 * loop thread, or with {@code --loops N} on N loops, each connection on one of them; TLS
 * handshakes' key agreement and signatures run on Eddy's small pool of handshake threads.
 */
public final class PlaintextServer {

    private PlaintextServer() {
    }

    /**
     * {@code --port N} (0: any free port) {@code --loops N} {@code --tls-cert FILE --tls-key FILE};
     * prints {@value ServerArgs#READY} and the port once it listens.
     */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        ServerArgs.TlsFiles files = options.tls();
        ServerTls tls = files == null ? null
                : ServerTls.builder().certificate(files.certificateChain(), files.privateKey()).build();
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.start("plaintext");
            ServerArgs.announce(port(start(routes(HttpServer.on(loop)), options.port(), tls), tls));
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.start("plaintext", options.loops());
            ServerArgs.announce(port(start(routes(HttpServer.on(group)), options.port(), tls), tls));
            group.terminationFuture().join();
        }
    }

    /** Serves plaintext on {@code port} (0: any free port) on {@code loop}. */
    static HttpServer start(EventLoop loop, int port) throws IOException {
        return start(routes(HttpServer.on(loop)), port, null);
    }

    /** Serves HTTPS with {@code tls} on {@code port} (0: any free port) on {@code loop}. */
    static HttpServer start(EventLoop loop, int port, ServerTls tls) throws IOException {
        return start(routes(HttpServer.on(loop)), port, tls);
    }

    /** Listens on {@code port}: plaintext, or HTTPS only when {@code tls} is given. */
    private static HttpServer start(HttpServer.Builder server, int port, ServerTls tls) throws IOException {
        return (tls == null ? server.bind(port) : server.bindTls(port, tls)).start();
    }

    private static int port(HttpServer server, ServerTls tls) {
        return tls == null ? server.port() : server.tlsPort();
    }

    private static HttpServer.Builder routes(HttpServer.Builder server) {
        return server.get(PlaintextRequest.PATH, request -> HttpResponse.text(PlaintextRequest.BODY))
                .get(BulkBody.PATH, request -> HttpResponse.bytes(BulkBody.BYTES, BulkBody.CONTENT_TYPE));
    }
}
