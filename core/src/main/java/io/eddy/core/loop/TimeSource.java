package io.eddy.core.loop;

/**
 * Where an {@link EventLoop} reads the time: a monotonic nanosecond counter for its timers, and
 * the wall clock for what goes on the wire as a date (an HTTP {@code Date} header).
 *
 * <p>The default is {@link System#nanoTime()}. Tests inject a manual source
 * ({@code io.eddy.core.testing.ManualTimeSource}) so that timeouts fire when the test says so, not
 * when the wall clock happens to get there.
 *
 * <p>Threading: called on the loop thread, and from any thread that schedules a timer; an
 * implementation must be thread-safe.
 */
@FunctionalInterface
public interface TimeSource {

    /** A monotonic time in nanoseconds; only differences between two readings mean anything. */
    long nanoTime();

    /**
     * The wall-clock time in milliseconds since the epoch, for dates sent to peers; never for
     * measuring intervals (it may jump). By default the system's clock.
     */
    default long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    /** The system's monotonic clock, and its wall clock. */
    static TimeSource system() {
        return System::nanoTime;
    }
}
