package io.eddy.core.internal;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Faults on command in the transport of a TCP connection, for tests: a read or a write that fails
 * at a chosen call (a reset, or the channel closed under the connection), writes that take only a
 * few bytes each, a reset once so many bytes have gone out (in the middle of a response), reads
 * that find nothing though the selector said there was something. A test {@link #install}s a plan
 * on a loop; every TCP connection that loop makes afterwards asks the plan for its faults (none
 * when it answers null), and its transport is wrapped in one that applies them. What a
 * connection's faults did, and why the connection closed, can then be read here.
 *
 * <p>A connection's transport is chosen once, when the connection is made, so a loop without a
 * plan pays nothing per read or write. The wrapper sits above TLS: its faults are in the
 * plaintext, as the connection sees its transport. With a plain socket, file regions go through
 * the wrapper with the JDK's copying {@code transferTo} instead of the socket's own.
 *
 * <p>Threading: {@link #install} and the handle it returns are thread-safe. A plan is asked on the
 * loop thread; a connection's faults are set before they are handed to it and applied on its loop
 * thread; {@link #firedAt()}, {@link #written()} and {@link #closed()} may be read from any thread.
 */
public final class TransportFaults {

    private static final Map<EventLoop, Function<SocketAddress, TransportFaults>> PLANS = new ConcurrentHashMap<>();

    /** The kinds of fault the randomized tests give connections, each with numbers drawn from their seed. */
    public enum Kind {
        /** None: the transport is wrapped, and counts, but nothing fails. */
        NONE,
        /** Every write takes at most a few bytes: the rest waits for the socket to be writable again. */
        SHORT_WRITES,
        /** Every other read finds nothing, as after a selector woken for nothing. */
        EMPTY_READS,
        /** The first or second read fails as a reset would. */
        FAIL_READ,
        /** The first or second read finds the channel closed under the connection. */
        CLOSE_UNDER_READ,
        /** One of the first three writes fails as a reset would. */
        FAIL_WRITE,
        /** A reset once part of the answers has gone out, in the middle of one, after writes of random sizes. */
        RESET_MID_ANSWER;

        /** Faults of this kind, their numbers drawn from {@code random}, for answers of {@code length} bytes in all. */
        public TransportFaults draw(Random random, long length) {
            TransportFaults faults = none();
            return switch (this) {
                case NONE -> faults;
                case SHORT_WRITES -> faults.shortWrites(1 + random.nextInt(7));
                case EMPTY_READS -> faults.emptyReads();
                case FAIL_READ -> faults.failRead(1 + random.nextInt(2));
                case CLOSE_UNDER_READ -> faults.closeUnderRead(1 + random.nextInt(2));
                case FAIL_WRITE -> faults.failWrite(1 + random.nextInt(3));
                case RESET_MID_ANSWER -> faults.resetAfter((long) (random.nextDouble() * length))
                        .shortWrites(1 + random.nextInt(4096));
            };
        }

        /** The reason a connection closes when faults of this kind fired. */
        public CloseReason.Kind closeReason() {
            return this == CLOSE_UNDER_READ ? CloseReason.Kind.IO_ERROR : CloseReason.Kind.PEER_RESET;
        }
    }

    private int failReadAt;
    private boolean readClosesUnder;
    private int failWriteAt;
    private int maxBytesPerWrite = Integer.MAX_VALUE;
    private long resetAfter = -1;
    private boolean emptyReads;

    private int reads;
    private int writes;
    private volatile long written;
    private volatile String firedAt;
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

    private TransportFaults() {
    }

    /**
     * From now on, every TCP connection {@code loop} makes asks {@code plan} for its faults, given
     * the address of its peer; null means none. Replaces an earlier plan of the loop.
     *
     * @return what takes the plan away again (connections already made keep their faults)
     */
    public static AutoCloseable install(EventLoop loop, Function<SocketAddress, TransportFaults> plan) {
        PLANS.put(loop, plan);
        return () -> PLANS.remove(loop, plan);
    }

    /** {@code transport} as {@code loop}'s plan wants it for a connection to {@code remote}. */
    static Transport wrap(EventLoop loop, SocketAddress remote, Transport transport) {
        if (PLANS.isEmpty()) {
            return transport;
        }
        Function<SocketAddress, TransportFaults> plan = PLANS.get(loop);
        TransportFaults faults = plan == null ? null : plan.apply(remote);
        return faults == null ? transport : new FaultyTransport(transport, faults);
    }

    /**
     * Wakes {@code loop}'s selector for nothing, and reports every key of it ready for nothing,
     * every millisecond from a thread of its own, until the returned handle is closed.
     */
    public static AutoCloseable wakeForNothing(EventLoop loop) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, loop.name() + "-woken-for-nothing");
            thread.setDaemon(true);
            return thread;
        });
        LoopTesting.Hooks hooks = LoopTesting.hooks();
        timer.scheduleAtFixedRate(() -> {
            hooks.wakeUp(loop);
            loop.execute(() -> hooks.reportEveryKeyReady(loop));
        }, 0, 1, TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** Faults to configure; none yet (the connection is wrapped, and counts its calls, but nothing fails). */
    public static TransportFaults none() {
        return new TransportFaults();
    }

    /** Read call {@code call} (from 1; every call counts, one that finds nothing or the end included) fails as a reset would. */
    public TransportFaults failRead(int call) {
        failReadAt = positive(call);
        return this;
    }

    /** Read call {@code call} finds the channel closed under the connection: the connection's own I/O error. */
    public TransportFaults closeUnderRead(int call) {
        failReadAt = positive(call);
        readClosesUnder = true;
        return this;
    }

    /** Write call {@code call} (from 1) fails as a reset would, before it writes anything. */
    public TransportFaults failWrite(int call) {
        failWriteAt = positive(call);
        return this;
    }

    /** Every write takes at most {@code bytes} bytes, however many it is offered. */
    public TransportFaults shortWrites(int bytes) {
        maxBytesPerWrite = positive(bytes);
        return this;
    }

    /**
     * Once {@code bytes} bytes have been written, the connection is reset: the write that reaches
     * that count writes up to it and fails, and so does every later one.
     */
    public TransportFaults resetAfter(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a byte count is not negative: " + bytes);
        }
        resetAfter = bytes;
        return this;
    }

    /** Every other read (the first included) finds nothing, as after a selector that woke for nothing. */
    public TransportFaults emptyReads() {
        emptyReads = true;
        return this;
    }

    /** What failed, and at which call, or null while nothing has. */
    public String firedAt() {
        return firedAt;
    }

    /** Bytes the connection wrote through these faults so far (plaintext, under TLS). */
    public long written() {
        return written;
    }

    /** Completed with the reason the connection closed, once it has. */
    public CompletableFuture<CloseReason> closed() {
        return closed;
    }

    // ---- applied by FaultyTransport, on the loop thread ----

    /**
     * Before a read: throws the read's fault, if this is its call.
     *
     * @return true when the read should find nothing
     */
    boolean beforeRead() throws IOException {
        reads++;
        if (reads == failReadAt) {
            firedAt = (readClosesUnder ? "channel closed under read " : "reset at read ") + reads;
            throw readClosesUnder ? new ClosedChannelException() : new IOException("Connection reset by peer (injected)");
        }
        return emptyReads && reads % 2 == 1;
    }

    /**
     * Before a write of {@code offered} bytes: throws the write's fault, if this is its call.
     *
     * @return how many of them the write may take
     */
    long beforeWrite(long offered) throws IOException {
        writes++;
        if (writes == failWriteAt) {
            firedAt = "reset at write " + writes;
            throw new IOException("Connection reset by peer (injected)");
        }
        if (resetAfter >= 0 && written >= resetAfter && offered > 0) {
            firedAt = "reset after " + resetAfter + " bytes";
            throw new IOException("Connection reset by peer (injected after " + resetAfter + " bytes)");
        }
        long allowed = Math.min(offered, maxBytesPerWrite);
        return resetAfter >= 0 ? Math.min(allowed, resetAfter - written) : allowed;
    }

    /**
     * After a write that took {@code bytes}: the reset, when that reached its count with more
     * offered than it took.
     */
    void afterWrite(long bytes, boolean moreOffered) throws IOException {
        written = written + bytes; // one writer: the loop thread
        if (resetAfter >= 0 && written >= resetAfter && moreOffered) {
            firedAt = "reset after " + resetAfter + " bytes";
            throw new IOException("Connection reset by peer (injected after " + resetAfter + " bytes)");
        }
    }

    void closed(CloseReason reason) {
        closed.complete(reason);
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("counts start at 1: " + n);
        }
        return n;
    }
}
