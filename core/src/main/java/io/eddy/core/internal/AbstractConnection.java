package io.eddy.core.internal;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.ClosedConnectionException;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.net.WriteListener;
import io.eddy.core.proxy.ProxyHeader;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one connection, whatever carries its bytes: decode loop, handler calls, encoding,
 * the bounded outbound queue with its water marks, and the close state machine drawn on
 * {@link Connection}. A TCP socket ({@link TcpConnection}) and the in-memory test channel supply the
 * transport underneath, so codec tests run exactly the code real connections run.
 *
 * <p>Threading: the transport calls every {@code on*} method on the loop thread; public methods
 * hop onto it with the loop's {@code execute} when called from elsewhere.
 *
 * @param <I> messages decoded for the handler
 * @param <O> messages the handler writes
 */
public abstract class AbstractConnection<I, O> implements Connection<O> {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    private static final VarHandle CLOSE_FUTURE;

    static {
        try {
            CLOSE_FUTURE = MethodHandles.lookup().findVarHandle(AbstractConnection.class, "closeFuture", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private enum State { OPEN, CLOSING, CLOSED }

    /** Replaced by {@link #upgrade} (a protocol switch); otherwise fixed for life. */
    private Codec<I, O> codec;
    private Handler<I, O> handler;
    /**
     * Counts protocol switches: a write handed in from another thread carries the count it was
     * made under, so a message of the old protocol never reaches the new protocol's encoder.
     */
    private volatile int protocol;
    private final ConnectionOptions options;
    private final InboundBuffer inbound;
    private final OutboundQueue outbound;
    /** Made when first asked for, as most connections are never asked: see {@link #closeFuture()}. */
    private volatile CompletableFuture<CloseReason> closeFuture;
    private final Runnable flushTask = this::flushScheduled;
    /** Made at once only for idle timeouts; otherwise when a graceful close needs its deadline (most connections never hold one). */
    private ConnectionTimers timers;
    /** The server's counters on this loop, or null when it keeps no metrics. */
    private final ConnectionCounters counters;

    private volatile State state = State.OPEN;
    private volatile CloseReason closeReason;
    private volatile boolean writable = true;
    /** {@link OutboundQueue#pendingBytes()} as last published, for readers off the loop. */
    private volatile long pendingPublished;
    private CloseReason closingReason;
    /** Held by {@link #pauseReading()} until {@link #resumeReading()}. */
    private boolean pausedByUser;
    /** Held while not writable, when the options say so: see {@link #setWritable}. */
    private boolean pausedByQueue;
    private boolean decoding;
    /** The handler heard {@code onOpen}: only then does it hear {@code onClose}. */
    private boolean handlerOpened;
    private boolean inputClosed;
    /** The loop told this connection it is closing: a close from this side is then LOOP_CLOSED. */
    private boolean loopClosing;
    private boolean outputShutdownRequested;
    private boolean outputShutdown;
    private boolean flushScheduled;
    private boolean waitingForWritable;
    /**
     * Attributes as key/value pairs in one array, compared by identity: a connection holds a
     * handful at most, and a short scan is cheaper than hashing on every message.
     */
    private Object[] attributes;
    /** The PROXY protocol header the connection started with, or null; set before it opens. */
    private ProxyHeader proxyHeader;
    /** The socket's peer, which sent {@link #proxyHeader}; null without one. */
    private SocketAddress proxiedBy;

    protected AbstractConnection(Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options) {
        this(codec, handler, options, null);
    }

    /** As the other constructor, counting into {@code counters} (null: nothing counted). */
    protected AbstractConnection(Codec<I, O> codec, Handler<I, O> handler, ConnectionOptions options,
                                 ConnectionCounters counters) {
        this.counters = counters;
        this.codec = codec;
        this.handler = handler;
        this.options = options;
        this.inbound = new InboundBuffer(options.maxInboundBytes());
        this.outbound = new OutboundQueue(ChunkPool.current(), this::transportHeldBytes);
        this.timers = options.hasIdleTimeouts() ? new ConnectionTimers(this) : null;
    }

    // ---- what a transport provides ----

    /** Where queued bytes are written. */
    protected abstract GatheringByteChannel channel();

    /** Asks to be told (or stops asking) when the peer has sent bytes. */
    protected abstract void setReadInterest(boolean on);

    /** Asks to be told (or stops asking) when the transport can take bytes again. */
    protected abstract void setWriteInterest(boolean on);

    /** Sends FIN. */
    protected abstract void shutdownTransportOutput() throws IOException;

    /**
     * Bytes {@link #channel()} took that have not yet left the socket (TLS records waiting): they
     * count with the queue for the water marks and the write listeners. None by default.
     */
    protected long transportHeldBytes() {
        return 0;
    }

    /** Whether the transport holds bytes of any kind for the socket (its own records included). */
    protected boolean transportHoldsOutput() {
        return false;
    }

    /** Writes what the transport holds; true when it then holds nothing. */
    protected boolean flushTransport() throws IOException {
        return true;
    }

    /** Closes the transport; with {@code reset}, drops unsent bytes and resets the peer. */
    protected abstract void closeTransport(boolean reset);

    /** Called once after the connection closed, before the handler hears of it. */
    protected void onTransportClosed() {
    }

    protected final ConnectionOptions options() {
        return options;
    }

    // ---- inbound, called by the transport on the loop thread ----

    /** Opens the pipeline: idleness counts from now, and the handler's {@code onOpen} runs. */
    protected final void opened() {
        if (timers != null) {
            timers.opened();
        }
        handlerOpened = true;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    /**
     * The connection started with {@code header}, sent by {@code peer}, the socket's peer. Before
     * {@link #opened()}; loop thread only.
     */
    protected final void proxied(ProxyHeader header, SocketAddress peer) {
        this.proxyHeader = header;
        this.proxiedBy = peer;
    }

    /**
     * Bytes that came before the connection opened and belong to its codec (what followed a PROXY
     * header in the same read): they are decoded first, before anything read later. Loop thread
     * only, before {@link #opened()}.
     */
    protected final void unreadBeforeOpen(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            inbound.seed(bytes);
        }
    }

    /** Where the transport should read to, given the loop's shared read buffer. */
    protected final ByteBuffer readTarget(ByteBuffer loopBuffer) {
        return inbound.readTarget(loopBuffer);
    }

    /** A read into {@code target} (from {@link #readTarget}) brought nothing: keep what it held. */
    protected final void unread(ByteBuffer target) {
        inbound.unread(target);
    }

    // ---- switching protocols ----

    /**
     * Switches this connection to {@code newCodec} and {@code newHandler} at a decode boundary; see
     * {@link Connection#upgrade}. The bytes received and not yet decoded are the new codec's: the
     * decode loop this may be called from goes on with the same buffer, through the new codec, and
     * bytes waiting while reading was held are decoded once reading is free. A pause the old
     * handler held ({@link #pauseReading()}) is released: it belonged to the old protocol.
     */
    @Override
    @SuppressWarnings("unchecked")
    public final <I2, O2> Connection<O2> upgrade(Codec<I2, O2> newCodec, Handler<I2, O2> newHandler) {
        Objects.requireNonNull(newCodec, "codec");
        Objects.requireNonNull(newHandler, "handler");
        if (!inLoop()) {
            throw new IllegalStateException("a connection switches protocol on its loop thread only");
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("cannot switch protocol: connection is closed (" + reasonSoFar() + ")");
        }
        // The old codec and handler, and their per-connection state, are dropped here: erased
        // types, so the same fields serve the new protocol.
        codec = (Codec<I, O>) (Codec<?, ?>) newCodec;
        handler = (Handler<I, O>) (Handler<?, ?>) newHandler;
        protocol++;
        Connection<O2> upgraded = (Connection<O2>) (Connection<?>) this;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        if (pausedByUser) {
            pausedByUser = false;
            readAgainIfFree();
        } else if (!decoding) {
            decodePending();
        }
        return upgraded;
    }

    /** Bytes came from the peer (a read that brought some): for the idle timeouts. */
    protected final void bytesRead() {
        if (timers != null) {
            timers.read();
        }
    }

    /** {@code count} bytes came from the peer: for the idle timeouts, and counted. */
    protected final void bytesRead(int count) {
        if (timers != null) {
            timers.read();
        }
        if (counters != null) {
            counters.received(count);
        }
    }

    /** The transport read bytes into {@code target} (from {@link #readTarget}): decode them. */
    protected final void received(ByteBuffer target) {
        ByteBuffer readable = InboundBuffer.readable(target);
        decodeLoop(readable);
        keepRemainder(readable);
    }

    /** The peer closed its output: deliver what is left, then tell the handler. */
    protected final void endOfInput() {
        if (inputClosed) {
            return;
        }
        inputClosed = true;
        setReadInterest(false);
        ByteBuffer rest = inbound.pending();
        if (rest != null && state == State.OPEN) {
            decodeLast(rest);
        }
        inbound.clear();
        if (state == State.OPEN) {
            try {
                handler.onInputClosed(this);
            } catch (Throwable t) {
                handlerFailed(t);
            }
        }
        if (state == State.OPEN && outputShutdown) {
            closeNow(CloseReason.of(Kind.PEER_CLOSED, "both directions closed"), false);
        }
    }

    /** Whether the peer has closed its output (end of stream was read). */
    protected final boolean inputEnded() {
        return inputClosed;
    }

    /** The transport can take bytes again. */
    protected final void writableAgain() {
        flushNow();
    }

    /**
     * Reading or writing failed: the connection is gone. On a connected socket that is the peer
     * or the network (reset, broken pipe, unreachable), whatever words the system used, so it is
     * classed by type, not by message: only a channel closed under us is our own I/O error.
     */
    protected final void transportFailed(IOException e) {
        boolean local = e instanceof ClosedChannelException;
        if (state != State.CLOSED) {
            if (local) {
                log.warn("{}: channel closed under the connection", this, e);
            } else {
                log.debug("{}: connection failed: {}", this, e.toString());
            }
        }
        Kind kind = local ? Kind.IO_ERROR : e instanceof SSLException ? Kind.TLS_ERROR : Kind.PEER_RESET;
        closeNow(CloseReason.of(kind, e), false);
    }

    private void decodeLoop(ByteBuffer in) {
        decoding = true;
        try {
            I message;
            while (state == State.OPEN && !readingHeld() && !inputClosed
                    && (message = decodeNext(in, false)) != null) {
                deliver(message);
            }
        } finally {
            decoding = false;
        }
    }

    private void decodeLast(ByteBuffer in) {
        I message;
        while (state == State.OPEN && (message = decodeNext(in, true)) != null) {
            deliver(message);
        }
        if (state == State.OPEN && in.hasRemaining()) {
            log.debug("{}: {} bytes of an incomplete message dropped at end of stream", this, in.remaining());
        }
    }

    /** The next message, or null when none is whole yet or decoding failed (which closes). */
    private I decodeNext(ByteBuffer in, boolean atEnd) {
        try {
            return atEnd ? codec.decodeLast(in) : codec.decode(in);
        } catch (DecodeException e) {
            decodeFailed(e);
        } catch (RuntimeException e) {
            decodeFailed(new DecodeException("decoder failed: " + e, e));
        }
        return null;
    }

    private void deliver(I message) {
        try {
            handler.onMessage(this, message);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    private void keepRemainder(ByteBuffer decoded) {
        if (state != State.OPEN || inputClosed) {
            inbound.clear();
            return;
        }
        try {
            inbound.keepRemainder(decoded, readingHeld());
        } catch (DecodeException e) {
            decodeFailed(e);
        }
    }

    private void decodePending() {
        ByteBuffer pending = inbound.pending();
        if (pending != null && state == State.OPEN && !decoding) {
            decodeLoop(pending);
            keepRemainder(pending);
        }
    }

    private void decodeFailed(DecodeException e) {
        // Debug, not info: any client can send garbage, and a log line per attempt is a lever.
        log.debug("{}: closing: {}", this, e.getMessage());
        if (counters != null) {
            counters.decodeError();
        }
        inbound.clear();
        try {
            handler.onDecodeError(this, e);
        } catch (Throwable t) {
            log.warn("{}: onDecodeError threw", this, t);
        }
        closeGracefully(CloseReason.of(Kind.DECODE_ERROR, e));
    }

    private void handlerFailed(Throwable t) {
        EventLoop.rethrowIfFatal(t);
        log.warn("{}: handler failed; closing", this, t);
        closeGracefully(CloseReason.of(Kind.HANDLER_FAILURE, t));
    }

    // ---- outbound ----

    @Override
    public final void write(O message) {
        write(message, null);
    }

    @Override
    public final void write(O message, WriteListener listener) {
        if (inLoop()) {
            encodeOnLoop(message, listener);
            return;
        }
        int madeUnder = protocol;
        try {
            loop().execute(() -> {
                if (madeUnder == protocol) {
                    encodeOnLoop(message, listener);
                } else {
                    fail(listener, new ClosedConnectionException("the connection switched protocol before the write reached its loop"));
                }
            });
        } catch (RejectedExecutionException e) {
            fail(listener, new ClosedConnectionException("the event loop has terminated"));
        }
    }

    /** {@link #write} on the loop thread: encodes into the outbound queue at once, flushed at the cycle's end. */
    private void encodeOnLoop(O message, WriteListener listener) {
        if (!takesWrites(listener)) {
            return;
        }
        long mark = outbound.queuedTotal();
        try {
            codec.encode(message, outbound);
        } catch (Throwable e) {
            // Whatever the encoder wrote before it threw is taken back: the peer gets every
            // earlier message whole, then the close.
            outbound.rollback(mark);
            fail(listener, e);
            EventLoop.rethrowIfFatal(e);
            log.warn("{}: encoder refused a message; closing", this, e);
            closeGracefully(CloseReason.of(Kind.ENCODE_ERROR, e));
            return;
        }
        if (listener != null) {
            outbound.addListener(listener);
        }
        queued();
    }

    /**
     * Queues bytes already encoded as this connection's codec would encode a message: how a
     * connection group sends one encoding to many members. Bytes over 1 KiB are queued as they
     * are, shared with every other member, not copied (smaller ones are copied into the queue's
     * pooled chunk, which is cheaper than a queue entry of their own and joins them to the next
     * gathering write); so {@code bytes} must be read-only and never change. Its position is left
     * as it was. Loop thread only; a connection closed or half-closed drops them, as a
     * {@code write} would.
     */
    public final void writeEncoded(ByteBuffer bytes) {
        if (takesWrites(null)) {
            outbound.writeShared(bytes);
            queued();
        }
    }

    /** Whether a write may be queued now; if not, fails its listener with why. */
    private boolean takesWrites(WriteListener listener) {
        if (state != State.OPEN || outputShutdownRequested) {
            fail(listener, new ClosedConnectionException(state != State.OPEN
                    ? "connection is closed (" + reasonSoFar() + ")" : "connection output was shut down"));
            return false;
        }
        return true;
    }

    /** After a write was queued: enforce the limit, check the water mark, ask for a flush. */
    private void queued() {
        // The limit bounds memory, so file regions (which wait in their files) do not count
        // toward it; they do count toward the water marks, which tell the handler to stop writing.
        long buffered = outbound.pendingBufferedBytes();
        if (buffered > options.maxOutboundBytes()) {
            log.warn("{}: {} bytes buffered for a peer that does not read, over maxOutboundBytes = {}; closing",
                    this, buffered, options.maxOutboundBytes());
            closeNow(CloseReason.of(Kind.OUTBOUND_OVERFLOW, "outbound queue of " + buffered
                    + " bytes exceeds the limit maxOutboundBytes = " + options.maxOutboundBytes() + " bytes"), true);
            return;
        }
        long pending = outbound.pendingBytes() + transportHeldBytes();
        if (writable && pending > options.highWaterMark()) {
            setWritable(false);
        }
        requestFlush();
    }

    @Override
    public final void flush() {
        onLoop(this::flushNow);
    }

    private void requestFlush() {
        if (!flushScheduled && !waitingForWritable) {
            flushScheduled = true;
            loop().atCycleEnd(flushTask);
        }
    }

    private void flushScheduled() {
        flushScheduled = false;
        flushNow();
    }

    private void flushNow() {
        if (state == State.CLOSED || outbound.isEmpty() && !waitingForWritable && !transportHoldsOutput()) {
            return;
        }
        boolean drained;
        long before = outbound.pendingBytes() + transportHeldBytes();
        try {
            // The queue first (a TLS transport sends what it holds before taking more), then
            // what the transport still holds once the queue is empty.
            drained = outbound.writeTo(channel()) && flushTransport();
        } catch (FileEndedException e) {
            // Our file, not the peer: and with a reset, so the peer cannot take what it got for
            // a whole message.
            log.warn("{}: closing: {}", this, e.getMessage());
            closeNow(CloseReason.of(Kind.IO_ERROR, e), true);
            return;
        } catch (IOException e) {
            transportFailed(e);
            return;
        }
        long pending = outbound.pendingBytes() + transportHeldBytes();
        pendingPublished = pending;
        if (pending != before) {
            if (timers != null) {
                timers.written();
            }
            if (counters != null && pending < before) {
                counters.sent(before - pending);
            }
        }
        outbound.notifyListeners(); // what the transport held may have left since the last write
        if (state == State.CLOSED) {
            return; // a listener closed it
        }
        if (drained == waitingForWritable) {
            waitingForWritable = !drained;
            setWriteInterest(!drained);
        }
        // An empty queue counts as under the mark even when the mark is zero.
        pending = outbound.pendingBytes() + transportHeldBytes();
        if (!writable && (pending < options.lowWaterMark() || pending == 0)) {
            setWritable(true);
        }
        // Not just "drained": onWritabilityChanged(true) above may have queued more (and closed).
        if (drained && outbound.isEmpty() && !transportHoldsOutput() && state != State.CLOSED) {
            if (state == State.CLOSING) {
                closeNow(closingReason, false);
            } else if (outputShutdownRequested && !outputShutdown) {
                shutdownOutputNow();
            }
        }
    }

    /**
     * Turning unwritable stops reading before the handler hears of it, so nothing it is told of
     * runs ahead of the pause; turning writable reads again only after the handler has heard of
     * it, and only if it is still writable then (its {@code onWritabilityChanged(true)} may have
     * filled the queue again).
     */
    private void setWritable(boolean now) {
        writable = now;
        if (!now && options.readPausedWhileUnwritable()) {
            pausedByQueue = true;
            setReadInterest(false);
        }
        try {
            handler.onWritabilityChanged(this, now);
        } catch (Throwable t) {
            handlerFailed(t);
        }
        if (now && writable && pausedByQueue) {
            pausedByQueue = false;
            readAgainIfFree();
        }
    }

    // ---- closing ----

    @Override
    public final void close() {
        onLoop(this::closeOnLoop);
    }

    /**
     * {@link #close} on the loop thread: a peer that closed first makes it {@code PEER_CLOSED}, a
     * closing loop {@code LOOP_CLOSED}.
     */
    private void closeOnLoop() {
        if (inputClosed) {
            closeGracefully(CloseReason.of(Kind.PEER_CLOSED, "peer closed the connection"));
        } else if (loopClosing) {
            closeGracefully(CloseReason.of(Kind.LOOP_CLOSED, "event loop is closing"));
        } else {
            closeGracefully(CloseReason.of(Kind.LOCAL_CLOSE, "closed by this side"));
        }
    }

    /**
     * The loop is closing gracefully: the handler's {@code onLoopClosing} decides when to close (by
     * default at once, after what is queued). Loop thread only.
     */
    protected final void loopClosing() {
        if (state != State.OPEN) {
            return;
        }
        loopClosing = true;
        try {
            handler.onLoopClosing(this);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    @Override
    public final void abort() {
        Runnable abort = () -> closeNow(CloseReason.of(Kind.ABORTED, "aborted by this side"), true);
        onLoop(abort);
    }

    @Override
    public final void shutdownOutput() {
        Runnable shutdown = () -> {
            if (state != State.OPEN || outputShutdownRequested) {
                return;
            }
            outputShutdownRequested = true;
            if (outbound.isEmpty() && !transportHoldsOutput()) {
                shutdownOutputNow();
            } else {
                requestFlush();
            }
        };
        onLoop(shutdown);
    }

    private void shutdownOutputNow() {
        outputShutdown = true;
        try {
            shutdownTransportOutput();
        } catch (IOException e) {
            transportFailed(e);
            return;
        }
        if (inputClosed) {
            closeNow(CloseReason.of(Kind.PEER_CLOSED, "both directions closed"), false);
        }
    }

    /** Closes once the queue is empty (or at once if it is). Loop thread only. */
    protected final void closeGracefully(CloseReason reason) {
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        closingReason = reason;
        setReadInterest(false);
        if (outbound.isEmpty() && !transportHoldsOutput()) {
            closeNow(reason, false);
        } else {
            if (timers == null) {
                timers = new ConnectionTimers(this);
            }
            timers.closeStarted();
            requestFlush();
        }
    }

    /**
     * Closes at once with a reset, dropping what is queued, for {@code reason}: how a connection
     * group drops a member that fell behind. Loop thread only.
     */
    public final void abort(CloseReason reason) {
        closeNow(reason, true);
    }

    /** Closes at once, dropping what is queued. Loop thread only; a second call does nothing. */
    protected final void closeNow(CloseReason reason, boolean reset) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        if (counters != null) {
            counters.closed(reason);
        }
        closeTransport(reset);
        inbound.clear();
        outbound.discard(new ClosedConnectionException("connection closed (" + reason + ")"));
        pendingPublished = 0;
        if (timers != null) {
            timers.stop();
        }
        onTransportClosed();
        if (reason.kind() == Kind.LOCAL_CLOSE || reason.kind() == Kind.PEER_CLOSED) {
            log.debug("{}: closed: {}", this, reason);
        } else {
            log.debug("{}: closed: {}", this, reason, reason.cause());
        }
        if (handlerOpened) {
            try {
                handler.onClose(this, reason);
            } catch (Throwable t) {
                log.warn("{}: onClose threw", this, t);
            }
        }
        CompletableFuture<CloseReason> future = closeFuture;   // read after closeReason was written
        if (future != null) {
            future.complete(reason);
        }
    }

    // ---- reading control ----

    @Override
    public final void pauseReading() {
        Runnable pause = () -> {
            pausedByUser = true;
            setReadInterest(false);
        };
        onLoop(pause);
    }

    @Override
    public final void resumeReading() {
        Runnable resume = () -> {
            if (pausedByUser) {
                pausedByUser = false;
                readAgainIfFree();
            }
        };
        onLoop(resume);
    }

    /** Whether reading is held, by the user, by a full queue, or both. */
    private boolean readingHeld() {
        return pausedByUser || pausedByQueue;
    }

    /** Reads again once nothing holds reading: a user's pause and the queue's are released apart. */
    private void readAgainIfFree() {
        if (!readingHeld() && state == State.OPEN && !inputClosed) {
            setReadInterest(true);
            // Inside a decode loop the loop itself goes on; elsewhere, decode what waited.
            decodePending();
        }
    }

    // ---- queries ----

    @Override
    public final boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public final boolean isWritable() {
        return writable;
    }

    @Override
    public final long pendingOutboundBytes() {
        return inLoop() ? outbound.pendingBytes() + transportHeldBytes() : pendingPublished;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <T> T attr(AttributeKey<T> key) {
        Object[] pairs = attributes;
        if (pairs != null) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i] == key) {
                    return (T) pairs[i + 1];
                }
            }
        }
        return null;
    }

    @Override
    public final <T> void attr(AttributeKey<T> key, T value) {
        Object[] pairs = attributes;
        int free = -1;
        if (pairs != null) {
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i] == key) {
                    pairs[i] = value == null ? null : key;
                    pairs[i + 1] = value;
                    return;
                }
                if (pairs[i] == null && free < 0) {
                    free = i;
                }
            }
        }
        if (value == null) {
            return;
        }
        if (free < 0) {
            free = pairs == null ? 0 : pairs.length;
            attributes = pairs = pairs == null ? new Object[4] : Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[free] = key;
        pairs[free + 1] = value;
    }

    @Override
    public final Optional<ProxyHeader> proxyHeader() {
        return Optional.ofNullable(proxyHeader);
    }

    @Override
    public final Optional<SocketAddress> proxiedBy() {
        return Optional.ofNullable(proxiedBy);
    }

    @Override
    public final CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public final CompletableFuture<CloseReason> closeFuture() {
        CompletableFuture<CloseReason> future = closeFuture;
        if (future == null) {
            CompletableFuture<CloseReason> made = new CompletableFuture<>();
            future = (CompletableFuture<CloseReason>) CLOSE_FUTURE.compareAndExchange(this, null, made);
            if (future == null) {
                future = made;
            }
            // Written before closeReason is read: if the close read no future, this reads its reason.
            CloseReason reason = closeReason;
            if (reason != null) {
                future.complete(reason);
            }
        }
        return future;
    }

    // ---- helpers ----

    private String reasonSoFar() {
        CloseReason reason = closeReason != null ? closeReason : closingReason;
        return reason != null ? reason.toString() : "closing";
    }

    /** Whether the caller is on this connection's loop thread. */
    private boolean inLoop() {
        return loop().inEventLoop();
    }

    /** Runs {@code action} now on the loop thread, or hands it to the loop from elsewhere. */
    private void onLoop(Runnable action) {
        if (inLoop()) {
            action.run();
        } else {
            runInLoopQuietly(action);
        }
    }

    private void runInLoopQuietly(Runnable task) {
        try {
            loop().execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("{}: event loop terminated; nothing to do", this);
        }
    }

    /** A fatal error ends the loop; a stack overflow is one handler's bug, not fatal. */
    private static void fail(WriteListener listener, Throwable failure) {
        if (listener != null) {
            Listeners.notify(listener, failure);
        } else {
            log.debug("write failed: {}", failure.getMessage());
        }
    }
}
