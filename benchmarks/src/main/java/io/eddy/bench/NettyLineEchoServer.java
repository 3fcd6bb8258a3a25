package io.eddy.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A TCP line echo server on Netty, the yardstick for {@link LineEchoServer}: lines framed by
 * {@code LineBasedFrameDecoder}, decoded to strings and written back with {@code \n}, as Eddy's
 * {@code LineCodec} does; written with the void promise, flushed once per read.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NettyLineEchoServer --port N [--transport nio|epoll]}.
 * Threading: {@code --loops} event loop threads (one by default); one accepts, all serve.
 */
public final class NettyLineEchoServer {

    private NettyLineEchoServer() {
    }

    /** {@code --port N --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        NettyTransport transport = NettyTransport.named(options.transport());
        Channel channel = new ServerBootstrap()
                .group(transport.group(options.loops()))
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(8192),
                                new StringDecoder(StandardCharsets.UTF_8),
                                new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8),
                                new Echo());
                    }
                })
                .bind(options.port()).sync().channel();
        ServerArgs.announce(((InetSocketAddress) channel.localAddress()).getPort());
        channel.closeFuture().sync();
    }

    /** Writes each line back; flushes once the read is done. */
    private static final class Echo extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            // The void promise: nothing waits for the write, as nothing does on Eddy's side.
            ctx.write(line, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
