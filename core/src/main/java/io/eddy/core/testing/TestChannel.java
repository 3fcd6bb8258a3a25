package io.eddy.core.testing;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.internal.ConnectionAccess;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.net.WriteListener;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyProtocol;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;

/**
 * A connection without a socket, for testing codecs and handlers in memory: feed it bytes, read
 * the messages it decoded, read the bytes it wrote, and move time on its {@link TestLoop}.
 *
 * <pre>{@code
 * var channel = TestChannel.of(new LineCodec());
 * channel.feedInChunks("a\r\nbc\n".getBytes(UTF_8), 1);
 * assertEquals("a", channel.readInbound());
 * assertEquals("bc", channel.readInbound());
 * channel.write("reply");
 * assertEquals("reply\n", channel.readOutboundString());
 * }</pre>
 *
 * <p>It runs the very pipeline a TCP connection runs (the same accumulation buffer, decode loop,
 * outbound queue, water marks, close state machine, and the idle and close timeouts of its
 * {@link ConnectionOptions}) on a real {@link EventLoop} that the test drives: its own
 * {@link TestLoop}, or one that several channels share ({@link #of(TestLoop, Codec, Handler,
 * ConnectionOptions)}). Each read of what the peer sent is one loop cycle, followed by the cycle's
 * end-of-cycle work (the flush); every call that feeds bytes or takes output runs the loop until it
 * is idle. Time moves only with {@link #advance} (or the loop's). {@link #peerReceiveWindow} makes
 * the in-memory peer slow, to test backpressure. File regions ({@code ByteSink.transfer(FileRegion)})
 * are sent with {@code FileChannel.transferTo} as on a socket: {@link #readOutbound()} returns the
 * file's bytes, taken through the same window. The handler is told of this channel itself:
 * the {@code Connection} it receives is the {@code TestChannel}.
 *
 * <p><b>Threading.</b> The thread that made its loop is the loop thread: the {@code Connection}
 * methods called there run at once, as a handler's would, and the test-side methods here may be
 * called there only. Other threads may use the {@code Connection} methods that are thread-safe
 * (a handler completing asynchronously writes from an executor): they run at the loop's next
 * {@code runPendingTasks}.
 *
 * @param <I> messages decoded
 * @param <O> messages written
 */
public final class TestChannel<I, O> implements Connection<O> {

    static {
        // A connection group queues its encoded bytes on the pipeline inside a channel, as on a socket's.
        ConnectionAccess.expose(connection -> connection instanceof TestChannel<?, ?> channel ? channel.connection : null);
    }

    private final TestLoop loop;
    private final InMemoryConnection<I, O> connection;
    private final Queue<I> inbound;

    private TestChannel(TestLoop loop, Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options,
                        Queue<I> inbound) {
        this(loop, codec, handler, options, inbound, ProxyProtocol.off(), InMemoryConnection.REMOTE);
    }

