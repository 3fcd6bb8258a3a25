package io.eddy.bench;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.Connection;
import io.eddy.core.net.TcpServer;
import java.io.IOException;

/**
 * A TCP line echo server on Eddy: every line received is written back, on one event loop.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.LineEchoServer --port N}. Threading: everything
 * runs on the one loop thread.
 */
public final class LineEchoServer {

    private LineEchoServer() {
    }

    /** {@code --port N} (0: any free port); prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        EventLoop loop = EventLoop.start("line-echo");
        ServerArgs.announce(start(loop, options.port()).port());
        loop.awaitTermination();
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static TcpServer<String, String> start(EventLoop loop, int port) throws IOException {
        return TcpServer.on(loop)
                .bind(port)
                .codec(LineCodec::new)
                .handler(Connection::write)
                .start();
    }
}
