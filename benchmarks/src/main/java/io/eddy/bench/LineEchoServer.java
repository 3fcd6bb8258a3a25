package io.eddy.bench;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.net.Connection;
import io.eddy.core.net.TcpServer;
import java.io.IOException;

/**
 * A TCP line echo server on Eddy: every line received is written back, on one event loop (or a
 * group of them).
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.LineEchoServer --port N [--loops N]}. Threading:
 * everything runs on the one loop thread, or with {@code --loops N} each connection on one of N.
 */
public final class LineEchoServer {

    private LineEchoServer() {
    }

    /** {@code --port N} (0: any free port) {@code --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.start("line-echo");
            ServerArgs.announce(start(loop, options.port()).port());
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.start("line-echo", options.loops());
            ServerArgs.announce(echo(TcpServer.on(group).bind(options.port())).start().port());
            group.terminationFuture().join();
        }
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static TcpServer<String, String> start(EventLoop loop, int port) throws IOException {
        return echo(TcpServer.on(loop).bind(port)).start();
    }

    /** Echoes lines; the handler keeps no state, so one serves every loop. */
    private static TcpServer.Builder<String, String> echo(TcpServer.Builder<Void, Void> server) {
        return server.codec(LineCodec::new).handler(Connection::write);
    }
}
