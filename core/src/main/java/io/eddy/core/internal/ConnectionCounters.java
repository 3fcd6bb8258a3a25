package io.eddy.core.internal;

import io.eddy.core.metrics.LoopCounters;
import io.eddy.core.net.CloseReason;

/**
 * What a TCP server counts on one loop, for its metrics: connections accepted there, bytes its
 * connections there read and wrote, their decode errors and closes by reason. Made only when the
 * server has metrics; a connection without them holds null and counts nothing.
 *
 * <p>Threading: written by its loop's thread alone; read by any ({@link LoopCounters}).
 */
public final class ConnectionCounters {

    /** Connections the server's listener on this loop accepted and placed (on any loop). */
    public static final int ACCEPTED = 0;
    /** Bytes read by this loop's connections (TLS: the plaintext). */
    public static final int RECEIVED = 1;
    /** Bytes this loop's connections handed to their sockets (TLS: the plaintext). */
    public static final int SENT = 2;
    /** Decode errors that closed one of this loop's connections. */
    public static final int DECODE_ERRORS = 3;
    private static final int CLOSED = 4;
    private static final CloseReason.Kind[] KINDS = CloseReason.Kind.values();

    private final LoopCounters counters = new LoopCounters(CLOSED + KINDS.length);

    /** The counter of closes for {@code kind}, for {@link #get}. */
    public static int closed(CloseReason.Kind kind) {
        return CLOSED + kind.ordinal();
    }

    void received(long bytes) {
        counters.add(RECEIVED, bytes);
    }

    void sent(long bytes) {
        counters.add(SENT, bytes);
    }

    void decodeError() {
        counters.increment(DECODE_ERRORS);
    }

    void closed(CloseReason reason) {
        counters.increment(closed(reason.kind()));
    }

    /** A listener on this loop accepted a connection. Loop thread only. */
    public void accepted() {
        counters.increment(ACCEPTED);
    }

    /** Counter {@code index} ({@link #ACCEPTED}, {@link #closed(CloseReason.Kind)}, ...). Any thread. */
    public long get(int index) {
        return counters.get(index);
    }
}
