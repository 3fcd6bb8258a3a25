package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.io.IOException;

/**
 * The TechEmpower plaintext test on Eddy: {@code GET /plaintext} answers {@code Hello, World!} as
 * {@code text/plain}, with {@code Content-Length}, {@code Server} and {@code Date} added by the
 * server. Written as a user would, with the public API: one event loop (or a group of them), one
 * route.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.PlaintextServer --port 8080 [--loops N]}; serves
 * until the process is stopped. Threading: everything runs on the one loop thread, or with
 * {@code --loops N} on N loops, each connection on one of them.
 */
public final class PlaintextServer {

    private PlaintextServer() {
    }

    /** {@code --port N} (0: any free port) {@code --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.start("plaintext");
            ServerArgs.announce(start(loop, options.port()).port());
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.start("plaintext", options.loops());
            ServerArgs.announce(routes(HttpServer.on(group)).bind(options.port()).start().port());
            group.terminationFuture().join();
        }
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static HttpServer start(EventLoop loop, int port) throws IOException {
        return routes(HttpServer.on(loop)).bind(port).start();
    }

    private static HttpServer.Builder routes(HttpServer.Builder server) {
        return server.get("/plaintext", request -> HttpResponse.text("Hello, World!"));
    }
}
