package io.eddy.core.loop;

/**
 * Where an {@link EventLoop} reads the time for its timers: a monotonic nanosecond counter.
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

    /** The system's monotonic clock. */
    static TimeSource system() {
        return System::nanoTime;
    }
}
