package io.eddy.core.internal;

import io.eddy.core.loop.EventLoop;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How the TCP server and client keep each loop's count of open connections, which the loop's
 * public API only reads ({@code EventLoop.openConnections()}): a user must not be able to move it.
 * (The JDK's {@code SharedSecrets} in small, as {@link LoopDriving} is.)
 *
 * <p>A connection is counted on its loop from the moment it is handed to that loop, before it is
 * registered there, so a burst of accepts spread by a load-aware chooser sees each hand-off at
 * once; it is uncounted when it closes, or when the hand-off fails.
 *
 * <p>Threading: {@link #add} and the task it returns are thread-safe. The counter is set once, while {@code EventLoop} is
 * initialized, which has happened for any loop a caller can hold.
 */
public final class LoopConnections {

    /** What a loop offers for its count. */
    public interface Counter {
        void added(EventLoop loop);

        void removed(EventLoop loop);
    }

    private static volatile Counter counter;

    private LoopConnections() {
    }

    /** Called by {@code EventLoop}'s initializer, once. */
    public static void expose(Counter loops) {
        if (counter != null) {
            throw new IllegalStateException("the loop connection counter is already set");
        }
        counter = loops;
    }

    /**
     * Counts one more connection on {@code loop}, and returns what uncounts it: a task that may be
     * run any number of times, from any thread, and takes the connection off the count (then runs
     * {@code alsoOnRelease}, such as giving back a server's slot) only the first time.
     */
    public static Runnable add(EventLoop loop, Runnable alsoOnRelease) {
        counter.added(loop);
        return new Release(loop, alsoOnRelease);
    }

    /** Uncounts a connection the first time it runs: one object a connection keeps, its flag its own. */
    private static final class Release extends AtomicBoolean implements Runnable {
        private final EventLoop loop;
        private final Runnable alsoOnRelease;

        Release(EventLoop loop, Runnable alsoOnRelease) {
            this.loop = loop;
            this.alsoOnRelease = alsoOnRelease;
        }

        @Override
        public void run() {
            if (compareAndSet(false, true)) {
                counter.removed(loop);
                alsoOnRelease.run();
            }
        }
    }
}
