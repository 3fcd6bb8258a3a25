package io.eddy.udp;

import io.eddy.core.internal.Ports;
import io.eddy.core.internal.SocketOptions;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.loop.IoHandler;
import io.eddy.core.metrics.Metrics;
import io.eddy.udp.codec.BytesDatagramCodec;
import io.eddy.udp.codec.DatagramCodec;
import io.eddy.udp.internal.Counters;
import io.eddy.udp.internal.PayloadSink;
import io.eddy.udp.internal.SendBatch;
import io.eddy.udp.internal.SendQueue;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP socket on an event loop: receives datagrams, decodes each with its codec and hands it to
 * its handler; sends datagrams without ever blocking. It shares its loop (one thread, one
 * {@code Selector}) with whatever else runs there, TCP servers and connections included.
 *
 * <pre>{@code
 * UdpEndpoint<String, String> server = UdpEndpoint.on(loop)
 *         .bind("127.0.0.1", 5005)
 *         .option(StandardSocketOptions.SO_RCVBUF, 1 << 20)
 *         .codec(TextDatagramCodec::new)
 *         .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), "over"))
 *         .start();
 * }</pre>
 *
 * <p><b>Receiving.</b> Each time the socket is readable the endpoint reads up to
 * {@value #DATAGRAMS_PER_WAKEUP} datagrams, one after the other, into the loop's 64 KiB read
 * buffer (or a 64 KiB buffer of its own when the loop's is smaller), which holds any datagram
 * whole: nothing is cut short. A datagram the codec cannot decode is dropped, counted
 * ({@link UdpCounters#droppedMalformed()}) and logged at debug level; a handler that throws is
 * logged and counted. Neither closes the endpoint.
 *
 * <p><b>Sending.</b> {@link #send} encodes at once, on the calling thread, and throws
 * {@link DatagramTooLargeException} for a payload over {@value #MAX_PAYLOAD} bytes, before
 * anything is queued. It returns nothing: UDP reports no delivery, so neither does Eddy. The
 * datagram goes to the socket at once while the socket has room; otherwise it waits in a bounded
 * send queue (1024 datagrams by default), and when that is full the {@link DropPolicy} drops one
 * and {@link UdpCounters#droppedQueueFull()} counts it. A send from another thread reaches the
 * loop through a lock-free hand-off with the same bound. What the handler sends while it is handed
 * a batch of received datagrams leaves when the batch has been delivered (still in order, still
 * on that loop turn), as Netty flushes at the end of a read: the answers go out together, each
 * copied once into a direct buffer the system sends from (the copy the JDK would otherwise make of
 * a heap payload). Until then they are neither counted as sent nor in {@link #queuedDatagrams()}.
 *
 * <p><b>Closing.</b> {@link #close()} (any thread), or the loop closing, closes the socket after
 * one last try, without waiting, to send what is queued, sends handed over from other threads
 * before the close included; what the socket has no room for is counted as unsent. The handler's
 * {@code onClose} runs last.
 *
 * <p><b>Socket options</b> ({@code option(SocketOption, value)}) are checked against what a
 * datagram socket supports and set before it binds; none is set unless asked for.
 *
 * <p><b>On a group</b> ({@link #on(EventLoopGroup)}) the builder starts {@link UdpEndpoints}: one
 * endpoint per loop sharing the port with {@code SO_REUSEPORT}, or a single endpoint on a loop the
 * group's chooser picks.
 *
 * <p><b>Threading.</b> Built and started from any thread. {@link #send}, {@link #close},
 * {@link #counters}, {@link #joinGroup}, {@link #leaveGroup} and the accessors are safe from any
 * thread; the handler runs on the loop thread.
 *
 * @param <I> payloads received, as the codec decodes them
 * @param <O> payloads sent, as the codec encodes them
 */
public final class UdpEndpoint<I, O> implements AutoCloseable {

    /** The largest payload a datagram may carry: 65,535 bytes less the IPv4 (20) and UDP (8) headers. */
    public static final int MAX_PAYLOAD = 65_507;
    /** At most this many datagrams are read per wake-up, so one busy endpoint cannot starve its loop. */
    public static final int DATAGRAMS_PER_WAKEUP = 64;

    private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final ProtocolFamily family;
    private final DatagramCodec<I, O> codec;
    private final DatagramHandler<I, O> handler;
    private final DatagramReader<I, O> reader;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress remoteAddress;
    private final Counters counters = new Counters();
    private final SendQueue queue;
    /** Sends made on the loop while received datagrams are delivered; loop thread only. */
    private final SendBatch batch;
    /** Whether the reader is delivering a batch of received datagrams; loop thread only. */
    private boolean delivering;
    /** Sends made on the loop thread encode into this one; loop thread only. */
    private final PayloadSink loopSink = new PayloadSink(MAX_PAYLOAD);
    private final Map<Membership, MembershipKey> memberships = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final Io io = new Io();
    /** Set false once, by whichever close gets there first: the loop's, or a caller's after the loop ended. */
    private final AtomicBoolean open = new AtomicBoolean(true);
    private SelectionKey key;
    /** The endpoint's figures in its builder's metrics, taken away when it closes; or null. */
    private volatile Metrics.Registration figures;

    private UdpEndpoint(Builder<I, O> b, EventLoop loop, DatagramCodec<I, O> codec, DatagramHandler<I, O> handler,
                        DatagramChannel channel, ProtocolFamily family) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.family = family;
        this.codec = codec;
        this.handler = handler != null ? handler : new Ignore<>();
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.remoteAddress = (InetSocketAddress) channel.getRemoteAddress();
        this.queue = new SendQueue(loop, b.socketWrapper.apply(channel::send), this::setWriteInterest, counters,
                b.queueLimit, b.dropPolicy, this);
        this.batch = new SendBatch(queue);
        this.reader = new DatagramReader<>(this, channel, codec, this.handler, counters);
    }

    /** Starts building an endpoint on {@code loop}; it sends and receives raw bytes until given a codec. */
    public static Builder<ByteBuffer, ByteBuffer> on(EventLoop loop) {
        return new Builder<>(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * Starts building endpoints on {@code group} that share one port: one per loop with
     * {@code SO_REUSEPORT} (the kernel spreads datagrams by their source), or a single endpoint on
     * the loop the group's chooser picks; see {@link UdpEndpoints}.
     */
    public static UdpEndpoints.Builder<ByteBuffer, ByteBuffer> on(EventLoopGroup group) {
        return new UdpEndpoints.Builder<>(Objects.requireNonNull(group, "group"), new Builder<>(null));
    }

    /** The loop it runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** The address it is bound to (with the real port when bound to port 0). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The port it is bound to. */
    public int port() {
        return localAddress.getPort();
    }

    /** The one peer it exchanges datagrams with, or null when it is not connected. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** Whether it is still open. */
    public boolean isOpen() {
        return open.get();
    }

    /** Completes once the endpoint has closed, its handler heard of it, and its port is free again. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture.copy();
    }

    /** What it has sent, received and dropped so far. */
    public UdpCounters counters() {
        return counters.snapshot();
    }

    /**
     * Datagrams waiting for room in the socket, including those handed over from other threads;
     * not the handler's answers kept until the batch it is handed has been delivered.
     */
    public int queuedDatagrams() {
        return queue.size();
    }

    /**
     * Sends {@code message} to {@code target}: encodes it now, on the calling thread, then hands
     * it to the socket, or queues it while the socket has no room. Never blocks. A datagram that
     * cannot be sent (the queue drops it, the endpoint has closed, the system refuses it) is
     * counted, not reported: UDP promises no delivery.
     *
     * @throws DatagramTooLargeException if the payload is over {@value #MAX_PAYLOAD} bytes;
     *         nothing is sent
     * @throws IllegalArgumentException if {@code target} is unresolved, of an address family
     *         this socket cannot reach, or not the peer a connected endpoint is connected to; or if
     *         the codec refuses the message
     */
    public void send(InetSocketAddress target, O message) {
        checkTarget(target);
        Objects.requireNonNull(message, "message");
        if (loop.inEventLoop()) {
            loopSink.reset();
            codec.encode(message, loopSink);
            ByteBuffer payload = loopSink.view();
            if (delivering) {
                batch.add(target, payload);     // sent once the received batch is delivered
                return;
            }
            if (!queue.sendNow(target, payload)) {
                queue.enqueue(target, loopSink.copy());
            }
        } else {
            queue.offer(target, encode(message));
        }
    }

    /**
     * Sends {@code message} to the peer this endpoint is connected to; see
     * {@link #send(InetSocketAddress, Object)}.
     *
     * @throws IllegalStateException if the endpoint is not connected
     */
    public void send(O message) {
        if (remoteAddress == null) {
            throw new IllegalStateException(this + " is not connected: say where to, with send(target, message)");
        }
        send(remoteAddress, message);
    }

    /**
     * Joins the multicast {@code group} on {@code networkInterface}: datagrams sent to the group
     * (at this endpoint's port) arrive from now on. Joining a group twice returns the same key.
     * Thread-safe (a brief system call).
     *
     * @return the membership; {@link MembershipKey#drop()} or {@link #leaveGroup} leaves the group
     * @throws IOException if the system refuses (no multicast on that interface, for one)
     * @throws IllegalArgumentException if {@code group} is not a multicast address
     */
    public MembershipKey joinGroup(InetAddress group, NetworkInterface networkInterface) throws IOException {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(networkInterface, "networkInterface");
        MembershipKey membership = channel.join(group, networkInterface);
        memberships.put(new Membership(group, networkInterface), membership);
        log.debug("{} joined {} on {}", this, group, networkInterface.getName());
        return membership;
    }

    /**
     * Leaves the multicast {@code group} on {@code networkInterface}; does nothing when not a
     * member. Thread-safe.
     */
    public void leaveGroup(InetAddress group, NetworkInterface networkInterface) {
        MembershipKey membership = memberships.remove(new Membership(group, networkInterface));
        if (membership != null) {
            membership.drop();
            log.debug("{} left {} on {}", this, group, networkInterface.getName());
        }
    }

    /**
     * Closes the endpoint: one last try to send what is queued (sends from other threads that have
     * not reached the loop yet included), then the socket closes and the handler's
     * {@code onClose} runs. Thread-safe; returns at once off the loop (see {@link #closeFuture()});
     * a second call does nothing.
     */
    @Override
    public void close() {
        if (loop.inEventLoop()) {
            closeNow();
        } else {
            try {
                loop.execute(this::closeNow);
            } catch (RejectedExecutionException e) {
                closeNow();
            }
        }
    }

    @Override
    public String toString() {
        return "UdpEndpoint[" + localAddress + (remoteAddress != null ? " -> " + remoteAddress : "") + "]";
    }

    // ---- used by UdpRequester ----

    /** Encodes {@code message} into a payload of its own, on the calling thread. */
    ByteBuffer encode(O message) {
        Objects.requireNonNull(message, "message");
        PayloadSink sink = new PayloadSink(MAX_PAYLOAD);
        codec.encode(message, sink);
        return sink.view();
    }

    /**
     * Sends a payload already encoded, which the endpoint then owns. On the loop, while a batch is
     * delivered, it waits for the batch's end like the handler's own sends, so that it cannot
     * overtake what the same thread sent before it.
     */
    void sendPayload(InetSocketAddress target, ByteBuffer payload) {
        if (loop.inEventLoop() && delivering) {
            batch.add(target, payload);
        } else {
            queue.offer(target, payload);
        }
    }

    /** The reader starts delivering a batch of received datagrams: sends from the loop wait for its end. */
    void deliveryStarted() {
        delivering = true;
    }

    /** The batch is delivered: what the handler sent meanwhile goes out, in order. */
    void deliveryEnded() {
        delivering = false;
        if (!batch.isEmpty()) {
            batch.sendAll();
        }
    }

    /**
     * Reads, decodes and delivers what already waits in the socket (at most
     * {@value #DATAGRAMS_PER_WAKEUP} datagrams), without waiting for the loop to find it readable.
     * Loop thread only, and not from inside the handler.
     */
    void readWaiting() {
        if (isOpen()) {
            reader.readReady();
        }
    }

    /** Checks that a datagram could go to {@code target}; see {@link #send}. */
    void checkTarget(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + target.getHostString());
        }
        if (remoteAddress != null && !remoteAddress.equals(target)) {
            throw new IllegalArgumentException(this + " is connected to " + remoteAddress + ", not " + target);
        }
        if (family == StandardProtocolFamily.INET && target.getAddress() instanceof Inet6Address) {
            throw new IllegalArgumentException(this + " is an IPv4 socket; it cannot send to " + target);
        }
    }

    // ---- the loop side ----

    private void register() throws IOException {
        if (!open.get()) {
            return;
        }
        int ops = SelectionKey.OP_READ | (queue.hasWaiting() ? SelectionKey.OP_WRITE : 0);
        key = loop.register(channel, ops, io);
    }

    private void registerOrClose() {
        try {
            register();
        } catch (IOException | RuntimeException e) {
            log.error("cannot register {} on its loop; closing it", this, e);
            closeNow();
        }
    }

    private void setWriteInterest(boolean on) {
        if (key != null && key.isValid()) {
            if (on) {
                key.interestOpsOr(SelectionKey.OP_WRITE);
            } else {
                key.interestOpsAnd(~SelectionKey.OP_WRITE);
            }
        }
    }

    /**
     * Runs once: on the loop thread, or on a caller's thread once the loop has ended (then the
     * loop, ending, may be closing the endpoint at the same time; whichever comes second does
     * nothing).
     */
    private void closeNow() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        if (!batch.isEmpty()) {
            batch.sendAll();    // closed by the handler: what it sent before gets its last try too
        }
        queue.close();
        memberships.clear();
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing {} failed", this, e);
        }
        log.debug("{} closed", this);
        Metrics.Registration registered = figures;
        if (registered != null) {
            registered.close();
        }
        try {
            handler.onClose(this);
        } catch (Throwable t) {
            EventLoop.rethrowIfFatal(t);
            log.warn("{}: the handler's onClose failed", this, t);
        }
        completeWhenReleased();
    }

    /**
     * Completes {@link #closeFuture} once the port is free again. A channel closed while registered
     * keeps its socket until the selector lets the key go, at its next select: so on a running
     * loop the future waits one select (two task hops: a task queued from an I/O callback still
     * runs before the next select, one queued from a task runs after it).
     */
    private void completeWhenReleased() {
        if (loop.inEventLoop() && loop.isRunning()) {
            loop.execute(() -> loop.execute(() -> closeFuture.complete(null)));
        } else {
            closeFuture.complete(null);
        }
    }

    /** Readiness of the socket. */
    private final class Io implements IoHandler {
        @Override
        public void onReady(int readyOps) {
            if ((readyOps & SelectionKey.OP_WRITE) != 0) {
                queue.flush();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0) {
                reader.readReady();
            }
        }

        @Override
        public void onLoopClosing() {
            closeNow();
        }

        @Override
        public void onForceClose() {
            closeNow();
        }

        @Override
        public String toString() {
            return UdpEndpoint.this.toString();
        }
    }

    /**
     * The handler of an endpoint that only sends: what it receives is counted in
     * {@link UdpCounters#datagramsIn()} (and, when it does not decode, as malformed), then ignored,
     * on purpose; {@link UdpCounters#dropped()} does not count it.
     */
    private static final class Ignore<I, O> implements DatagramHandler<I, O> {
        @Override
        public void onDatagram(UdpEndpoint<I, O> endpoint, Datagram<I> datagram) {
            log.debug("{}: no handler; dropped a datagram from {}", endpoint, datagram.sender());
        }
    }

    private record Membership(InetAddress group, NetworkInterface networkInterface) {
    }

    /**
     * Settings of an endpoint: {@link #bind} (or {@link #connect}), {@link #codec}, then
     * {@link #handler} (or {@link #handlerPerConnection}), and {@link #start()}. Set the codec before
     * the handler: the codec fixes the handler's types, and a handler set first is refused. Not
     * thread-safe.
     */
    public static final class Builder<I, O> {
        private static final String CODEC_FIRST = "set the codec before the handler: the codec fixes the handler's types";

        private final EventLoop loop;
        private String host;
        private int port;
        private boolean bound;
        private InetSocketAddress remote;
        private SocketOptions socketOptions = SocketOptions.none();
        private int queueLimit = 1024;
        private DropPolicy dropPolicy = DropPolicy.DROP_NEWEST;
        private Supplier<? extends DatagramCodec<I, O>> codecs;
        private Supplier<? extends DatagramHandler<I, O>> handlers;
        private UnaryOperator<SendQueue.Socket> socketWrapper = UnaryOperator.identity();
        private Metrics metrics = Metrics.none();

        /** @param loop the loop, or null for the settings of a group's endpoints, each started on its own loop */
        @SuppressWarnings("unchecked")
        Builder(EventLoop loop) {
            this.loop = loop;
            this.codecs = () -> (DatagramCodec<I, O>) new BytesDatagramCodec();
        }

        /** Binds every interface at {@code port} (0, the default: any free port). */
        public Builder<I, O> bind(int port) {
            return bind(null, port);
        }

        /**
         * Binds {@code host} at {@code port} (0: any free port). An IPv4 address (such as
         * {@code 0.0.0.0}, every interface, for IPv4 multicast) makes an IPv4 socket, an IPv6
         * address an IPv6 socket; without a host the system's default (dual-stack where it can) is
         * used. A host name is resolved by {@link #start()}, on the calling thread.
         */
        public Builder<I, O> bind(String host, int port) {
            this.port = Ports.requireBindable(port);
            this.host = host;
            this.bound = true;
            return this;
        }

        /** Connects to {@code host}:{@code port}; see {@link #connect(InetSocketAddress)}. */
        public Builder<I, O> connect(String host, int port) {
            return connect(new InetSocketAddress(host, port));
        }

        /**
         * Connects to one peer: the endpoint then receives only that peer's datagrams,
         * {@link UdpEndpoint#send(Object)} sends to it, and the system reports when it is not
         * there ({@link UdpCounters#unreachable()}). Without a {@link #bind}, binds any free port.
         */
        public Builder<I, O> connect(InetSocketAddress remote) {
            Objects.requireNonNull(remote, "remote");
            if (remote.isUnresolved()) {
                throw new IllegalArgumentException("unresolved address: " + remote.getHostString());
            }
            this.remote = remote;
            return this;
        }

        /**
         * A socket option, set before binding: {@code SO_REUSEADDR} (several multicast receivers on
         * one port), {@code SO_BROADCAST}, {@code SO_RCVBUF} (how many datagrams wait in the system
         * for the loop), {@code SO_SNDBUF}, {@code IP_MULTICAST_IF}, {@code IP_MULTICAST_TTL},
         * {@code IP_MULTICAST_LOOP}, {@code IP_TOS}, ... None is set unless given (the system's
         * defaults). Checked against what the socket supports when the endpoint starts.
         */
        public <T> Builder<I, O> option(SocketOption<T> option, T value) {
            this.socketOptions = socketOptions.with(option, value);
            return this;
        }

        /**
         * Registers the endpoint's figures with {@code metrics} when it starts (default
         * {@link Metrics#none()}: none), labelled with its local address and its loop's name:
         * datagrams and bytes in and out, drops by reason, unreachable reports, handler failures
         * ({@code eddy.udp.*}). They are what {@link UdpEndpoint#counters()} reads, which the
         * endpoint keeps anyway, so this costs it nothing more. Taken away when it closes.
         */
        public Builder<I, O> metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * The send queue: at most {@code limit} datagrams wait for room in the socket (default
         * 1024); when that many wait, {@code policy} says which one is dropped (default
         * {@link DropPolicy#DROP_NEWEST}).
         */
        public Builder<I, O> sendQueue(int limit, DropPolicy policy) {
            if (limit < 1) {
                throw new IllegalArgumentException("the send queue limit must be positive: " + limit);
            }
            this.queueLimit = limit;
            this.dropPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Makes the codec that decodes every datagram received and encodes every one sent
         * (default: raw bytes); called once per endpoint started. Set it before the handler.
         *
         * @throws IllegalStateException if a handler was set already: its types would no longer fit
         */
        @SuppressWarnings("unchecked")
        public <I2, O2> Builder<I2, O2> codec(Supplier<? extends DatagramCodec<I2, O2>> codecs) {
            Objects.requireNonNull(codecs, "codecs");
            if (handlers != null) {
                throw new IllegalStateException(CODEC_FIRST);
            }
            Builder<I2, O2> typed = (Builder<I2, O2>) this;
            typed.codecs = codecs;
            return typed;
        }

        /**
         * Receives every datagram (default: none, for an endpoint that only sends; what arrives is
         * then counted in {@link UdpCounters#datagramsIn()} and ignored, not counted as dropped).
         * The same handler serves every endpoint this builder starts.
         */
        public Builder<I, O> handler(DatagramHandler<I, O> handler) {
            Objects.requireNonNull(handler, "handler");
            return handlerPerConnection(() -> handler);
        }

        /**
         * Gives each endpoint this builder starts a handler of its own, made by {@code handlers}
         * once per start (an endpoint has one socket, so one handler): the same verb as TCP's, for
         * a handler that keeps state.
         */
        public Builder<I, O> handlerPerConnection(Supplier<? extends DatagramHandler<I, O>> handlers) {
            this.handlers = Objects.requireNonNull(handlers, "handlers");
            return this;
        }

        /** The loop the endpoint will run on. */
        EventLoop loop() {
            return loop;
        }

        /** The port given to {@link #bind} (0: any free port). */
        int port() {
            return port;
        }

        /** A handler as set so far (made now, when it is a factory), or null when none is set. */
        DatagramHandler<I, O> newHandler() {
            return handlers == null ? null : Objects.requireNonNull(handlers.get(), "the handler factory returned null");
        }

        /**
         * Wraps the socket's send, for tests: Linux loopback never reports a full send buffer
         * (the kernel hands each datagram to the receiver or drops it there), so a test holds the
         * socket "full" through this to see the send queue fill.
         */
        Builder<I, O> wrapSocket(UnaryOperator<SendQueue.Socket> wrapper) {
            this.socketWrapper = Objects.requireNonNull(wrapper, "wrapper");
            return this;
        }

        /**
         * Opens and binds the socket (and connects it, if asked), and starts receiving. Returns
         * once the socket is bound; datagrams that arrive before the loop runs wait in the
         * socket's buffer. Thread-safe.
         *
         * @throws IOException if the address cannot be bound or connected, or an option is refused
         */
        public UdpEndpoint<I, O> start() throws IOException {
            return start(newHandler());
        }

        /** Starts an endpoint with {@code handler} in place of the one set here, which stays as it was. */
        UdpEndpoint<I, O> start(DatagramHandler<I, O> handler) throws IOException {
            return startOn(loop, handler, port, false);
        }

        /**
         * Starts an endpoint on {@code target} bound to {@code bindPort} in place of the port set
         * here, with {@code SO_REUSEPORT} when {@code reusePort}: how a group starts one endpoint
         * per loop, all on one port.
         *
         * @throws IllegalStateException if {@code reusePort} is asked where datagram sockets do not support it
         */
        UdpEndpoint<I, O> startOn(EventLoop target, DatagramHandler<I, O> handler, int bindPort, boolean reusePort)
                throws IOException {
            InetSocketAddress local = host == null ? new InetSocketAddress(bindPort) : new InetSocketAddress(host, bindPort);
            if (local.isUnresolved()) {
                throw new IOException("cannot resolve " + host);
            }
            ProtocolFamily family = host != null ? familyOf(local.getAddress())
                    : remote != null ? familyOf(remote.getAddress()) : null;
            DatagramCodec<I, O> codec = Objects.requireNonNull(codecs.get(), "the codec factory returned null");
            DatagramChannel channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
            try {
                channel.configureBlocking(false);
                socketOptions.checkSupported(channel.supportedOptions(), "a datagram socket");
                socketOptions.applyTo(channel);
                if (reusePort) {
                    if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        throw new IllegalStateException("reusePort needs SO_REUSEPORT, which this platform's datagram"
                                + " sockets do not support; leave reusePort off for a single endpoint instead");
                    }
                    // Before bind: the kernel only lets sockets share a port that all asked for it first.
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                channel.bind(local);
                if (remote != null) {
                    channel.connect(remote);
                }
                UdpEndpoint<I, O> endpoint = new UdpEndpoint<>(this, target, codec, handler, channel, family);
                if (metrics.isEnabled()) {
                    endpoint.figures = metrics.register(EndpointMetrics.families(endpoint));
                }
                if (target.inEventLoop()) {
                    endpoint.register();
                } else {
                    // Not waited for: the loop may not run yet (an application that embeds it
                    // starts endpoints first, then calls run()).
                    target.execute(endpoint::registerOrClose);
                }
                if (bound) {
                    log.info("receiving datagrams on {}", endpoint.localAddress);
                } else {
                    log.debug("{} started", endpoint);
                }
                return endpoint;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        private static ProtocolFamily familyOf(InetAddress address) {
            return address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
        }
    }
}
