package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import io.eddy.http.server.PrometheusHandler;
import java.io.IOException;

/**
 * The TechEmpower plaintext test on Eddy: {@code GET /plaintext} answers {@code Hello, World!} as
 * {@code text/plain}, with {@code Content-Length}, {@code Server} and {@code Date} added by the
 * server; {@code GET /bulk} answers the 1 MiB {@link BulkBody}. Written as a user would, with the
 * public API: one event loop (or a group of them), two routes.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.PlaintextServer --port 8080 [--loops N]
 * [--metrics off|on|histogram] [--tls-cert FILE --tls-key FILE]}; serves until the process is
 * stopped. With {@code --metrics on} the loops and the server keep their figures in a registry
 * served at {@code /metrics}, as a service watched by Prometheus would; {@code histogram} adds the
 * latency histogram. The load never asks for {@code /metrics}: what is measured is what counting
 * costs the requests. With the certificate and key it serves the same routes over HTTPS on that
 * port instead (TLS 1.3 and 1.2, {@link ServerTls}'s defaults, ALPN {@code http/1.1}). Threading:
 * everything runs on the one loop thread, or with {@code --loops N} on N loops, each connection on
 * one of them; TLS handshakes' key agreement and signatures run on Eddy's small pool of handshake
 * threads.
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
        String switched = options.metrics();
        MetricRegistry registry = MetricRegistry.create();
        Metrics metrics = switched.equals("off") ? Metrics.none() : registry;
        boolean histogram = switched.equals("histogram");
        ServerArgs.TlsFiles files = options.tls();
        ServerTls tls = files == null ? null
                : ServerTls.builder().certificate(files.certificateChain(), files.privateKey()).build();
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.builder().name("plaintext").metrics(metrics).start();
            ServerArgs.announce(port(start(routes(HttpServer.on(loop), metrics, registry, histogram), options.port(), tls), tls));
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.builder().name("plaintext").loops(options.loops()).metrics(metrics).start();
            ServerArgs.announce(port(start(routes(HttpServer.on(group), metrics, registry, histogram), options.port(), tls), tls));
            group.terminationFuture().join();
        }
    }

    /** Serves plaintext on {@code port} (0: any free port) on {@code loop}, without metrics. */
    static HttpServer start(EventLoop loop, int port) throws IOException {
        return start(loop, port, null);
    }

    /** Serves HTTPS with {@code tls} (plaintext when null) on {@code port} (0: any free port) on {@code loop}, without metrics. */
    static HttpServer start(EventLoop loop, int port, ServerTls tls) throws IOException {
        return start(routes(HttpServer.on(loop), Metrics.none(), MetricRegistry.create(), false), port, tls);
    }

    /** Listens on {@code port}: plaintext, or HTTPS only when {@code tls} is given. */
    private static HttpServer start(HttpServer.Builder server, int port, ServerTls tls) throws IOException {
        return (tls == null ? server.bind(port) : server.bindTls(port, tls)).start();
    }

    private static int port(HttpServer server, ServerTls tls) {
        return tls == null ? server.port() : server.tlsPort();
    }

    /** {@code /plaintext}, {@code /bulk}, and with metrics {@code /metrics}. */
    private static HttpServer.Builder routes(HttpServer.Builder server, Metrics metrics, MetricRegistry registry,
                                             boolean histogram) {
        server.get(PlaintextRequest.PATH, request -> HttpResponse.text(PlaintextRequest.BODY))
                .get(BulkBody.PATH, request -> HttpResponse.bytes(BulkBody.BYTES, BulkBody.CONTENT_TYPE));
        if (metrics.isEnabled()) {
            server.metrics(metrics).latencyHistogram(histogram).get("/metrics", PrometheusHandler.of(registry));
        }
        return server;
    }
}
