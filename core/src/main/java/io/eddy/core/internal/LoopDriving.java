package io.eddy.core.internal;

import io.eddy.core.loop.EventLoop;

/**
 * How the in-memory test loop ({@code io.eddy.core.testing.TestLoop}) drives an {@link EventLoop}
 * from a test's own thread, one cycle at a time and in virtual time, which the loop's public API
 * does not offer: an application runs a loop with {@code run()} or {@code start()}, never by the
 * cycle. (The JDK's {@code SharedSecrets} in small, as {@link FileRegionAccess} is.)
 *
 * <p>Threading: set once, while {@code EventLoop} is initialized; {@link #driver()} makes sure
 * that has happened. Each driver method says on which thread it may be called.
 */
public final class LoopDriving {

    /** What a loop offers the thread that drives it. */
    public interface Driver {

        /**
         * Makes the calling thread the loop thread of {@code loop}, which was never run; it runs
         * only when that thread drives it.
         *
         * @throws IllegalStateException if the loop was already started or shut down
         */
        void bindToCallingThread(EventLoop loop);

        /**
         * Runs cycles without sleeping until no task is queued and no timer is due at the loop's
         * current time. Loop thread only; a loop that has terminated does nothing.
         */
        void runUntilIdle(EventLoop loop);

        /** Nanoseconds until the earliest timer (0 if due), or -1 when none waits. Loop thread only. */
        long nanosUntilNextTimer(EventLoop loop);
    }

    private static volatile Driver driver;

    private LoopDriving() {
    }

    /** Called by {@code EventLoop}'s initializer, once. */
    public static void expose(Driver loops) {
        if (driver != null) {
            throw new IllegalStateException("the loop driver is already set");
        }
        driver = loops;
    }

    /** The driver, once {@code EventLoop} is initialized (which this makes sure of). */
    public static Driver driver() {
        if (driver == null) {
            try {
                Class.forName(EventLoop.class.getName(), true, EventLoop.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("EventLoop cannot be loaded", e);
            }
        }
        return driver;
    }
}
