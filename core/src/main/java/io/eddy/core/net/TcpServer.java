package io.eddy.core.net;

import io.eddy.core.codec.Codec;
import io.eddy.core.internal.Ports;
import io.eddy.core.internal.SocketOptions;
import io.eddy.core.internal.TcpConnection;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener on an event loop: accepts connections and gives each its own codec (from the
 * factory) and the handler (shared, or one per connection).
 *
 * <pre>{@code
 * TcpServer<String, String> server = TcpServer.on(loop)
 *         .bind("127.0.0.1", 9998)
 *         .option(StandardSocketOptions.SO_KEEPALIVE, true)
 *         .codec(LineCodec::new)
 *         .handler((connection, line) -> connection.write("echo: " + line))
 *         .start();
 * }</pre>
 *
 * <p>Socket options: {@code SO_RCVBUF}, {@code SO_REUSEADDR} and {@code SO_REUSEPORT} are set on
 * the listening socket, before it binds (accepted sockets inherit the receive buffer in the
 * handshake, whose window scale it fixes); every other option is set on each accepted socket.
 * By default {@code SO_REUSEADDR} is on for the listener and {@code TCP_NODELAY} on for each
 * connection.
 *
 * <p>Accepts at most 64 connections per wake-up, so one busy listener cannot starve the other
 * channels of its loop. Past {@code maxConnections} a new connection is accepted and closed at
 * once, and that is logged. When accepting fails (out of file descriptors), the listener pauses
 * for 100 ms rather than spin.
 *
 * <p>Threading: built and started from any thread; the listener lives on its loop.
 *
 * @param <I> messages received
 * @param <O> messages written
 */
