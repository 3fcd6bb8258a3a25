package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.UdpEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A UDP echo server on Eddy: every datagram goes back to its sender as it came, on one event loop.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.UdpEchoServer --port N}. Threading: everything
 * runs on the one loop thread.
 */
public final class UdpEchoServer {

    private UdpEchoServer() {
    }

    /** {@code --port N} (0: any free port); prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        EventLoop loop = EventLoop.start("udp-echo");
        ServerArgs.announce(start(loop, options.port()).port());
        loop.awaitTermination();
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static UdpEndpoint<ByteBuffer, ByteBuffer> start(EventLoop loop, int port) throws IOException {
        return UdpEndpoint.on(loop)
                .bind(port)
                .handler((self, datagram) -> self.send(datagram.sender(), datagram.payload()))
                .start();
    }
}
