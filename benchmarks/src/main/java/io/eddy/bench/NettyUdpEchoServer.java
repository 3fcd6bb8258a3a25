package io.eddy.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * A UDP echo server on Netty, the yardstick for {@link UdpEchoServer}: every datagram goes back to
 * its sender, its buffer retained rather than copied, written with the void promise; flushed once
 * per read.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NettyUdpEchoServer --port N [--loops N] [--transport nio|epoll]}.
 * Threading: one event loop thread per loop; with several, one {@code SO_REUSEPORT} socket each.
 */
public final class NettyUdpEchoServer {

    private NettyUdpEchoServer() {
    }

    /** {@code --port N --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        NettyTransport transport = NettyTransport.named(options.transport());
        int loops = options.loops();
        Bootstrap bootstrap = new Bootstrap()
                .group(transport.group(loops))
                .channel(transport.datagramChannel())
                .handler(new Echo());
        if (loops > 1) {
            // One socket per loop on the same port, the kernel spreading senders over them.
            bootstrap.option(transport.reusePort(), true);
        }
        Channel channel = bootstrap.bind(options.port()).sync().channel();
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        for (int i = 1; i < loops; i++) {
            bootstrap.bind(port).sync();
        }
        ServerArgs.announce(port);
        channel.closeFuture().sync();
    }

    /** Sends each datagram back; flushes once the read is done. Stateless, so one serves every socket. */
    @ChannelHandler.Sharable
    private static final class Echo extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            // The void promise: nothing waits for the send, as nothing does on Eddy's side.
            ctx.write(new DatagramPacket(packet.content().retain(), packet.sender()), ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
