package io.eddy.udp;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Metrics;
import io.eddy.udp.codec.DatagramCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP endpoints a group builder ({@link UdpEndpoint#on(EventLoopGroup)}) started on one port:
 * a {@link UdpEndpoint} is one socket on one loop, so spreading UDP over a group means several
 * sockets sharing the port.
 *
 * <pre>{@code
 * try (UdpEndpoints<String, String> echo = UdpEndpoint.on(group)
 *         .bind("0.0.0.0", 5005)
 *         .reusePort(true)                                   // one endpoint per loop
 *         .codec(TextDatagramCodec::new)
 *         .handlerPerConnection(EchoHandler::new)            // one handler per endpoint
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <ul>
 *   <li>With {@link Builder#reusePort(boolean) reusePort(true)}: one endpoint per loop, all bound to
 *       the same address with {@code SO_REUSEPORT}. The kernel hands each datagram to one of them
 *       by a hash of its source (address and port), so one sender's datagrams all reach the same
 *       endpoint, in order, and many senders spread over the loops; one busy sender is not spread,
 *       and the hash does not follow the loops' load. Only where datagram sockets support
 *       {@code SO_REUSEPORT}: {@link Builder#start()} refuses it with an
 *       {@code IllegalStateException} elsewhere.</li>
 *   <li>Without (the default): a single endpoint, on the loop the group's chooser picks. Portable;
 *       one loop does all the UDP work, the others stay free for TCP.</li>
 * </ul>
 *
 * <p><b>Handlers.</b> The codec factory and {@link Builder#handlerPerConnection} are called once
 * per endpoint, so each endpoint (each loop) can have a handler of its own that needs no locking. A
 * handler given with {@link Builder#handler} serves every endpoint, on every loop at once: it must
 * then be thread-safe. A handler answers through the endpoint it is handed, which is the one the
 * datagram came in on, so the answer leaves from the port the sender used.
 *
 * <p><b>Threading.</b> Immutable once started; every method is thread-safe. Each endpoint lives on
 * its loop as a lone {@code UdpEndpoint} does.
 *
 * @param <I> payloads received, as the codec decodes them
 * @param <O> payloads sent, as the codec encodes them
 */
public final class UdpEndpoints<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UdpEndpoints.class);

    private final List<UdpEndpoint<I, O>> endpoints;

    private UdpEndpoints(List<UdpEndpoint<I, O>> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoints, one per loop with {@code reusePort} (in the group's order), else one. Immutable. */
    public List<UdpEndpoint<I, O>> endpoints() {
        return endpoints;
    }

    /** The address every endpoint is bound to (with the real port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return endpoints.get(0).localAddress();
    }

    /** The port every endpoint is bound to. */
    public int port() {
        return localAddress().getPort();
    }

    /** Completes once every endpoint has closed and the port is free again. */
    public CompletableFuture<Void> closeFuture() {
        return CompletableFuture.allOf(endpoints.stream().map(UdpEndpoint::closeFuture).toArray(CompletableFuture[]::new));
    }

    /** Closes every endpoint, as {@link UdpEndpoint#close()} does; returns at once. Thread-safe. */
    @Override
    public void close() {
        endpoints.forEach(UdpEndpoint::close);
    }

    @Override
    public String toString() {
        return "UdpEndpoints[" + localAddress() + ", " + endpoints.size() + " endpoints]";
    }

    /**
     * Settings of a group's endpoints: those of a lone {@link UdpEndpoint.Builder}, checked the same
     * way, plus {@link #reusePort}. {@link #bind}, {@link #codec}, then {@link #handler} (or
     * {@link #handlerPerConnection}), and {@link #start()}. There is no {@code connect}: a connected
     * endpoint hears one peer, which one socket serves. Not thread-safe.
     */
    public static final class Builder<I, O> {
        private final EventLoopGroup group;
        /** Everything but the loop and reusePort; its loop is null, each endpoint is started on its own. */
        private UdpEndpoint.Builder<I, O> settings;
        private boolean reusePort;

        Builder(EventLoopGroup group, UdpEndpoint.Builder<I, O> settings) {
            this.group = group;
            this.settings = settings;
        }

        /** As {@link UdpEndpoint.Builder#bind(int)}. */
        public Builder<I, O> bind(int port) {
            settings.bind(port);
            return this;
        }

        /** As {@link UdpEndpoint.Builder#bind(String, int)}. */
        public Builder<I, O> bind(String host, int port) {
            settings.bind(host, port);
            return this;
        }

        /** As {@link UdpEndpoint.Builder#option}, for every endpoint. */
        public <T> Builder<I, O> option(SocketOption<T> option, T value) {
            settings.option(option, value);
            return this;
        }

        /** As {@link UdpEndpoint.Builder#metrics}: each endpoint's figures, told apart by its loop. */
        public Builder<I, O> metrics(Metrics metrics) {
            settings.metrics(metrics);
            return this;
        }

        /** As {@link UdpEndpoint.Builder#sendQueue}: each endpoint has a queue of its own, this large. */
        public Builder<I, O> sendQueue(int limit, DropPolicy policy) {
            settings.sendQueue(limit, policy);
            return this;
        }

        /**
         * One endpoint per loop, all on one port with {@code SO_REUSEPORT}, the kernel spreading
         * datagrams over them by source (default false: a single endpoint on the loop the chooser
         * picks). See the class comment for what the spread does and does not do.
         */
        public Builder<I, O> reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        /** As {@link UdpEndpoint.Builder#codec}: called once per endpoint. Set it before the handler. */
        @SuppressWarnings("unchecked")
        public <I2, O2> Builder<I2, O2> codec(Supplier<? extends DatagramCodec<I2, O2>> codecs) {
            Builder<I2, O2> typed = (Builder<I2, O2>) this;
            typed.settings = settings.codec(codecs);
            return typed;
        }

        /** One handler for every endpoint, on every loop at once: it must be thread-safe. */
        public Builder<I, O> handler(DatagramHandler<I, O> handler) {
            settings.handler(handler);
            return this;
        }

        /** A handler of its own for each endpoint (each loop), made by {@code handlers} as it starts. */
        public Builder<I, O> handlerPerConnection(Supplier<? extends DatagramHandler<I, O>> handlers) {
            settings.handlerPerConnection(handlers);
            return this;
        }

        /**
         * Binds every endpoint and starts receiving; returns once all are bound. If one cannot be
         * started, those already started are closed. Thread-safe.
         *
         * @throws IOException if the address cannot be bound, or an option is refused
         * @throws IllegalStateException if {@code reusePort} is asked where datagram sockets do not support it
         * @throws IllegalArgumentException if a socket option is not supported
         */
        public UdpEndpoints<I, O> start() throws IOException {
            List<EventLoop> loops = reusePort ? group.loops() : List.of(group.choose());
            List<UdpEndpoint<I, O>> started = new ArrayList<>(loops.size());
            int port = settings.port();
            try {
                for (EventLoop loop : loops) {
                    UdpEndpoint<I, O> endpoint = settings.startOn(loop, settings.newHandler(), port, reusePort);
                    started.add(endpoint);
                    port = endpoint.port(); // the others join the first on the port it got (port 0 picks one)
                }
            } catch (IOException | RuntimeException e) {
                started.forEach(UdpEndpoint::close);
                throw e;
            }
            UdpEndpoints<I, O> endpoints = new UdpEndpoints<>(started);
            log.debug("{} started on {}", endpoints, group);
            return endpoints;
        }
    }
}
