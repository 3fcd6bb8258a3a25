package io.eddy.core.internal;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.internal.jfr.FlightEvents;
import io.eddy.core.internal.jfr.TlsHandshakeEvent;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.IoHandler;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.ClosedConnectionException;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyHeaderDecoder;
import io.eddy.core.tls.TlsSession;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection over a TCP socket: reads when the selector says so, writes when its queue has bytes,
 * and keeps the idle and close deadlines on the loop's timers. Its bytes go through a
 * {@link Transport}: the socket itself, or TLS over it. With TLS the connection first shakes hands
 * and opens (the handler's {@code onOpen}) only once that is done; a handshake that fails or runs
 * out of time closes it without the handler ever hearing of it. Before TLS (or before opening, on a
 * plain socket) a connection may read a PROXY protocol header (a server's listener that expects
 * one) or send one (a client's): the header's bytes are raw on the wire, ahead of the ClientHello,
 * and what followed it in the same read goes on to TLS or to the codec, not a byte lost.
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
    /** The socket's peer, or the client's address once a PROXY header gave it. */
    private SocketAddress remote;
    private final ChunkPool chunks = ChunkPool.current();
    private final Transport transport;
    /** The transport when it is TLS; null for a plain socket. */
    private final TlsTransport tls;
    private final Duration linger;
    /** Told once whether the connection opened (null) or why it could not (a failed handshake). */
    private BiConsumer<TcpConnection<I, O>, Throwable> whenOpened;
    private ScheduledTask handshakeTimer;
    /** The handshake's flight recorder event while one is recorded, else null. */
    private TlsHandshakeEvent handshakeEvent;
    private TlsSession tlsSession;
    private boolean handshaking;
    private boolean bufferedReadScheduled;
    /** Made the first time TLS holds bytes back (only TLS does): a plaintext connection keeps no such task. */
    private Runnable bufferedRead;
    private SelectionKey key;
    /**
     * Reading (a server's) or sending (a client's) the PROXY protocol header: until it is done,
     * the connection does nothing else, TLS included.
     */
    private boolean proxyStage;
    /** Reads the header, on a server; null otherwise. */
    private ProxyHeaderDecoder proxyDecoder;
    /** What is left of the header to send, on a client; null otherwise. */
    private ByteBuffer proxyOut;
    private ScheduledTask proxyTimer;
    /** TLS, to start once the PROXY stage is done; null for a plain socket. */
    private TlsStart afterProxy;
    /** Closed, output shut down, still reading until the peer's FIN: see {@link #closeTransport}. */
    private boolean lingering;
    private ScheduledTask lingerTimer;

    private TcpConnection(EventLoop loop, SocketChannel channel, Codec<I, O> codec, Handler<I, O> handler,
                          ConnectionOptions options, Runnable onClosed, TlsStart tlsStart,
                          ConnectionCounters counters) throws IOException {
        super(codec, handler, options, counters);
        this.loop = loop;
        this.channel = channel;
        this.onClosed = onClosed;
        this.local = channel.getLocalAddress();
        this.remote = channel.getRemoteAddress();
        Transport chosen;
        if (tlsStart == null) {
            this.tls = null;
            chosen = new PlainTransport(channel);
            this.linger = LINGER;
        } else {
            this.tls = new TlsTransport(channel, tlsStart.engine(), TlsTasks.executor());
            chosen = tls;
            this.linger = tlsStart.closeNotifyTimeout();
        }
        // Chosen once: a loop without faults injected by a test pays nothing per read or write.
        this.transport = TransportFaults.wrap(loop, remote, chosen);
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
        return open(loop, channel, key, codec, handler, options, onClosed, null, null);
    }

    /**
     * As {@link #open(EventLoop, SocketChannel, SelectionKey, Codec, Handler, ConnectionOptions, Runnable)},
     * over TLS when {@code tls} is given: the handler hears of the connection once the handshake is
     * done.
     *
     * @param tls        the engine and deadlines, or null for a plain socket
     * @param whenOpened told, on the loop, of the connection and null once it is open (after the
     *                   handler's {@code onOpen}), or why it never opened; may be null. It may be
     *                   told before this method returns
     */
    public static <I, O> TcpConnection<I, O> open(EventLoop loop, SocketChannel channel, SelectionKey key,
                                                Codec<I, O> codec, Handler<I, O> handler,
                                                ConnectionOptions options, Runnable onClosed,
                                                TlsStart tls, BiConsumer<TcpConnection<I, O>, Throwable> whenOpened)
            throws IOException {
        return open(loop, channel, key, codec, handler, options, onClosed, null, tls, whenOpened, null);
    }

    /**
     * As {@link #open(EventLoop, SocketChannel, SelectionKey, Codec, Handler, ConnectionOptions, Runnable,
     * TlsStart, BiConsumer)}, with a PROXY protocol header read or sent first, before TLS (the
     * handler hears of the connection once the header, and the handshake, are done), counting into
     * {@code counters} (a server's on this loop; null for none).
     *
     * @param proxy the header to read or send, or null for none
     */
    public static <I, O> TcpConnection<I, O> open(EventLoop loop, SocketChannel channel, SelectionKey key,
                                                Codec<I, O> codec, Handler<I, O> handler,
                                                ConnectionOptions options, Runnable onClosed, ProxyStart proxy,
                                                TlsStart tls, BiConsumer<TcpConnection<I, O>, Throwable> whenOpened,
                                                ConnectionCounters counters) throws IOException {
        // Socket options are set by whoever made the channel: the server on each accepted socket,
        // the client before it connects.
        channel.configureBlocking(false);
        TcpConnection<I, O> connection = new TcpConnection<>(loop, channel, codec, handler, options, onClosed, tls,
                counters);
        connection.whenOpened = whenOpened;
        if (key == null) {
            connection.key = loop.register(channel, SelectionKey.OP_READ, connection);
        } else {
            connection.key = key;
            key.attach(connection);
            key.interestOps(SelectionKey.OP_READ);
        }
        FlightEvents.connectionOpened(connection.id, connection.local, connection.remote, loop);
        if (proxy != null) {
            connection.startProxyStage(proxy, tls);
        } else if (tls == null) {
            connection.open();
        } else {
            connection.startHandshake(tls.handshakeTimeout());
        }
        return connection;
    }

    private void open() {
        opened();
        BiConsumer<TcpConnection<I, O>, Throwable> told = whenOpened;
        whenOpened = null;
        if (told != null) {
            told.accept(this, isOpen() ? null : new ClosedConnectionException("closed while opening (" + closeReason() + ")"));
        }
    }

    // ---- the PROXY protocol header, before anything else ----

    private void startProxyStage(ProxyStart start, TlsStart tls) {
        proxyStage = true;
        afterProxy = tls;
        long ms = start.timeout().toMillis();
        String late = start.reads() ? "no complete PROXY protocol header within " + ms + " ms"
                : "the PROXY protocol header could not be sent within " + ms + " ms";
        proxyTimer = loop.schedule(start.timeout(), () -> proxyFailed(CloseReason.of(Kind.HANDSHAKE_TIMEOUT, late)));
        if (start.reads()) {
            proxyDecoder = new ProxyHeaderDecoder(start.maxHeaderSize());
            readProxyHeader(); // it may have come with the connection
        } else {
            proxyOut = ByteBuffer.wrap(start.header().encode());
            writeProxyHeader();
        }
    }

    /**
     * Reads no more than the header can still need (so at most a few bytes past a version 1 line,
     * none past a version 2 header) into the loop's buffer, and hands what followed the header to
     * what comes next.
     */
    private void readProxyHeader() {
        ByteBuffer buffer = loop.readBuffer();
        try {
            while (proxyStage) {
                buffer.clear().limit(Math.min(buffer.capacity(), proxyDecoder.wanted()));
                int n = channel.read(buffer);
                if (n < 0) {
                    proxyFailed(CloseReason.of(Kind.PROXY_HEADER_ERROR,
                            "the connection ended before its PROXY protocol header was complete"));
                    return;
                }
                if (n == 0) {
                    return;
                }
                ProxyHeader header = proxyDecoder.decode(buffer.flip());
                if (header != null) {
                    proxied(header, remote);
                    if (header.command() == ProxyHeader.Command.PROXY && header.source().isPresent()) {
                        remote = header.source().get();
                    }
                    log.debug("{}: {} from {}", this, header, channel.getRemoteAddress());
                    endProxyStage(buffer);
                    return;
                }
            }
        } catch (DecodeException e) {
            proxyFailed(CloseReason.of(Kind.PROXY_HEADER_ERROR, e));
        } catch (IOException e) {
            proxyFailed(CloseReason.of(Kind.PEER_RESET, e));
        }
    }

    private void writeProxyHeader() {
        try {
            channel.write(proxyOut);
        } catch (IOException e) {
            proxyFailed(CloseReason.of(Kind.PEER_RESET, e));
            return;
        }
        if (proxyOut.hasRemaining()) {
            setInterestOps(SelectionKey.OP_WRITE);
            return;
        }
        setInterestOps(SelectionKey.OP_READ);
        endProxyStage(null);
    }

    /** The header is done: on to TLS or to the codec, with {@code rest} (what followed it) first. */
    private void endProxyStage(ByteBuffer rest) {
        proxyStage = false;
        proxyDecoder = null;
        proxyOut = null;
        proxyTimer.cancel();
        if (afterProxy != null) {
            if (rest != null) {
                tls.unread(rest);
            }
            startHandshake(afterProxy.handshakeTimeout());
            return;
        }
        if (rest != null) {
            unreadBeforeOpen(rest);
        }
        open();
        // What came with the header waits in the buffer, and the socket may hold more: the
        // selector would announce only the latter.
        if (readInterested()) {
            read();
        }
    }

    private void proxyFailed(CloseReason reason) {
        if (!proxyStage) {
            return;
        }
        // Debug, as for a failed TLS handshake: anyone who reaches the port can send garbage.
        log.debug("{}: PROXY protocol stage failed: {}", this, reason);
        closeNow(reason, false); // still in the stage: the socket closes at once, without lingering
        proxyStage = false;
        BiConsumer<TcpConnection<I, O>, Throwable> told = whenOpened;
        whenOpened = null;
        if (told != null) {
            told.accept(this, reason.cause() != null ? reason.cause()
                    : new ClosedConnectionException("closed before it opened (" + reason + ")"));
        }
    }

    // ---- the TLS handshake ----

    private void startHandshake(Duration timeout) {
        handshaking = true;
        handshakeEvent = FlightEvents.tlsHandshakeStarted(id, remote);
        handshakeTimer = loop.schedule(timeout, () -> handshakeFailed(CloseReason.of(Kind.HANDSHAKE_TIMEOUT,
                "the TLS handshake took longer than " + timeout.toMillis() + " ms")));
        continueHandshake();
    }

    private void continueHandshake() {
        if (!handshaking) {
            return;
        }
        TlsTransport.Step step;
        try {
            step = tls.handshake(loop, this::continueHandshake);
        } catch (IOException | RuntimeException e) {
            tls.sendAlertQuietly();
            handshakeFailed(CloseReason.of(Kind.TLS_ERROR, e));
            return;
        }
        switch (step) {
            case READ -> setInterestOps(SelectionKey.OP_READ);
            case WRITE -> setInterestOps(SelectionKey.OP_WRITE);
            case TASKS -> setInterestOps(0);
            case DONE -> handshakeDone();
        }
    }

    private void handshakeDone() {
        handshaking = false;
        handshakeTimer.cancel();
        tlsSession = TlsSession.of(tls.engine());
        FlightEvents.tlsHandshakeDone(handshakeEvent, tlsSession);
        setInterestOps(SelectionKey.OP_READ);
        log.debug("{}: TLS handshake done: {} {}", this, tlsSession.protocol(), tlsSession.cipherSuite());
        open();
        // The peer's first bytes may have come with its last handshake message.
        if (isOpen()) {
            scheduleBufferedRead();
        }
    }

    private void handshakeFailed(CloseReason reason) {
        if (!handshaking) {
            return;
        }
        handshaking = false;
        handshakeTimer.cancel();
        // Debug, as for decode errors: anyone can send garbage to a TLS port.
        log.debug("{}: TLS handshake failed: {}", this, reason);
        FlightEvents.tlsHandshakeFailed(handshakeEvent, reason);
        closeNow(reason, false);
        BiConsumer<TcpConnection<I, O>, Throwable> told = whenOpened;
        whenOpened = null;
        if (told != null) {
            told.accept(this, reason.cause() != null ? reason.cause() : new SSLHandshakeException(reason.detail()));
        }
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
        if (proxyStage) {
            if (proxyDecoder != null) {
                readProxyHeader();
            } else {
                writeProxyHeader();
            }
            return;
        }
        if (handshaking) {
            continueHandshake();
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
            n = transport.read(target);
        } catch (IOException e) {
            unread(target);
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
            bytesRead(n);
        }
        received(target);
        if (tls != null) {
            afterTlsRead();
        }
    }

    /**
     * TLS may have read more than one call decrypts (the selector will not announce those bytes
     * again), and may have records of its own to send (a key update's answer).
     */
    private void afterTlsRead() {
        if (tls.holdsOutput()) {
            writableAgain();
        }
        scheduleBufferedRead();
    }

    private void scheduleBufferedRead() {
        if (!bufferedReadScheduled && tls.hasBufferedInput() && readInterested()) {
            bufferedReadScheduled = true;
            try {
                if (bufferedRead == null) {
                    bufferedRead = this::readBuffered;
                }
                loop.execute(bufferedRead);
            } catch (RejectedExecutionException e) {
                bufferedReadScheduled = false; // the loop has terminated: nothing more is read
            }
        }
    }

    private void readBuffered() {
        bufferedReadScheduled = false;
        if (!lingering && !handshaking && readInterested()) {
            read();
        }
    }

    private boolean readInterested() {
        return isOpen() && key != null && key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0;
    }

    @Override
    public void onLoopClosing() {
        if (lingering) {
            endLinger();
            return;
        }
        if (proxyStage) {
            proxyFailed(CloseReason.of(Kind.LOOP_CLOSED, "event loop is closing"));
            return;
        }
        if (handshaking) {
            handshakeFailed(CloseReason.of(Kind.LOOP_CLOSED, "event loop is closing"));
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
        if (proxyStage) {
            proxyFailed(CloseReason.of(Kind.LOOP_CLOSED, "event loop closed before the connection opened"));
            return;
        }
        closeNow(CloseReason.of(Kind.LOOP_CLOSED, "event loop closed before the connection finished"), true);
    }

    // ---- transport ----

    @Override
    protected GatheringByteChannel channel() {
        return transport.output();
    }

    @Override
    protected long transportHeldBytes() {
        return transport.heldBytes();
    }

    @Override
    protected boolean transportHoldsOutput() {
        return transport.holdsOutput();
    }

    @Override
    protected boolean flushTransport() throws IOException {
        return transport.flushHeld();
    }

    @Override
    protected void setReadInterest(boolean on) {
        if (handshaking || proxyStage) {
            return; // the handshake sets its own interest; the connection's starts when it is done
        }
        setInterest(SelectionKey.OP_READ, on);
        if (on && tls != null) {
            // Reading resumed: bytes TLS read before the pause wait for no selector.
            scheduleBufferedRead();
        }
    }

    @Override
    protected void setWriteInterest(boolean on) {
        if (handshaking || proxyStage) {
            return;
        }
        setInterest(SelectionKey.OP_WRITE, on);
    }

    private void setInterestOps(int ops) {
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
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
        transport.shutdownOutput();
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
        } else {
            // TLS: close_notify goes first; the linger then waits for the peer's (or its FIN).
            transport.closeOutbound();
            if (!inputEnded() && !handshaking && !proxyStage && !discardUnreadInput() && startLinger()) {
                return;
            }
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
        lingerTimer = loop.schedule(linger, this::endLinger);
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
        FlightEvents.connectionClosed(id, local, remote, loop, closeReason());
        transport.closed(closeReason());
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (proxyTimer != null) {
            proxyTimer.cancel();
        }
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
    public Optional<TlsSession> tls() {
        return Optional.ofNullable(tlsSession);
    }

    @Override
    public String toString() {
        return "[#" + id + " " + local + " <-> " + remote + "]";
    }
}