    private TestChannel(TestLoop loop, Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options,
                        Queue<I> inbound, ProxyProtocol proxy, InetSocketAddress peer) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.inbound = inbound;
        this.connection = new InMemoryConnection<>(loop.eventLoop(), codec, new SeenAsChannel<>(this, handler), options,
                peer);
        if (proxy.expectsHeaderFrom(peer.getAddress())) {
            connection.expectProxyHeader(proxy);
        } else {
            connection.open();
        }
        loop.runPendingTasks();
    }

    /**
     * A channel from a peer at {@code peer}, on a listener that expects PROXY protocol headers as
     * {@code protocol} says, on a loop of its own: when a header is expected, the handler opens
     * only once it has been fed whole ({@link #proxyHeader()} then tells it, and
     * {@link #remoteAddress()} is the client's); a missing or malformed one closes the channel with
     * {@code PROXY_HEADER_ERROR}, and one that does not come within the protocol's header timeout
     * (moved with {@link #advance}) with {@code HANDSHAKE_TIMEOUT}, unseen by the handler. What the
     * peer sends after the header, in the same read or later, goes to the codec.
     */
    public static <I, O> TestChannel<I, O> behindProxy(ProxyProtocol protocol, InetSocketAddress peer,
                                                       Codec<I, O> codec, Handler<I, O> handler) {
        return new TestChannel<>(new TestLoop(), codec, handler, ConnectionOptions.defaults(), new ArrayDeque<>(),
                Objects.requireNonNull(protocol, "protocol"), Objects.requireNonNull(peer, "peer"));
    }

    /** A channel on a loop of its own, whose decoded messages are kept for {@link #readInbound()}. */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec) {
        return of(codec, ConnectionOptions.defaults());
    }

    /**
     * A channel on a loop of its own, whose decoded messages are kept for {@link #readInbound()},
     * with these limits. A {@link ByteBuffer} message (a view of the connection's buffer, valid
     * only during the handler's call) is kept as a copy, so it still holds its bytes after later reads.
     */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec, ConnectionOptions options) {
        return of(new TestLoop(), codec, options);
    }

    /** A channel on a loop of its own, whose decoded messages go to {@code handler}, as on a real connection. */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec, Handler<I, O> handler) {
        return of(codec, handler, ConnectionOptions.defaults());
    }

    /** A channel on a loop of its own, whose decoded messages go to {@code handler}, with these limits. */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options) {
        return of(new TestLoop(), codec, handler, options);
    }

    /** A channel on {@code loop}, whose decoded messages are kept for {@link #readInbound()}. */
    public static <I, O> TestChannel<I, O> of(TestLoop loop, Codec<I, O> codec, ConnectionOptions options) {
        Queue<I> messages = new ArrayDeque<>();
        return new TestChannel<>(loop, codec, (connection, message) -> messages.add(kept(message)), options, messages);
    }

    /**
     * A channel on {@code loop}, whose decoded messages go to {@code handler}; the handler opens in
     * a cycle of the loop before this returns. Loop thread only.
     */
    public static <I, O> TestChannel<I, O> of(TestLoop loop, Codec<I, O> codec, Handler<I, O> handler,
                                              ConnectionOptions options) {
        return new TestChannel<>(loop, codec, handler, options, new ArrayDeque<>());
    }

    @SuppressWarnings("unchecked")
    private static <I> I kept(I message) {
        if (message instanceof ByteBuffer view) {
            ByteBuffer copy = ByteBuffer.allocate(view.remaining());
            copy.put(view.duplicate()).flip();
            return (I) copy;
        }
        return message;
    }

    // ---- the peer's side and the loop ----

    /** The loop this channel lives on, which moves time. */
    public TestLoop testLoop() {
        return loop;
    }

    /** The peer sends {@code bytes}, delivered as reads of at most the loop's read buffer (64 KiB). */
    public TestChannel<I, O> feed(byte[] bytes) {
        return feedInChunks(bytes, loop.eventLoop().readBuffer().capacity());
    }

    /** The peer sends {@code text} in UTF-8. */
    public TestChannel<I, O> feed(String text) {
        return feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The peer sends {@code bytes}, delivered as reads of at most {@code chunk} bytes each, one per
     * loop cycle; the loop then runs until idle. While reading is paused they wait, as in a
     * socket's receive buffer, and are read after {@code resumeReading()} (at the next
     * {@link #runPending()} or any other call that runs the loop).
     */
    public TestChannel<I, O> feedInChunks(byte[] bytes, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive: " + chunk);
        }
        connection.peerSends(bytes, chunk);
        loop.runPendingTasks();
        return this;
    }

    /** The peer closes its output (end of stream), seen once every byte sent before it was read. */
    public TestChannel<I, O> feedEnd() {
        connection.peerEnds();
        loop.runPendingTasks();
        return this;
    }

    /** The next message decoded (when made without a handler), or null. */
    public I readInbound() {
        return inbound.poll();
    }

    /** Everything the connection wrote so far and the peer has not read yet; frees the peer's window. */
    public byte[] readOutbound() {
        loop.runPendingTasks();
        byte[] bytes = connection.peerReads();
        loop.runPendingTasks();
        return bytes;
    }

    /** {@link #readOutbound()} as text in {@code charset}. */
    public String readOutboundString(Charset charset) {
        return new String(readOutbound(), charset);
    }

    /** {@link #readOutbound()} as UTF-8 text. */
    public String readOutboundString() {
        return readOutboundString(StandardCharsets.UTF_8);
    }

    /**
     * Makes the peer slow: it takes at most {@code bytes} until the test reads them with
     * {@link #readOutbound()} (default: unlimited). A window narrowed below what the peer has
     * already taken takes nothing more until then.
     */
    public TestChannel<I, O> peerReceiveWindow(int bytes) {
        connection.peerReceiveWindow(bytes);
        return this;
    }

    /** Runs the loop until it is idle (tasks, due timers, flushes): {@link TestLoop#runPendingTasks()}. */
    public void runPending() {
        loop.runPendingTasks();
    }

    /** Moves the loop's time forward, running the timers due on the way: {@link TestLoop#advance}. */
    public TestChannel<I, O> advance(Duration duration) {
        loop.advance(duration);
        return this;
    }

    /** Whether the connection is reading (not paused, not closed, peer not at end of stream). */
    public boolean isReading() {
        return connection.isReading();
    }

    /** Whether this side sent FIN ({@code shutdownOutput}). */
    public boolean isOutputShutdown() {
        return connection.isOutputShutdown();
    }

    /** Whether the transport was closed (see {@link #wasReset()} for how). */
    public boolean isTransportClosed() {
        return connection.isTransportClosed();
    }

    /** Whether the transport was closed with a reset ({@code abort}, overflow). */
    public boolean wasReset() {
        return connection.wasReset();
    }

    // ---- Connection ----

    @Override
    public EventLoop loop() {
        return loop.eventLoop();
    }

    @Override
    public void write(O message) {
        connection.write(message);
    }

    @Override
    public void write(O message, WriteListener listener) {
        connection.write(message, listener);
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public void abort() {
        connection.abort();
    }

    @Override
    public void shutdownOutput() {
        connection.shutdownOutput();
    }

    @Override
    public void pauseReading() {
        connection.pauseReading();
    }

    @Override
    public void resumeReading() {
        connection.resumeReading();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public long pendingOutboundBytes() {
        return connection.pendingOutboundBytes();
    }

    @Override
    public SocketAddress localAddress() {
        return connection.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public Optional<ProxyHeader> proxyHeader() {
        return connection.proxyHeader();
    }

    @Override
    public Optional<SocketAddress> proxiedBy() {
        return connection.proxiedBy();
    }

    @Override
    public <T> T attr(AttributeKey<T> key) {
        return connection.attr(key);
    }

    @Override
    public <T> void attr(AttributeKey<T> key, T value) {
        connection.attr(key, value);
    }

    @Override
    public CloseReason closeReason() {
        return connection.closeReason();
    }

    @Override
    public CompletableFuture<CloseReason> closeFuture() {
        return connection.closeFuture();
    }

    /**
     * Switches the channel's connection to another protocol ({@link Connection#upgrade}); the new
     * handler, too, is told of this channel. What {@link #readInbound()} kept so far stays there.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <I2, O2> Connection<O2> upgrade(Codec<I2, O2> codec, Handler<I2, O2> handler) {
        TestChannel<I2, O2> self = (TestChannel<I2, O2>) (TestChannel<?, ?>) this;
        connection.upgrade(codec, new SeenAsChannel<>(self, handler));
        return self;
    }

    @Override
    public String toString() {
        return connection.toString();
    }

    /**
     * The user's handler, told of the {@code TestChannel} rather than of the connection inside it,
     * so a test may compare what a handler kept with the channel it made.
     */
    private record SeenAsChannel<I, O>(TestChannel<I, O> channel, Handler<I, O> handler) implements Handler<I, O> {

        @Override
        public void onOpen(Connection<O> connection) throws Exception {
            handler.onOpen(channel);
        }

        @Override
        public void onMessage(Connection<O> connection, I message) throws Exception {
            handler.onMessage(channel, message);
        }

        @Override
        public void onInputClosed(Connection<O> connection) throws Exception {
            handler.onInputClosed(channel);
        }

        @Override
        public void onDecodeError(Connection<O> connection, DecodeException error) throws Exception {
            handler.onDecodeError(channel, error);
        }

        @Override
        public void onWritabilityChanged(Connection<O> connection, boolean writable) throws Exception {
            handler.onWritabilityChanged(channel, writable);
        }

        @Override
        public void onClose(Connection<O> connection, CloseReason reason) throws Exception {
            handler.onClose(channel, reason);
        }
    }
}