public final class TcpServer<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private final EventLoop loop;
    private final ServerSocketChannel listener;
    private final Pipeline<I, O> pipeline;
    private final SocketOptions acceptedOptions;
    private final ConnectionOptions options;
    private final int maxConnections;
    private final InetSocketAddress address;
    private final String name;
    private final Acceptor acceptor = new Acceptor();
    private volatile int connections;
    private long rejected;
    private SelectionKey key;

    private TcpServer(Builder<I, O> b, ServerSocketChannel listener) throws IOException {
        this.loop = b.loop;
        this.listener = listener;
        this.pipeline = b.pipeline;
        this.acceptedOptions = b.socketOptions.only(option -> !Builder.LISTENER_OPTIONS.contains(option));
        this.options = b.options;
        this.name = b.name;
        this.maxConnections = b.maxConnections;
        this.address = (InetSocketAddress) listener.getLocalAddress();
    }

    /** Starts building a server on {@code loop}. */
    public static Builder<Void, Void> on(EventLoop loop) {
        return new Builder<>(Objects.requireNonNull(loop, "loop"));
    }

    /** The port it listens on (the real one when bound to port 0). */
    public int port() {
        return address.getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress localAddress() {
        return address;
    }

    /** Connections open now. */
    public int connectionCount() {
        return connections;
    }

    /** The loop it runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** Stops accepting; connections already open stay open. Thread-safe. */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            closeListener();
        } else {
            try {
                loop.execute(this::closeListener);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                closeListener();
            }
        }
    }

    private void closeListener() {
        if (!listener.isOpen()) {
            return;
        }
        try {
            listener.close();
            log.info("{} stopped listening on {}", name, address);
        } catch (IOException e) {
            log.warn("closing the listener on {} failed", address, e);
        }
    }

    private void register() throws IOException {
        key = loop.register(listener, SelectionKey.OP_ACCEPT, acceptor);
    }

    private void registerOrClose() {
        try {
            register();
        } catch (IOException | RuntimeException e) {
            log.error("cannot register the listener on {}; closing it", address, e);
            closeListener();
        }
    }

    private void accept() {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                log.warn("accepting on {} failed: {}; pausing accepts for {} ms", address, e.getMessage(),
                        ACCEPT_BACKOFF.toMillis());
                pauseAccepting();
                return;
            }
            if (channel == null) {
                return;
            }
            if (connections >= maxConnections) {
                reject(channel);
                continue;
            }
            connections++;
            try {
                acceptedOptions.applyTo(channel);
                TcpConnection.open(loop, channel, null, pipeline.newCodec(), pipeline.newHandler(), options,
                        this::connectionClosed);
            } catch (IOException | RuntimeException e) {
                connections--;
                log.warn("setting up a connection accepted on {} failed", address, e);
                closeQuietly(channel);
            }
        }
    }

    private void connectionClosed() {
        connections--;
    }

    private void reject(SocketChannel channel) {
        rejected++;
        if (rejected == 1 || rejected % 1000 == 0) {
            log.warn("{} has {} connections, its maxConnections; closed a new one at once ({} so far)",
                    address, connections, rejected);
        }
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            log.debug("cannot set SO_LINGER on a rejected connection", e);
        }
        closeQuietly(channel);
    }

    private void pauseAccepting() {
        if (key.isValid()) {
            key.interestOps(0);
            loop.schedule(ACCEPT_BACKOFF, () -> {
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing a socket failed", e);
        }
    }

    @Override
    public String toString() {
        return "TcpServer[" + address + "]";
    }

    /** Readiness of the listening socket. */
    private final class Acceptor implements IoHandler {
        @Override
        public void onReady(int readyOps) {
            accept();
        }

        @Override
        public void onLoopClosing() {
            closeListener();
        }

        @Override
        public void onForceClose() {
            closeListener();
        }

        @Override
        public String toString() {
            return TcpServer.this.toString();
        }
    }

    /**
     * Settings of a server: {@link #bind}, {@link #codec}, then {@link #handler} (or
     * {@link #handlerPerConnection}), and {@link #start()}. Set the codec before the handler: the
     * codec fixes the handler's types, and a handler set first is refused. Not thread-safe.
     */
    public static final class Builder<I, O> {
        /** Options that belong to the listening socket; every other one goes to accepted sockets. */
        static final Set<SocketOption<?>> LISTENER_OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT);

        private final EventLoop loop;
        private String host;
        private int port;
        private int backlog = 1024;
        private int maxConnections = 100_000;
        private String name = "TCP server";
        private ConnectionOptions options = ConnectionOptions.defaults();
        private SocketOptions socketOptions = SocketOptions.none()
                .with(StandardSocketOptions.SO_REUSEADDR, true)
                .with(StandardSocketOptions.TCP_NODELAY, true);
        private Pipeline<I, O> pipeline = Pipeline.empty();

        private Builder(EventLoop loop) {
            this.loop = loop;
        }

        /**
         * What the server is called in its log lines ({@code "TCP server"} by default): a protocol
         * built on it says what listens, as {@code HttpServer} does with {@code "HTTP server"}.
         */
        public Builder<I, O> name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Listens on every interface at {@code port} (0: any free port). */
        public Builder<I, O> bind(int port) {
            return bind(null, port);
        }

        /** Listens on {@code host} at {@code port} (0: any free port). */
        public Builder<I, O> bind(String host, int port) {
            this.port = Ports.requireBindable(port);
            this.host = host;
            return this;
        }

        /** The listen backlog (default 1024). */
        public Builder<I, O> backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        /** At most this many open connections; more are closed at once (default 100,000). */
        public Builder<I, O> maxConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnections must be positive: " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /** Limits and timeouts for every connection (default {@link ConnectionOptions#defaults()}). */
        public Builder<I, O> options(ConnectionOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * A socket option: {@code SO_RCVBUF}, {@code SO_REUSEADDR} and {@code SO_REUSEPORT} for the
         * listening socket, any other for each accepted one (see the class comment). Checked
         * against what the sockets support when the server starts.
         */
        public <T> Builder<I, O> option(SocketOption<T> option, T value) {
            this.socketOptions = socketOptions.with(option, value);
            return this;
        }

        /** Makes each connection's codec. Set it before the handler. */
        @SuppressWarnings("unchecked")
        public <I2, O2> Builder<I2, O2> codec(Supplier<? extends Codec<I2, O2>> codecs) {
            Builder<I2, O2> typed = (Builder<I2, O2>) this;
            typed.pipeline = pipeline.codec(codecs);
            return typed;
        }

        /** Receives every connection's messages and events: one handler shared by all of them. */
        public Builder<I, O> handler(Handler<I, O> handler) {
            this.pipeline = pipeline.handler(handler);
            return this;
        }

        /**
         * Gives each connection a handler of its own, made by {@code handlers} when it is accepted,
         * for handlers that keep per-connection state.
         */
        public Builder<I, O> handlerPerConnection(Supplier<? extends Handler<I, O>> handlers) {
            this.pipeline = pipeline.handlerPerConnection(handlers);
            return this;
        }

        /**
         * Binds and starts accepting. Returns once the socket is bound (connections wait in the
         * backlog until the loop runs); thread-safe.
         *
         * @throws IOException if the address cannot be bound
         * @throws IllegalStateException if the codec or the handler is missing
         * @throws IllegalArgumentException if a socket option is not supported
         */
        public TcpServer<I, O> start() throws IOException {
            pipeline.requireComplete("server");
            socketOptions.only(option -> !LISTENER_OPTIONS.contains(option))
                    .checkSupported(SocketOptions.supportedByTcpSockets(), "an accepted TCP socket");
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.configureBlocking(false);
                SocketOptions listening = socketOptions.only(LISTENER_OPTIONS::contains);
                listening.checkSupported(channel.supportedOptions(), "a listening TCP socket");
                // Before bind: accepted sockets inherit SO_RCVBUF in the handshake, whose window
                // scale it sets. Shrunk after the handshake, the window the peer was promised no
                // longer fits, and the connection crawls through zero-window stalls.
                listening.applyTo(channel);
                InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
                channel.bind(address, backlog);
                TcpServer<I, O> server = new TcpServer<>(this, channel);
                if (loop.inEventLoop()) {
                    server.register();
                } else {
                    // Not waited for: the loop may not run yet (an application that embeds it
                    // starts servers first, then calls run()). The socket is bound already, so
                    // clients that connect meanwhile wait in the backlog.
                    loop.execute(server::registerOrClose);
                }
                log.info("{} listening on {}", server.name, server.address);
                return server;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }
}
