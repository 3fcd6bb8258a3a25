package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.udp.UdpEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A UDP echo server on Eddy: every datagram goes back to its sender as it came, on one event loop
 * (or, with {@code --loops N}, one {@code SO_REUSEPORT} socket on each of N loops, as the Netty twin).
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.UdpEchoServer --port N [--loops N]}. Threading:
 * everything runs on the one loop thread, or each socket on its own loop.
 */
public final class UdpEchoServer {

    private UdpEchoServer() {
    }

    /** {@code --port N} (0: any free port) {@code --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.start("udp-echo");
            ServerArgs.announce(start(loop, options.port()).port());
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.start("udp-echo", options.loops());
            ServerArgs.announce(UdpEndpoint.on(group)
                    .bind(options.port())
                    .reusePort(true)
                    .handler((self, datagram) -> self.send(datagram.sender(), datagram.payload()))
                    .start()
                    .port());
            group.terminationFuture().join();
        }
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static UdpEndpoint<ByteBuffer, ByteBuffer> start(EventLoop loop, int port) throws IOException {
        return UdpEndpoint.on(loop)
                .bind(port)
                .handler((self, datagram) -> self.send(datagram.sender(), datagram.payload()))
                .start();
    }
}
