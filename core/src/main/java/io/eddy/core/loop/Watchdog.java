package io.eddy.core.loop;

import io.eddy.core.internal.jfr.FlightEvents;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns, with the loop thread's stack, when a handler or task holds an event loop longer than its
 * threshold: blocking code on a loop stalls every connection on it, so it must be found at once.
 *
 * <p>One daemon thread, {@code eddy-watchdog}, started with the first watched loop, looks at every
 * loop a few times per threshold. It only reads a timestamp the loop publishes each cycle, so it
 * costs the loop two volatile writes per cycle (cycle start, cycle end) and nothing else.
 */
final class Watchdog {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
    private static final CopyOnWriteArrayList<EventLoop> watched = new CopyOnWriteArrayList<>();
    private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static volatile long periodNanos = TimeUnit.MILLISECONDS.toNanos(50);
    private static Thread thread;

    private Watchdog() {
    }

    static synchronized void watch(EventLoop loop) {
        // Look a few times per threshold so a stall is reported soon after it crosses the line.
        periodNanos = Math.max(MIN_PERIOD_NANOS, Math.min(periodNanos, loop.stallThresholdNanos() / 4));
        watched.add(loop);
        if (thread == null) {
            thread = new Thread(Watchdog::run, "eddy-watchdog");
            thread.setDaemon(true);
            thread.start();
        }
    }

    static void unwatch(EventLoop loop) {
        watched.remove(loop);
    }

    private static void run() {
        while (true) {
            long now = System.nanoTime();
            for (EventLoop loop : watched) {
                check(loop, now);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(periodNanos);
        }
    }

    private static void check(EventLoop loop, long now) {
        long busySince = loop.busySinceNanos();
        if (busySince == 0 || now - busySince < loop.stallThresholdNanos()) {
            return;
        }
        if (!loop.markStallReported(busySince)) {
            return;
        }
        Thread loopThread = loop.thread();
        if (loopThread == null) {
            return;
        }
        StringBuilder stack = new StringBuilder();
        for (StackTraceElement frame : loopThread.getStackTrace()) {
            stack.append("\n\tat ").append(frame);
        }
        log.warn("Event loop '{}' has been busy for {} ms in one cycle (threshold {} ms): "
                        + "a handler or task is blocking it. Loop thread stack:{}",
                loop.name(), TimeUnit.NANOSECONDS.toMillis(now - busySince),
                TimeUnit.NANOSECONDS.toMillis(loop.stallThresholdNanos()), stack);
        FlightEvents.loopStall(loop.name(), now - busySince, loop.stallThresholdNanos(), stack.toString().strip());
        loop.onStall(now - busySince);
    }
}
