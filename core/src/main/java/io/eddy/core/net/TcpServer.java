package io.eddy.core.net;

import io.eddy.core.codec.Codec;
import io.eddy.core.internal.LoopConnections;
import io.eddy.core.internal.Ports;
import io.eddy.core.internal.ProxyStart;
import io.eddy.core.internal.SocketOptions;
import io.eddy.core.internal.TcpConnection;
import io.eddy.core.internal.TlsStart;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.core.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener on an event loop or a group of loops: accepts connections and gives each its own
 * codec (from the factory) and the handler (shared, or one per connection).
 *
 * <pre>{@code
 * TcpServer<String, String> server = TcpServer.on(loop)        // or TcpServer.on(group)
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
 * <p><b>On a group</b> ({@link #on(EventLoopGroup)}) there are two accept modes:
 * <ul>
 *   <li>By default one listener, on a loop of the group, accepts every connection and hands each
 *       to the loop the group's chooser picks, through that loop's {@code execute}; the connection
 *       is set up and lives there. Portable, and load-aware with the default chooser.</li>
 *   <li>With {@link Builder#reusePort(boolean) reusePort(true)}, one listener per loop, all bound
 *       to the same address with {@code SO_REUSEPORT}: the kernel spreads new connections over
 *       them, and each stays on the loop that accepted it. No hand-off, but the spread is the
 *       kernel's hash of the connection's addresses, not the loops' load, and the chooser is not
 *       asked. Only where the listening socket supports {@code SO_REUSEPORT}; Linux spreads
 *       connections over the listeners, some other systems accept the option without spreading.</li>
 * </ul>
 *
 * <p><b>Handlers.</b> The codec factory and {@link Builder#handlerPerConnection} factory are called
 * on the loop that will own the connection, so a factory can also hand out one handler per loop.
 * A handler given with {@link Builder#handler} is shared by every connection, on every loop of a
 * group at once: it must then be thread-safe.
 *
 * <p><b>Counting.</b> {@link #connectionCount()} and {@code maxConnections} are exact across
 * loops: a slot is reserved atomically before a connection is set up and released when it closes.
 * Past {@code maxConnections} a new connection is accepted and closed at once with a reset, and
 * that is logged (the first and every thousandth).
 *
 * <p><b>Metrics.</b> With {@link Builder#metrics}, the server registers its figures, labelled
 * {@code server} with the address it listens on: connections open, accepted and refused, bytes
 * received and sent, decode errors, and closes by reason ({@code eddy.tcp.server.*}; see
 * {@code docs/observability.md}). Without, it counts nothing more than it needs itself.
 *
 * <p>Threading: built and started from any thread; each listener lives on its loop; the queries
 * and {@link #close()} are thread-safe.
 *
 * @param <I> messages received
 * @param <O> messages written
 */
public final class TcpServer<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpServer.class);

    private final Placement placement;
    private final boolean reusePort;
    private final List<Listener> listeners = new ArrayList<>();
    private final Pipeline<I, O> pipeline;
    private final SocketOptions acceptedOptions;
    private final ConnectionOptions options;
    private final ConnectionSlots slots;
    /** One for the server, not a method reference per connection (each of which is an object it keeps). */
    private final Runnable releaseSlot;
    private final InetSocketAddress address;
    private final String name;
    /** TLS for every connection, or null for plaintext. */
    private final ServerTls tls;
    /** Whether connections start with a PROXY protocol header, and whose. */
    private final ProxyProtocol proxy;
    private final AtomicLong rejected = new AtomicLong();
    /** The figures, or null when the server keeps none. */
    private final ServerMetrics metrics;

    private TcpServer(Builder<I, O> b, InetSocketAddress address) {
        this.placement = b.placement;
        this.reusePort = b.reusePort;
        this.pipeline = b.pipeline;
        this.acceptedOptions = b.socketOptions.only(option -> !Builder.LISTENER_OPTIONS.contains(option));
        this.options = b.options;
        this.name = b.name;
        this.slots = new ConnectionSlots(b.maxConnections);
        this.releaseSlot = slots::release;
        this.address = address;
        this.tls = b.tls;
        this.proxy = b.proxy;
        this.metrics = b.metrics.isEnabled()
                ? new ServerMetrics(b.metrics, address, placement.loops(), slots::used, rejected::get) : null;
    }

    /** Starts building a server on {@code loop}: its listener and every connection live there. */
    public static Builder<Void, Void> on(EventLoop loop) {
        return new Builder<>(Placement.on(loop));
    }

    /**
     * Starts building a server on {@code group}: its connections spread over the group's loops
     * (see the class comment for the two accept modes).
     */
    public static Builder<Void, Void> on(EventLoopGroup group) {
        return new Builder<>(Placement.on(group));
    }

    /** The port it listens on (the real one when bound to port 0). */
    public int port() {
        return address.getPort();
    }

    /** The address it listens on. */
    public InetSocketAddress localAddress() {
        return address;
    }

    /** Connections open now (and being set up), on every loop. Exact. */
    public int connectionCount() {
        return slots.used();
    }

    /** The loop its (first) listener runs on; on a group, connections run on all of them. */
    public EventLoop loop() {
        return listeners.get(0).loop();
    }

    /** Stops accepting; connections already open stay open. Thread-safe. */
    @Override
    public void close() {
        listeners.forEach(Listener::close);
        if (metrics != null) {
            metrics.close();
        }
    }

    /** A listener accepted {@code channel} on {@code acceptingLoop}'s thread: place it, or refuse it. */
    private void accepted(SocketChannel channel, EventLoop acceptingLoop) {
        if (!slots.tryReserve()) {
            reject(channel);
            return;
        }
        if (metrics != null) {
            metrics.on(acceptingLoop).accepted();
        }
        EventLoop owner = reusePort ? acceptingLoop : placement.choose();
        // Counted on its loop before the hand-off, so the next choice already sees it.
        Runnable release = LoopConnections.add(owner, releaseSlot);
        if (owner == acceptingLoop) {
            open(channel, owner, release);
            return;
        }
        try {
            owner.execute(() -> open(channel, owner, release));
        } catch (RejectedExecutionException e) {
            release.run();
            log.debug("{}: loop {} has terminated; dropping a connection accepted on {}", name, owner, address);
            closeQuietly(channel);
        }
    }

    /** Sets the connection up on {@code owner}, its loop for life. Runs on that loop's thread. */
    private void open(SocketChannel channel, EventLoop owner, Runnable release) {
        try {
            acceptedOptions.applyTo(channel);
            TlsStart tlsStart = tls == null ? null
                    : new TlsStart(tls.newEngine(), tls.handshakeTimeout(), tls.closeNotifyTimeout());
            ProxyStart proxyStart = proxy.mode() != ProxyProtocol.Mode.OFF
                    && proxy.expectsHeaderFrom(((InetSocketAddress) channel.getRemoteAddress()).getAddress())
                    ? ProxyStart.expect(proxy) : null;
            TcpConnection.open(owner, channel, null, pipeline.newCodec(), pipeline.newHandler(), options, release,
                    proxyStart, tlsStart, null, metrics == null ? null : metrics.on(owner));
        } catch (IOException | RuntimeException e) {
            release.run();
            log.warn("setting up a connection accepted on {} failed", address, e);
            closeQuietly(channel);
        }
    }

    private void reject(SocketChannel channel) {
        long n = rejected.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.warn("{} has {} connections, its maxConnections; closed a new one at once ({} so far)",
                    address, slots.max(), n);
        }
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException e) {
            log.debug("cannot set SO_LINGER on a rejected connection", e);
        }
        closeQuietly(channel);
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

    /**
     * Settings of a server: {@link #bind}, {@link #codec}, then {@link #handler} (or
     * {@link #handlerPerConnection}), and {@link #start()}. Set the codec before the handler: the
     * codec fixes the handler's types, and a handler set first is refused. Not thread-safe.
     */
    public static final class Builder<I, O> {
        /** Options that belong to the listening socket; every other one goes to accepted sockets. */
        static final Set<SocketOption<?>> LISTENER_OPTIONS = Set.of(StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT);

        private final Placement placement;
        private boolean reusePort;
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
        private ServerTls tls;
        private ProxyProtocol proxy = ProxyProtocol.off();
        private Metrics metrics = Metrics.none();

        private Builder(Placement placement) {
            this.placement = placement;
        }

        /**
         * Registers the server's figures with {@code metrics} once it has bound (default
         * {@link Metrics#none()}: none, and nothing counted), labelled with the address it listens
         * on; they are taken away when it closes. Counting then costs each connection a few plain
         * adds on its own loop: per read, per flush, at its close.
         */
        public Builder<I, O> metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Speaks TLS on every connection, as {@code tls} says (certificates, protocols, client
         * certificates, handshake timeout). The codec and handler see plaintext, and the handler
         * hears of a connection ({@code onOpen}) only once its handshake is done; one that fails
         * is closed and logged at debug level, unseen by the handler. See {@code docs/tls.md}.
         */
        public Builder<I, O> tls(ServerTls tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Whether each connection starts with a PROXY protocol header (versions 1 and 2), which
         * then gives the connection's {@link Connection#remoteAddress()}: {@link ProxyProtocol#off()}
         * (the default), {@link ProxyProtocol#required()}, or {@link ProxyProtocol#trusted} from
         * some addresses only. The header is read before anything else, TLS included; the handler
         * hears of a connection only once it has come, and a connection without a valid one in
         * time is closed unseen ({@code PROXY_HEADER_ERROR}, {@code HANDSHAKE_TIMEOUT}). See
         * {@link ProxyProtocol}.
         */
        public Builder<I, O> proxyProtocol(ProxyProtocol protocol) {
            this.proxy = Objects.requireNonNull(protocol, "protocol");
            return this;
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

        /**
         * One listener per loop, all bound to the same address with {@code SO_REUSEPORT}, the
         * kernel spreading connections over them (default false: one listener, connections handed
         * to the loops the group's chooser picks). On one loop it only sets {@code SO_REUSEPORT}
         * on its listener. The spread is a hash of each connection's addresses: fast and without a
         * hand-off, but blind to how loaded each loop is. {@link #start()} refuses it with an
         * {@code IllegalStateException} where the platform does not support {@code SO_REUSEPORT}.
         */
        public Builder<I, O> reusePort(boolean reusePort) {
            this.reusePort = reusePort;
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
         * Binds and starts accepting. Returns once every listening socket is bound (connections
         * wait in the backlog until the loops run); thread-safe.
         *
         * @throws IOException if the address cannot be bound
         * @throws IllegalStateException if the codec or the handler is missing, or
         *                               {@code reusePort} is asked where it is not supported
         * @throws IllegalArgumentException if a socket option is not supported
         */
        public TcpServer<I, O> start() throws IOException {
            pipeline.requireComplete("server");
            socketOptions.only(option -> !LISTENER_OPTIONS.contains(option))
                    .checkSupported(SocketOptions.supportedByTcpSockets(), "an accepted TCP socket");
            SocketOptions listening = socketOptions.only(LISTENER_OPTIONS::contains);
            if (reusePort) {
                listening = listening.with(StandardSocketOptions.SO_REUSEPORT, true);
            }
            List<EventLoop> listenerLoops = reusePort ? placement.loops() : List.of(placement.choose());
            List<ServerSocketChannel> channels = new ArrayList<>();
            try {
                InetSocketAddress address = host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
                for (int i = 0; i < listenerLoops.size(); i++) {
                    ServerSocketChannel channel = bindListener(listening, address);
                    channels.add(channel);
                    // The others join the first on the port it got (port 0 picks one).
                    address = (InetSocketAddress) channel.getLocalAddress();
                }
                TcpServer<I, O> server = new TcpServer<>(this, address);
                for (int i = 0; i < channels.size(); i++) {
                    EventLoop loop = listenerLoops.get(i);
                    server.listeners.add(new Listener(name, loop, channels.get(i),
                            accepted -> server.accepted(accepted, loop)));
                }
                for (Listener listener : server.listeners) {
                    listener.start();
                }
                log.info("{} listening on {}{}", name, address,
                        channels.size() > 1 ? " (" + channels.size() + " listeners, SO_REUSEPORT)" : "");
                return server;
            } catch (IOException | RuntimeException e) {
                for (ServerSocketChannel channel : channels) {
                    channel.close();
                }
                throw e;
            }
        }

        private ServerSocketChannel bindListener(SocketOptions listening, InetSocketAddress address) throws IOException {
            ServerSocketChannel channel = ServerSocketChannel.open();
            try {
                channel.configureBlocking(false);
                if (reusePort && !channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new IllegalStateException("reusePort needs SO_REUSEPORT, which this platform's listening"
                            + " sockets do not support; leave reusePort off to hand connections to the loops instead");
                }
                listening.checkSupported(channel.supportedOptions(), "a listening TCP socket");
                // Before bind: accepted sockets inherit SO_RCVBUF in the handshake, whose window
                // scale it sets. Shrunk after the handshake, the window the peer was promised no
                // longer fits, and the connection crawls through zero-window stalls.
                listening.applyTo(channel);
                channel.bind(address, backlog);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
    }
}
