package io.eddy.core.testing;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.internal.AbstractConnection;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyHeaderDecoder;
import io.eddy.core.proxy.ProxyProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The transport under a {@link TestChannel}: the connection pipeline every TCP connection runs,
 * over an in-memory peer on a {@link TestLoop}. What the peer sends waits here as in a socket's
 * receive buffer and is read one chunk per loop cycle while the connection reads, as a selector
 * would report it; what the connection writes goes to a {@link PeerSink}.
 *
 * <p>Threading: the test loop's thread only, except the pipeline's own thread-safe methods.
 */
final class InMemoryConnection<I, O> extends AbstractConnection<I, O> {

    private static final SocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    /** The peer's address unless the test gives one. */
    static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 2);

    private final EventLoop loop;
    private final PeerSink peer = new PeerSink();
    /** What the peer sent and the connection has not read yet. */
    private final Queue<ByteBuffer> unread = new ArrayDeque<>();
    private final Runnable readTask = this::readNext;
    private boolean endUnread;
    private boolean readScheduled;
    private boolean reading = true;
    private boolean waitingForWritable;
    private boolean outputShutdown;
    private boolean transportClosed;
    private boolean reset;
    /** The peer's address; the client's, once a PROXY header gave it. */
    private SocketAddress remote;
    /** Reads the PROXY header before the connection opens; null when none is expected (or it came). */
    private ProxyHeaderDecoder proxyDecoder;
    private ScheduledTask proxyTimer;

    InMemoryConnection(EventLoop loop, Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options,
                       SocketAddress peer) {
        super(codec, handler, options);
        this.loop = loop;
        this.remote = peer;
    }

    /**
     * Waits for a PROXY header before opening, as a TCP connection on a listener that expects one
     * does: the header's bytes are taken from the reads, the rest goes to the codec.
     */
    void expectProxyHeader(ProxyProtocol protocol) {
        proxyDecoder = new ProxyHeaderDecoder(protocol.maxHeaderSize());
        long ms = protocol.headerTimeout().toMillis();
        loop.execute(() -> proxyTimer = loop.schedule(protocol.headerTimeout(), () -> proxyFailed(
                CloseReason.of(Kind.HANDSHAKE_TIMEOUT, "no complete PROXY protocol header within " + ms + " ms"))));
    }

    /** Feeds {@code next} to the header's decoder; true once the connection has opened. */
    private boolean readProxyHeader(ByteBuffer next) {
        ProxyHeader header;
        try {
            header = proxyDecoder.decode(next);
        } catch (DecodeException e) {
            proxyFailed(CloseReason.of(Kind.PROXY_HEADER_ERROR, e));
            return false;
        }
        if (header == null) {
            return false;
        }
        proxyDecoder = null;
        proxyTimer.cancel();
        proxied(header, remote);
        if (header.command() == ProxyHeader.Command.PROXY && header.source().isPresent()) {
            remote = header.source().get();
        }
        opened();
        return true;
    }

    private void proxyFailed(CloseReason reason) {
        if (proxyDecoder != null) {
            proxyDecoder = null;
            closeNow(reason, false);
        }
    }

    /** Opens the pipeline in a loop cycle, as a real connection opens in its loop's. */
    void open() {
        loop.execute(this::opened);
    }

    // ---- the peer's side, driven by the test ----

    /** The peer sends {@code bytes}, to be read in chunks of at most {@code chunk} bytes. */
    void peerSends(byte[] bytes, int chunk) {
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            unread.add(ByteBuffer.wrap(bytes, offset, Math.min(chunk, bytes.length - offset)));
        }
        scheduleRead();
    }

    /** The peer closes its output: seen once every byte it sent before has been read. */
    void peerEnds() {
        endUnread = true;
        scheduleRead();
    }

    /** The peer reads everything it has received, which opens its window again. */
    byte[] peerReads() {
        byte[] bytes = peer.takeAll();
        // Also while closing: a graceful close waits for exactly these bytes to leave.
        if (waitingForWritable && !transportClosed) {
            loop.execute(() -> {
                if (waitingForWritable && !transportClosed) {
                    writableAgain();
                }
            });
        }
        return bytes;
    }

    void peerReceiveWindow(long bytes) {
        peer.window(bytes);
    }

    boolean isReading() {
        return reading;
    }

    boolean isOutputShutdown() {
        return outputShutdown;
    }

    boolean isTransportClosed() {
        return transportClosed;
    }

    boolean wasReset() {
        return reset;
    }

    private void scheduleRead() {
        if (!readScheduled && reading && !transportClosed && (!unread.isEmpty() || endUnread)) {
            readScheduled = true;
            loop.execute(readTask);
        }
    }

    /** One read, as one selector wake-up gives a socket: one chunk, or the end of the stream. */
    private void readNext() {
        readScheduled = false;
        if (!reading || transportClosed) {
            return;
        }
        ByteBuffer next = unread.peek();
        if (next == null) {
            if (endUnread) {
                endUnread = false;
                if (proxyDecoder != null) {
                    proxyFailed(CloseReason.of(Kind.PROXY_HEADER_ERROR,
                            "the connection ended before its PROXY protocol header was complete"));
                    return;
                }
                endOfInput();
            }
            return;
        }
        if (proxyDecoder != null) {
            // One read: what follows the header in it goes on to the codec in the same cycle.
            boolean opened = readProxyHeader(next);
            if (!next.hasRemaining()) {
                unread.poll();
            }
            if (!opened || !next.hasRemaining() || !isOpen()) {
                scheduleRead();
                return;
            }
        }
        ByteBuffer target = readTarget(loop.readBuffer());
        int n = Math.min(target.remaining(), next.remaining());
        target.put(next.slice(next.position(), n));
        next.position(next.position() + n);
        if (!next.hasRemaining()) {
            unread.poll();
        }
        bytesRead();
        received(target);
        scheduleRead();
    }

    // ---- transport ----

    @Override
    protected GatheringByteChannel channel() {
        return peer;
    }

    @Override
    protected void setReadInterest(boolean on) {
        reading = on;
        // After what resumeReading() decodes itself: bytes already received come first.
        scheduleRead();
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
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return LOCAL;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        return "[test channel]";
    }
}
