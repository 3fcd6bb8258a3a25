package io.eddy.core.testing;

import io.eddy.core.codec.Codec;
import io.eddy.core.internal.AbstractConnection;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * A connection without a socket, for testing codecs and handlers in memory: feed it bytes, read
 * the messages it decoded, read the bytes it wrote.
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
 * outbound queue, water marks and close state machine), with a loop buffer of 64 KiB like the
 * real loop's. Work a real loop would do at the end of its cycle (the flush) runs at the end of
 * each call. {@link #peerReceiveWindow} makes the in-memory peer slow, to test backpressure. File
 * regions ({@code ByteSink.transfer(FileRegion)}) are sent with {@code FileChannel.transferTo} as
 * on a socket: {@link #readOutbound()} returns the file's bytes, taken through the same window.
 *
 * <p>Threading: use it from one thread. It has no event loop: {@link #loop()} returns null.
 *
 * @param <I> messages decoded
 * @param <O> messages written
 */
public final class TestChannel<I, O> extends AbstractConnection<I, O> {

    private static final SocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    private static final SocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2);

    private final ByteBuffer loopBuffer;
    private final Peer peer = new Peer();
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private final Queue<I> inbound;
    /** What the peer sent and the connection has not read yet, as a socket's receive buffer holds it. */
    private final Queue<ByteBuffer> unread = new ArrayDeque<>();
    private boolean endUnread;
    private boolean pumping;
    private boolean reading = true;
    private boolean waitingForWritable;
    private boolean outputShutdown;
    private boolean transportClosed;
    private boolean reset;

    private TestChannel(Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options,
                        Queue<I> inbound, int loopBufferSize) {
        super(codec, handler, options);
        this.inbound = inbound;
        this.loopBuffer = ByteBuffer.allocate(loopBufferSize);
    }

    /** A channel whose decoded messages are kept for {@link #readInbound()}. */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec) {
        return of(codec, ConnectionOptions.defaults());
    }

    /**
     * A channel whose decoded messages are kept for {@link #readInbound()}, with these limits. A
     * {@link ByteBuffer} message (a view of the connection's buffer, valid only during the handler's
     * call) is kept as a copy, so it still holds its bytes after later reads.
     */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec, ConnectionOptions options) {
        Queue<I> messages = new ArrayDeque<>();
        TestChannel<I, O> channel = new TestChannel<>(codec, (connection, message) -> messages.add(kept(message)),
                options, messages, 64 * 1024);
        channel.open();
        return channel;
    }

    /** A channel whose decoded messages go to {@code handler}, as on a real connection. */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec, Handler<I, O> handler) {
        return of(codec, handler, ConnectionOptions.defaults());
    }

    /** A channel whose decoded messages go to {@code handler}, with these limits. */
    public static <I, O> TestChannel<I, O> of(Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options) {
        TestChannel<I, O> channel = new TestChannel<>(codec, handler, options, new ArrayDeque<>(), 64 * 1024);
        channel.open();
        return channel;
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

    private void open() {
        opened();
        runPending();
    }

    // ---- the peer's side ----

    /** The peer sends {@code bytes}, delivered as reads of at most 64 KiB. */
    public TestChannel<I, O> feed(byte[] bytes) {
        return feedInChunks(bytes, loopBuffer.capacity());
    }

    /** The peer sends {@code text} in UTF-8. */
    public TestChannel<I, O> feed(String text) {
        return feed(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The peer sends {@code bytes}, delivered as reads of at most {@code chunk} bytes each. While
     * reading is paused they wait, as in a socket's receive buffer, and are read after
     * {@code resumeReading()} (on the next call into this channel, e.g. {@link #runPending()}).
     */
    public TestChannel<I, O> feedInChunks(byte[] bytes, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive: " + chunk);
        }
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            unread.add(ByteBuffer.wrap(bytes, offset, Math.min(chunk, bytes.length - offset)));
        }
        readUnread();
        return this;
    }

    /** The peer closes its output (end of stream), seen once every byte sent before it was read. */
    public TestChannel<I, O> feedEnd() {
        endUnread = true;
        readUnread();
        return this;
    }

    /** Reads what the peer sent, as the loop would, while the connection reads. */
    private void readUnread() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (reading && !transportClosed) {
                ByteBuffer next = unread.peek();
                if (next == null) {
                    if (endUnread) {
                        endUnread = false;
                        endOfInput();
                        runPending();
                    }
                    return;
                }
                ByteBuffer target = readTarget(loopBuffer);
                int n = Math.min(target.remaining(), next.remaining());
                target.put(next.slice(next.position(), n));
                next.position(next.position() + n);
                if (!next.hasRemaining()) {
                    unread.poll();
                }
                received(target);
                runPending();
            }
        } finally {
            pumping = false;
        }
    }

    /** The next message decoded (when made without a handler), or null. */
    public I readInbound() {
        return inbound.poll();
    }

    /** Everything the connection wrote so far and the peer has not read yet; frees the peer's window. */
    public byte[] readOutbound() {
        runPending();
        byte[] bytes = peer.received.toByteArray();
        peer.received.reset();
        peer.taken = 0;
        // Also while closing: a graceful close waits for exactly these bytes to leave.
        if (waitingForWritable && !transportClosed) {
            writableAgain();
            runPending();
        }
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
        peer.window = bytes;
        return this;
    }

    /** Runs the end-of-cycle work (flushes) now; every other call does it too. */
    public void runPending() {
        Runnable task;
        while ((task = pending.poll()) != null) {
            task.run();
        }
    }

    /** Whether the connection is reading (not paused, not closed, peer not at end of stream). */
    public boolean isReading() {
        return reading;
    }

    /** Whether this side sent FIN ({@code shutdownOutput}). */
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    /** Whether the transport was closed (see {@link #wasReset()} for how). */
    public boolean isTransportClosed() {
        return transportClosed;
    }

    /** Whether the transport was closed with a reset ({@code abort}, overflow). */
    public boolean wasReset() {
        return reset;
    }

    // ---- transport ----

    @Override
    protected GatheringByteChannel channel() {
        return peer;
    }

    @Override
    protected boolean inLoop() {
        return true;
    }

    @Override
    protected void runInLoop(Runnable task) {
        pending.add(task);
    }

    @Override
    protected void atCycleEnd(Runnable task) {
        pending.add(task);
    }

    @Override
    protected void setReadInterest(boolean on) {
        reading = on;
        if (on && (!unread.isEmpty() || endUnread)) {
            // After what resumeReading() decodes itself: bytes already received come first.
            pending.add(this::readUnread);
        }
    }

    @Override
    protected void setWriteInterest(boolean on) {
        waitingForWritable = on;
    }

    @Override
    protected void shutdownTransportOutput() {
        outputShutdown = true;
    }

    @Override
    protected void closeTransport(boolean reset) {
        this.transportClosed = true;
        this.reset = reset;
        this.reading = false;
    }

    @Override
    public EventLoop loop() {
        return null;
    }

    @Override
    public SocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public SocketAddress remoteAddress() {
        return REMOTE;
    }

    @Override
    public String toString() {
        return "[test channel]";
    }

    /** The in-memory peer: a byte sink with an optional receive window. */
    private static final class Peer implements GatheringByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        long window = Long.MAX_VALUE;
        long taken;

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length; i++) {
                int n = write(sources[i]);
                total += n;
                if (sources[i].hasRemaining()) {
                    break;
                }
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] sources) {
            return write(sources, 0, sources.length);
        }

        @Override
        public int write(ByteBuffer source) {
            // A window narrowed below what was already taken is full, not negative.
            int n = (int) Math.max(0, Math.min(source.remaining(), window - taken));
            byte[] bytes = new byte[n];
            source.get(bytes);
            received.write(bytes, 0, n);
            taken += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

}
