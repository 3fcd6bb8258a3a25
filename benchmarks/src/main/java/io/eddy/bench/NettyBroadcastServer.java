package io.eddy.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The broadcast benchmark's server on Netty, the yardstick for {@link BroadcastServer}: every
 * channel joins one {@link ChannelGroup}, and each line a member sends goes to all the others with
 * {@link ChannelGroup#writeAndFlush(Object, io.netty.channel.group.ChannelMatcher, boolean)}, as
 * Netty users broadcast. Netty's best case: the frame is broadcast as it was read (its
 * {@code \n} kept, no string decoded or encoded), each member getting a retained duplicate of the
 * one buffer, with void promises (no future per member).
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NettyBroadcastServer --port N [--loops N]}.
 * Threading: {@code --loops} NIO event loop threads (one by default); one accepts, all serve.
 */
public final class NettyBroadcastServer {

    private static final byte[] WELCOME = (BroadcastWire.WELCOME + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final String ALLOCATED = BroadcastWire.ALLOCATED + "\n";

    private NettyBroadcastServer() {
    }

    /** {@code --port N --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        NettyTransport transport = NettyTransport.named(options.transport());
        Room room = new Room(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        Channel channel = new ServerBootstrap()
                .group(transport.group(options.loops(), BroadcastServer.THREADS))
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(8192, false, false), room);
                    }
                })
                .bind(options.port()).sync().channel();
        ServerArgs.announce(((InetSocketAddress) channel.localAddress()).getPort());
        channel.closeFuture().sync();
    }

    /** One group for every channel; closed channels leave it by themselves. */
    @ChannelHandler.Sharable
    private static final class Room extends ChannelInboundHandlerAdapter {
        private final ChannelGroup members;

        Room(ChannelGroup members) {
            this.members = members;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            members.add(ctx.channel());
            // After joining, so a receiver greeted is one every later broadcast reaches.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(WELCOME), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ByteBuf line = (ByteBuf) message;
            // Messages start with a digit: only the rare question is decoded, so no message allocates a string.
            if (line.getByte(line.readerIndex()) == '#' && line.toString(StandardCharsets.US_ASCII).equals(ALLOCATED)) {
                line.release();
                String answer = BroadcastWire.allocatedAnswer(ThreadAllocation.bytes(BroadcastServer.THREADS)) + "\n";
                ctx.writeAndFlush(Unpooled.copiedBuffer(answer, StandardCharsets.US_ASCII), ctx.voidPromise());
                return;
            }
            // The group duplicates the buffer for each member and releases it once written to all.
            members.writeAndFlush(line, ChannelMatchers.isNot(ctx.channel()), true);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
