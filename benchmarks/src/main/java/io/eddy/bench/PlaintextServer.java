package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Metrics;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import io.eddy.http.server.PrometheusHandler;
import java.io.IOException;

/**
 * The TechEmpower plaintext test on Eddy: {@code GET /plaintext} answers {@code Hello, World!} as
 * {@code text/plain}, with {@code Content-Length}, {@code Server} and {@code Date} added by the
 * server. Written as a user would, with the public API: one event loop (or a group of them), one
 * route.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.PlaintextServer --port 8080 [--loops N]
 * [--metrics off|on|histogram]}; serves until the process is stopped. With {@code --metrics on} the
 * loops and the server keep their figures in a registry served at {@code /metrics}, as a service
 * watched by Prometheus would; {@code histogram} adds the latency histogram. The load never asks
 * for {@code /metrics}: what is measured is what counting costs the requests. Threading: everything runs on the one loop thread, or with
 * {@code --loops N} on N loops, each connection on one of them.
 */
public final class PlaintextServer {

    private PlaintextServer() {
    }

    /** {@code --port N} (0: any free port) {@code --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        String switched = options.metrics();
        MetricRegistry registry = MetricRegistry.create();
        Metrics metrics = switched.equals("off") ? Metrics.none() : registry;
        boolean histogram = switched.equals("histogram");
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.builder().name("plaintext").metrics(metrics).start();
            ServerArgs.announce(routes(HttpServer.on(loop), metrics, registry, histogram).bind(options.port()).start().port());
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.builder().name("plaintext").loops(options.loops()).metrics(metrics).start();
            ServerArgs.announce(routes(HttpServer.on(group), metrics, registry, histogram).bind(options.port()).start().port());
            group.terminationFuture().join();
        }
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}, without metrics. */
    static HttpServer start(EventLoop loop, int port) throws IOException {
        return routes(HttpServer.on(loop), Metrics.none(), MetricRegistry.create(), false).bind(port).start();
    }

    /** {@code /plaintext}, and with metrics {@code /metrics}. */
    private static HttpServer.Builder routes(HttpServer.Builder server, Metrics metrics, MetricRegistry registry,
                                             boolean histogram) {
        server.get("/plaintext", request -> HttpResponse.text("Hello, World!"));
        if (metrics.isEnabled()) {
            server.metrics(metrics).latencyHistogram(histogram).get("/metrics", PrometheusHandler.of(registry));
        }
        return server;
    }
}
