package io.eddy.bench;

import io.eddy.core.loop.EventLoop;

/**
 * The soak's server: HTTP plaintext (with {@code /bulk}), TCP line echo and UDP echo at once, on
 * one event loop in one process, each as its benchmark server serves it, so that a soak watches
 * one process carry every kind of traffic for a long time.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.SoakServer --port N --line-port N --udp-port N}
 * (0: any free port); prints {@value ServerArgs#READY} and the HTTP port once all three listen, and
 * serves until the process is stopped. Threading: everything runs on the one loop thread.
 */
public final class SoakServer {

    private SoakServer() {
    }

    /** {@code --port N --line-port N --udp-port N}; announces the HTTP port. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        EventLoop loop = EventLoop.start("soak");
        int http = PlaintextServer.start(loop, options.port()).port();
        LineEchoServer.start(loop, (int) options.number("line-port", 0));
        UdpEchoServer.start(loop, (int) options.number("udp-port", 0));
        ServerArgs.announce(http);
        loop.awaitTermination();
    }
}
