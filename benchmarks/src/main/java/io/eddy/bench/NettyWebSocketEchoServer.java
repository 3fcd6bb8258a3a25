package io.eddy.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * The WebSocket benchmark's server on Netty, the yardstick for {@link WebSocketEchoServer}, as Netty
 * users write one: {@link HttpServerCodec}, {@link HttpObjectAggregator} and
 * {@link WebSocketServerProtocolHandler} (which answers pings and closes), then a handler of data
 * frames. {@code /echo} writes each frame back as it was read (no copy, no decoding) and flushes
 * once per read; {@code /room} broadcasts each text frame to the other members of one
 * {@link ChannelGroup} (a retained duplicate per member, void promises): Netty's best cases. The
 * text {@value BroadcastWire#ALLOCATED} is answered with the bytes the loop threads have allocated.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NettyWebSocketEchoServer --port N [--loops N]}.
 * Threading: {@code --loops} NIO event loop threads (one by default); one accepts, all serve.
 */
public final class NettyWebSocketEchoServer {

    private static final AttributeKey<Boolean> IN_ROOM = AttributeKey.valueOf("inRoom");

    private NettyWebSocketEchoServer() {
    }

    /** {@code --port N --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        NettyTransport transport = NettyTransport.named(options.transport());
        Frames frames = new Frames(new DefaultChannelGroup(GlobalEventExecutor.INSTANCE));
        WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder().websocketPath("/")
                .checkStartsWith(true).maxFramePayloadLength(1 << 20).build();
        Channel channel = new ServerBootstrap()
                .group(transport.group(options.loops(), WebSocketEchoServer.THREADS))
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                                new WebSocketServerProtocolHandler(config), frames);
                    }
                })
                .bind(options.port()).sync().channel();
        ServerArgs.announce(((InetSocketAddress) channel.localAddress()).getPort());
        channel.closeFuture().sync();
    }

    /** Data frames of every socket: echoed, or broadcast in the room. */
    @ChannelHandler.Sharable
    private static final class Frames extends ChannelInboundHandlerAdapter {
        private final ChannelGroup room;

        Frames(ChannelGroup room) {
            this.room = room;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake
                    && handshake.requestUri().startsWith("/room")) {
                ctx.channel().attr(IN_ROOM).set(true);
                room.add(ctx.channel());
                // After joining, so a receiver greeted is one every later broadcast reaches.
                ctx.writeAndFlush(new TextWebSocketFrame(BroadcastWire.WELCOME), ctx.voidPromise());
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            WebSocketFrame frame = (WebSocketFrame) message;
            // Messages start with a digit or a letter: only the rare question is decoded to a string.
            if (frame instanceof TextWebSocketFrame text && frame.content().isReadable()
                    && frame.content().getByte(frame.content().readerIndex()) == '#'
                    && text.text().equals(BroadcastWire.ALLOCATED)) {
                frame.release();
                ctx.writeAndFlush(new TextWebSocketFrame(BroadcastWire.allocatedAnswer(
                        ThreadAllocation.bytes(WebSocketEchoServer.THREADS))), ctx.voidPromise());
                return;
            }
            if (Boolean.TRUE.equals(ctx.channel().attr(IN_ROOM).get())) {
                room.writeAndFlush(frame, ChannelMatchers.isNot(ctx.channel()), true);
            } else {
                ctx.write(frame, ctx.voidPromise());
            }
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
