package io.eddy.core.internal;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.IoHandler;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection over a TCP socket: reads when the selector says so, writes when its queue has bytes,
 * and keeps the idle and close deadlines on the loop's timers.
 *
 * <p>Threading: owned by one loop; see {@link AbstractConnection}.
 */
public final class TcpConnection<I, O> extends AbstractConnection<I, O> implements IoHandler {

    private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    /** At most this many chunk-sized reads of unread input are dropped at once while closing. */
    private static final int DISCARD_READS = 8;
    /** How long a closed connection keeps reading and dropping what its peer still sends. */
    private static final Duration LINGER = Duration.ofSeconds(2);

    private final long id = IDS.incrementAndGet();
    private final EventLoop loop;
    private final SocketChannel channel;
    private final Runnable onClosed;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final ChunkPool chunks = ChunkPool.current();
    private SelectionKey key;
    /** Closed, output shut down, still reading until the peer's FIN: see {@link #closeTransport}. */
    private boolean lingering;
    private ScheduledTask lingerTimer;

    private TcpConnection(EventLoop loop, SocketChannel channel, Codec<I, O> codec, Handler<I, O> handler,
                          ConnectionOptions options, Runnable onClosed) throws IOException {
        super(codec, handler, options);
        this.loop = loop;
        this.channel = channel;
        this.onClosed = onClosed;
        this.local = channel.getLocalAddress();
        this.remote = channel.getRemoteAddress();
    }

    /**
     * Makes a connection of a connected, non-blocking {@code channel}, registers it (or takes over
     * {@code key}, the channel's registration while it was connecting) and tells the handler it is
     * open. Loop thread only.
     *
     * @param onClosed run once when the connection has closed (a server counts its connections)
     */
    public static <I, O> TcpConnection<I, O> open(EventLoop loop, SocketChannel channel, SelectionKey key,
                                                Codec<I, O> codec, Handler<I, O> handler,
                                                ConnectionOptions options, Runnable onClosed) throws IOException {
        // Socket options are set by whoever made the channel: the server on each accepted socket,
        // the client before it connects.
        channel.configureBlocking(false);
        TcpConnection<I, O> connection = new TcpConnection<>(loop, channel, codec, handler, options, onClosed);
        if (key == null) {
            connection.key = loop.register(channel, SelectionKey.OP_READ, connection);
        } else {
            connection.key = key;
            key.attach(connection);
            key.interestOps(SelectionKey.OP_READ);
        }
        connection.opened();
        return connection;
    }

    // ---- IoHandler ----

    @Override
    public void onReady(int readyOps) {
        if (lingering) {
            if (discardUnreadInput()) {
                endLinger();
            }
            return;
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            writableAgain();
        }
        // Interest may have changed earlier in this cycle (paused, closing): look again.
        if ((readyOps & SelectionKey.OP_READ) != 0 && key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0) {
            read();
        }
    }

    private void read() {
        ByteBuffer target = readTarget(loop.readBuffer());
        int n;
        try {
            n = channel.read(target);
        } catch (IOException e) {
            transportFailed(e);
            return;
        }
        if (n < 0) {
            // The target may hold bytes pending from earlier reads: put them back, or the last
            // decode misses them.
            unread(target);
            endOfInput();
            return;
        }
        if (n > 0) {
            bytesRead();
        }
        received(target);
    }

    @Override
    public void onLoopClosing() {
        if (lingering) {
            endLinger();
            return;
        }
        loopClosing();
    }

    @Override
    public void onForceClose() {
        if (lingering) {
            endLinger();
            return;
        }
        closeNow(CloseReason.of(Kind.LOOP_CLOSED, "event loop closed before the connection finished"), true);
    }

    // ---- transport ----

    @Override
    protected GatheringByteChannel channel() {
        return channel;
    }

    @Override
    protected void setReadInterest(boolean on) {
        setInterest(SelectionKey.OP_READ, on);
    }

    @Override
    protected void setWriteInterest(boolean on) {
        setInterest(SelectionKey.OP_WRITE, on);
    }

    private void setInterest(int op, boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int wanted = on ? ops | op : ops & ~op;
        if (wanted != ops) {
            key.interestOps(wanted);
        }
    }

    @Override
    protected void shutdownTransportOutput() throws IOException {
        channel.shutdownOutput();
    }

    /**
     * Closes the socket. A reset closes it at once. Otherwise the close lingers, as RFC 9112 §9.6
     * asks of an HTTP server: a socket closed while the peer is still sending is reset by the
     * kernel, and the reset throws away our last replies in flight (an error answering a request
     * whose body is still coming, say), so the peer never reads them. Instead the output is shut
     * down (the peer reads everything, then our FIN) and what the peer still sends is read and
     * dropped until its own FIN, for at most {@link #LINGER}.
     */
    @Override
    protected void closeTransport(boolean reset) {
        if (reset && channel.isOpen()) {
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                log.debug("{}: cannot set SO_LINGER for a reset", this, e);
            }
        } else if (!inputEnded() && !discardUnreadInput() && startLinger()) {
            return;
        }
        closeChannel();
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("{}: close failed", this, e);
        }
    }

    /** Shuts the output down and keeps reading; false if that cannot be done (then close at once). */
    private boolean startLinger() {
        if (key == null || !key.isValid() || !loop.isRunning()) {
            // A closing loop waits for its channels: it should not wait for a peer's FIN.
            return false;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            return false;
        }
        lingering = true;
        key.interestOps(SelectionKey.OP_READ);
        lingerTimer = loop.schedule(LINGER, this::endLinger);
        return true;
    }

    private void endLinger() {
        if (!lingering) {
            return;
        }
        lingering = false;
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        closeChannel();
    }

    /**
     * Reads and drops what the peer sent that nobody will read, a bounded amount at a time.
     *
     * @return true when the peer's input has ended (or failed): nothing more will come
     */
    private boolean discardUnreadInput() {
        ByteBuffer scratch = chunks.acquire();
        try {
            for (int i = 0; i < DISCARD_READS; i++) {
                scratch.clear();
                int n = channel.read(scratch);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            log.debug("{}: discarding unread input failed: {}", this, e.toString());
            return true;
        } finally {
            chunks.release(scratch);
        }
    }

    @Override
    protected void onTransportClosed() {
        if (onClosed != null) {
            onClosed.run();
        }
    }

    // ---- queries ----

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String toString() {
        return "[#" + id + " " + local + " <-> " + remote + "]";
    }
}
