package io.eddy.bench;

import java.io.IOException;
import java.util.Deque;

/**
 * The timetable of an open-loop load: request {@code n} is due at {@code start + n / rate}, whatever
 * happened to the ones before it. {@link #dispatch} hands each due request to a free connection; a
 * request that comes due while every connection still waits for an answer is not sent, and is
 * counted, so a server that falls behind shows as requests not sent rather than as a rate quietly
 * lowered to what it managed (the coordinated omission of closed-loop load).
 *
 * <p>Times are {@link System#nanoTime} values passed in by the caller, so the arithmetic is tested
 * without a clock. Threading: one thread, the load generator's.
 */
final class Schedule {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Sends one request on a connection; {@code dueAt} is when it was scheduled, for its latency. */
    @FunctionalInterface
    interface Sender<C> {
        void send(C connection, long dueAt) throws IOException;
    }

    private final long ratePerSecond;
    private final long startNanos;
    private long next;
    private long unsent;

    /** A timetable of {@code ratePerSecond} requests a second, the first due at {@code startNanos}. */
    Schedule(long ratePerSecond, long startNanos) {
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("a rate is at least 1 request a second: " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.startNanos = startNanos;
    }

    /** When request {@code n} (from 0) is due. */
    long dueAt(long n) {
        // Computed from the start each time, not by adding an interval, so rounding never accumulates.
        return startNanos + Math.multiplyExact(n, NANOS_PER_SECOND) / ratePerSecond;
    }

    /** When the next request not yet dispatched is due. */
    long nextDue() {
        return dueAt(next);
    }

    /** Requests that came due so far, sent or not. */
    long scheduled() {
        return next;
    }

    /** Requests that came due while no connection was free. */
    long unsent() {
        return unsent;
    }

    /**
     * Dispatches every request due by {@code now}, in order: each goes to the connection taken from
     * the head of {@code free}, or, when {@code free} is empty, is counted as not sent. Returns how
     * many were sent. The caller puts a connection back into {@code free} once it has its answer.
     */
    <C> int dispatch(long now, Deque<C> free, Sender<C> sender) throws IOException {
        int sent = 0;
        while (dueAt(next) <= now) {
            long due = dueAt(next++);
            C connection = free.pollFirst();
            if (connection == null) {
                unsent++;
            } else {
                sender.send(connection, due);
                sent++;
            }
        }
        return sent;
    }
}
