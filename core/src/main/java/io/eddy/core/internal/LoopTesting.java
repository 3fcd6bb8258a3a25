package io.eddy.core.internal;

import io.eddy.core.loop.EventLoop;

/**
 * What tests may see of a running {@link EventLoop}, and do to it, beyond its public API: count
 * its registered keys and live timers (for leak checks, {@link LoopLedger}), and wake it for
 * nothing (fault injection, {@link TransportFaults}). (The JDK's {@code SharedSecrets} in small,
 * as {@link LoopDriving} is.)
 *
 * <p>Threading: set once, while {@code EventLoop} is initialized, which has happened for any loop
 * a caller can hold; each hook says on which thread it may be called.
 */
public final class LoopTesting {

    /** What a loop offers tests. */
    public interface Hooks {

        /** Keys registered with the loop's selector, cancelled ones not yet deregistered included. Loop thread only. */
        int registeredKeys(EventLoop loop);

        /** Timers waiting that are not cancelled. Loop thread only. */
        int liveTimers(EventLoop loop);

        /** Wakes the loop's selector with nothing to do: no task, no timer, no ready channel. Any thread. */
        void wakeUp(EventLoop loop);

        /**
         * Tells the handler of every valid key that its channel is ready for all it waits for, as a
         * selector that woke for nothing would: the handlers must find out for themselves that
         * nothing is there. A handler that throws is closed, as in a real cycle. Loop thread only.
         */
        void reportEveryKeyReady(EventLoop loop);
    }

    private static volatile Hooks hooks;

    private LoopTesting() {
    }

    /** Called by {@code EventLoop}'s initializer, once. */
    public static void expose(Hooks loops) {
        if (hooks != null) {
            throw new IllegalStateException("the loop's test hooks are already set");
        }
        hooks = loops;
    }

    /** The hooks, once {@code EventLoop} is initialized. */
    public static Hooks hooks() {
        return hooks;
    }
}
