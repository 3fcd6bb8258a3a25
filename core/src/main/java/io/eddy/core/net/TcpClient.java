package io.eddy.core.net;

import io.eddy.core.codec.Codec;
import io.eddy.core.internal.LoopConnections;
import io.eddy.core.internal.ProxyStart;
import io.eddy.core.internal.SocketOptions;
import io.eddy.core.internal.TcpConnection;
import io.eddy.core.internal.TlsStart;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.loop.IoHandler;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.tls.ClientTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens TCP connections from an event loop, with the same pipeline model as {@link TcpServer}.
 * Built once, then connects on demand:
 *
 * <pre>{@code
 * try (TcpClient<String, String> client = TcpClient.on(loop)
 *         .codec(LineCodec::new)
 *         .handler((c, line) -> System.out.println(line))
 *         .build()) {
 *     Connection<String> connection = client.connect("127.0.0.1", 9998).join();
 *     ...
 * }
 * }</pre>
 *
 * <p>The connect is non-blocking and bounded by {@link Builder#connectTimeout} (default 10 s); a
 * timeout fails the future with a {@link SocketTimeoutException}. A host name is resolved by
 * {@link #connect(String, int)} on the calling thread: from a handler (on the loop), pass an
 * already resolved {@link InetSocketAddress} instead, so a slow name lookup cannot stall the loop.
 * Every socket option is set before the connect, {@code SO_RCVBUF} included (the handshake fixes
 * the window scale from it); {@code TCP_NODELAY} is on unless turned off.
 *
 * <p>{@link #close()} closes the connections this client opened that are still open (each as
 * {@link Connection#close()} does: what is queued leaves first); a connect still in progress then
 * fails, and a later {@link #connect} fails at once.
 *
 * <p><b>On a group</b> ({@link #on(EventLoopGroup)}) each connect goes to the loop the group's
 * chooser picks (the fewest open connections by default), counted there from the moment it is
 * chosen, so a burst of connects spreads evenly. A handler given with {@link Builder#handler} is
 * then shared by connections on several loops at once and must be thread-safe;
 * {@link Builder#handlerPerConnection} gives each its own.
 *
 * <p>Threading: immutable; {@link #connect} and {@link #close} are safe from any thread. The future
 * completes on the connection's loop thread (or at once on the caller's, when the address is unresolved, the
 * client closed or the loop has terminated).
 *
 * @param <I> messages received
 * @param <O> messages written
 */
public final class TcpClient<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpClient.class);

    private final Placement placement;
    private final Duration connectTimeout;
    private final ConnectionOptions options;
    private final SocketOptions socketOptions;
    private final Pipeline<I, O> pipeline;
    /** TLS for every connection, or null for plaintext. */
    private final ClientTls tls;
    /** The PROXY protocol header every connection sends first, or null. */
    private final ProxyHeader proxyHeader;
    /** The connections opened and not yet closed, on whichever loop each lives. */
    private final Set<Connection<O>> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpClient(Builder<I, O> b) {
        this.placement = b.placement;
        this.connectTimeout = b.connectTimeout;
        this.options = b.options;
        this.socketOptions = b.socketOptions;
        this.pipeline = b.pipeline;
        this.tls = b.tls;
        this.proxyHeader = b.proxyHeader;
    }

    /** Starts building a client on {@code loop}: every connection lives there. */
    public static Builder<Void, Void> on(EventLoop loop) {
        return new Builder<>(Placement.on(loop));
    }

    /** Starts building a client whose connections spread over {@code group}'s loops. */
    public static Builder<Void, Void> on(EventLoopGroup group) {
        return new Builder<>(Placement.on(group));
    }

    /**
     * The loop its connections run on.
     *
     * @throws IllegalStateException if the client is on a group: each connection's
     *                               {@link Connection#loop()} says where it lives
     */
    public EventLoop loop() {
        if (placement.loop() == null) {
            throw new IllegalStateException(this + " spreads its connections over a group; ask each connection for its loop");
        }
        return placement.loop();
    }

    /** Connects to {@code host}:{@code port}. */
    public CompletableFuture<Connection<O>> connect(String host, int port) {
        return connect(new InetSocketAddress(host, port));
    }

    /**
     * Connects to {@code address}. The future completes with the open connection (after the
     * handler's {@code onOpen}; with TLS, after the handshake), or fails with the reason: refused,
     * unresolved, timed out, client closed, the TLS handshake failed (an
     * {@link javax.net.ssl.SSLException}: a certificate not trusted or not for this host, say).
     * With TLS, the host name the server's certificate must hold (and the name sent as SNI) is
     * {@code address}'s host string: connect by name, not by a resolved address, unless the
     * certificate holds the IP address.
     */
    public CompletableFuture<Connection<O>> connect(InetSocketAddress address) {
        return connect(address, proxyHeader);
    }

    /**
     * Connects to {@code address} and sends {@code header} first, before anything else (TLS
     * included), instead of the builder's {@link Builder#proxyHeader}: how a proxy built on Eddy
     * tells a server behind it about each client it relays. The future completes once the header
     * has been handed to the socket (and, with TLS, the handshake is done).
     *
     * @param header the PROXY protocol header, or null to send none
     */
    public CompletableFuture<Connection<O>> connect(InetSocketAddress address, ProxyHeader header) {
        CompletableFuture<Connection<O>> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException(this + " is closed"));
            return result;
        }
        if (address.isUnresolved()) {
            result.completeExceptionally(new UnknownHostException(address.getHostString()));
            return result;
        }
        EventLoop loop = placement.choose();
        // Counted on its loop from now, so the next choice already sees it; given back when the
        // connect fails or the connection closes.
        Runnable release = LoopConnections.add(loop, () -> { });
        PendingConnect<I, O> connect;
        try {
            connect = new PendingConnect<>(this, loop, address, header, pipeline.newCodec(), pipeline.newHandler(),
                    result, release);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        try {
            loop.execute(connect::start);
        } catch (RejectedExecutionException e) {
            release.run();
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Closes every connection this client opened that is still open, and refuses new connects.
     * Thread-safe; returns at once (the connections close on the loop). A second call does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A copy: each close may run the connection's close callbacks, which remove it from the set.
        // Connection.close is thread-safe: each hands itself to its own loop.
        for (Connection<O> connection : new ArrayList<>(connections)) {
            connection.close();
        }
    }

    /** A connect succeeded: keep the connection until it closes. On the connection's loop. */
    private void opened(TcpConnection<I, O> connection) {
        if (connection.isOpen()) {
            connections.add(connection);
            connection.closeFuture().whenComplete((reason, failure) -> connections.remove(connection));
            // A close() that ran on another thread before the add missed this one.
            if (closed) {
                connection.close();
            }
        }
    }

    @Override
    public String toString() {
        return "TcpClient[" + placement + "]";
    }

    /**
     * Settings of a client: {@link #codec}, then {@link #handler} (or
     * {@link #handlerPerConnection}), and {@link #build()}. Set the codec before the handler: the
     * codec fixes the handler's types, and a handler set first is refused. Not thread-safe; the
     * client it builds does not see later changes.
     */
    public static final class Builder<I, O> {
        private final Placement placement;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private ConnectionOptions options = ConnectionOptions.defaults();
        private SocketOptions socketOptions = SocketOptions.none().with(StandardSocketOptions.TCP_NODELAY, true);
        private Pipeline<I, O> pipeline = Pipeline.empty();
        private ClientTls tls;
        private ProxyHeader proxyHeader;

        private Builder(Placement placement) {
            this.placement = placement;
        }

        /**
         * Speaks TLS on every connection, as {@code tls} says (trusted certificates, host name
         * verification, ALPN). The future of {@link TcpClient#connect} completes once the
         * handshake is done. See {@code docs/tls.md}.
         */
        public Builder<I, O> tls(ClientTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Sends {@code header}, a PROXY protocol header, first on every connection, before
         * anything else (TLS included), as a load balancer does to the servers behind it; null
         * (the default) sends none. {@link TcpClient#connect(InetSocketAddress, ProxyHeader)} gives
         * one connection a header of its own.
         */
        public Builder<I, O> proxyHeader(ProxyHeader header) {
            this.proxyHeader = header;
            return this;
        }

        /** How long a connect may take (default 10 s). */
        public Builder<I, O> connectTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
            }
            this.connectTimeout = timeout;
            return this;
        }

        /** Limits and timeouts for the connections (default {@link ConnectionOptions#defaults()}). */
        public Builder<I, O> options(ConnectionOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * A socket option, set on each socket before it connects. Checked against what a TCP socket
         * supports when the client is built.
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

        /** Receives the connections' messages and events: one handler shared by all of them. */
        public Builder<I, O> handler(Handler<I, O> handler) {
            this.pipeline = pipeline.handler(handler);
            return this;
        }

        /**
         * Gives each connection a handler of its own, made by {@code handlers} at each connect, for
         * handlers that keep per-connection state.
         */
        public Builder<I, O> handlerPerConnection(Supplier<? extends Handler<I, O>> handlers) {
            this.pipeline = pipeline.handlerPerConnection(handlers);
            return this;
        }

        /**
         * The client, ready to connect. Thread-safe to use once built.
         *
         * @throws IllegalStateException if the codec or the handler is missing
         * @throws IllegalArgumentException if a socket option is not supported
         * @throws java.io.UncheckedIOException if no socket can be opened to ask what it supports
         */
        public TcpClient<I, O> build() {
            pipeline.requireComplete("client");
            try {
                socketOptions.checkSupported(SocketOptions.supportedByTcpSockets(), "a TCP socket");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot open a socket to check the options", e);
            }
            return new TcpClient<>(this);
        }
    }

    /** A connect in progress: waits for OP_CONNECT, then becomes a {@link TcpConnection}. */
    private static final class PendingConnect<I, O> implements IoHandler {
        private final TcpClient<I, O> client;
        private final EventLoop loop;
        private final InetSocketAddress address;
        /** Sent first, or null. */
        private final ProxyHeader proxyHeader;
        private final Codec<I, O> codec;
        private final Handler<I, O> handler;
        private final CompletableFuture<Connection<O>> result;
        private final Runnable release;
        private SocketChannel channel;
        private SelectionKey key;
        private ScheduledTask timer;

        PendingConnect(TcpClient<I, O> client, EventLoop loop, InetSocketAddress address, ProxyHeader proxyHeader,
                       Codec<I, O> codec, Handler<I, O> handler, CompletableFuture<Connection<O>> result,
                       Runnable release) {
            this.client = client;
            this.proxyHeader = proxyHeader;
            this.loop = loop;
            this.release = release;
            this.address = address;
            this.codec = codec;
            this.handler = handler;
            this.result = result;
        }

        void start() {
            Duration timeout = client.connectTimeout;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                // All before connect: SO_RCVBUF must be, as the handshake sets the window scale
                // from it (see TcpServer).
                client.socketOptions.applyTo(channel);
                if (channel.connect(address)) {
                    connected();
                    return;
                }
                key = loop.register(channel, SelectionKey.OP_CONNECT, this);
                timer = loop.schedule(timeout, () -> fail(new SocketTimeoutException(
                        "connect to " + address + " timed out after " + timeout.toMillis() + " ms")));
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void onReady(int readyOps) {
            try {
                if (channel.finishConnect()) {
                    connected();
                }
            } catch (IOException e) {
                fail(e);
            }
        }

        private void connected() throws IOException {
            if (timer != null) {
                timer.cancel();
            }
            if (result.isDone()) {
                close();
                release.run();
                return;
            }
            if (client.closed) {
                fail(new IOException(client + " was closed while connecting to " + address));
                return;
            }
            if (client.tls == null && proxyHeader == null) {
                TcpConnection<I, O> connection = TcpConnection.open(loop, channel, key, codec, handler, client.options,
                        release);
                client.opened(connection);
                result.complete(connection);
                return;
            }
            TlsStart tls = client.tls == null ? null
                    : new TlsStart(client.tls.newEngine(address.getHostString(), address.getPort()),
                            client.tls.handshakeTimeout(), client.tls.closeNotifyTimeout());
            ProxyStart proxy = proxyHeader == null ? null : ProxyStart.send(proxyHeader);
            TcpConnection.open(loop, channel, key, codec, handler, client.options, release, proxy, tls,
                    (connection, failure) -> {
                        if (failure == null) {
                            client.opened(connection);
                            result.complete(connection);
                        } else {
                            log.debug("opening the connection to {} failed: {}", address, failure.toString());
                            result.completeExceptionally(failure);
                        }
                    }, null);
        }

        private void fail(Exception e) {
            if (timer != null) {
                timer.cancel();
            }
            close();
            release.run();
            log.debug("connect to {} failed: {}", address, e.toString());
            result.completeExceptionally(e);
        }

        private void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.debug("closing a failed connect's socket failed", e);
                }
            }
        }

        @Override
        public void onLoopClosing() {
            fail(new IOException("event loop is closing"));
        }

        @Override
        public void onForceClose() {
            fail(new IOException("event loop closed"));
        }

        @Override
        public String toString() {
            return "connect to " + address;
        }
    }
}
