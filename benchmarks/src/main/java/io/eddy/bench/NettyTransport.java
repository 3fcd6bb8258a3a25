package io.eddy.bench;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.StandardSocketOptions;
import java.util.Locale;

/**
 * The Netty transport a yardstick server runs on: NIO (the one Eddy is measured against) or native
 * epoll (a reference). Each gives a one-thread event loop group, the same thread accepting and
 * serving, as Eddy's servers have.
 *
 * <p>Threading: immutable.
 */
enum NettyTransport {
    NIO(NioIoHandler.newFactory(), NioServerSocketChannel.class, NioDatagramChannel.class),
    EPOLL(null, EpollServerSocketChannel.class, EpollDatagramChannel.class);

    private final IoHandlerFactory factory;
    private final Class<? extends ServerSocketChannel> serverChannel;
    private final Class<? extends DatagramChannel> datagramChannel;

    NettyTransport(IoHandlerFactory factory, Class<? extends ServerSocketChannel> serverChannel,
                   Class<? extends DatagramChannel> datagramChannel) {
        this.factory = factory;
        this.serverChannel = serverChannel;
        this.datagramChannel = datagramChannel;
    }

    /** {@code nio} or {@code epoll}; epoll fails here, saying why, where its native library is missing. */
    static NettyTransport named(String name) {
        NettyTransport transport = valueOf(name.toUpperCase(Locale.ROOT));
        if (transport == EPOLL && !Epoll.isAvailable()) {
            throw new IllegalStateException("epoll is not available here", Epoll.unavailabilityCause());
        }
        return transport;
    }

    /** A group of one event loop thread. */
    /** The option that lets several sockets of this transport bind one port ({@code SO_REUSEPORT}). */
    ChannelOption<Boolean> reusePort() {
        return this == EPOLL ? EpollChannelOption.SO_REUSEPORT : NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT);
    }

    /** A group of {@code loops} event loops (threads) of this transport. */
    EventLoopGroup group(int loops) {
        // The epoll factory is made here, not in the constant, so NIO never loads the native library.
        return new MultiThreadIoEventLoopGroup(loops, this == EPOLL ? EpollIoHandler.newFactory() : factory);
    }

    /** As {@link #group(int)}, its threads named {@code name-...}, so they can be told from the JVM's others. */
    EventLoopGroup group(int loops, String name) {
        return new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory(name),
                this == EPOLL ? EpollIoHandler.newFactory() : factory);
    }

    Class<? extends ServerSocketChannel> serverChannel() {
        return serverChannel;
    }

    Class<? extends DatagramChannel> datagramChannel() {
        return datagramChannel;
    }
}
