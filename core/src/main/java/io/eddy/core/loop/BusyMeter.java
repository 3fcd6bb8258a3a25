package io.eddy.core.loop;

import java.util.concurrent.TimeUnit;

/**
 * How busy a loop has been lately: the share of wall time it spent outside {@code select}, over
 * windows of about a second.
 *
 * <p>Threading: {@link #selected} is called by the loop thread alone and keeps plain counters; a
 * finished window is published with one volatile write, so any thread may call {@link #ratio}.
 * The loop pays two clock reads per cycle and nothing else.
 */
final class BusyMeter {

    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private long windowStart;
    private long waitedInWindow;
    /** The last finished window: its ratio and when it ended. Written together, read together. */
    private volatile Window last;

    BusyMeter() {
        this(System.nanoTime());
    }

    /** A meter whose first window starts at {@code startNanos}. */
    BusyMeter(long startNanos) {
        this.windowStart = startNanos;
        this.last = new Window(0, startNanos);
    }

    private record Window(double ratio, long endNanos) {
    }

    /** The loop waited in {@code select} from {@code start} to {@code end}. Loop thread only. */
    void selected(long start, long end) {
        waitedInWindow += end - start;
        long length = end - windowStart;
        if (length >= WINDOW_NANOS) {
            double busy = 1.0 - (double) waitedInWindow / length;
            last = new Window(Math.min(1.0, Math.max(0.0, busy)), end);
            windowStart = end;
            waitedInWindow = 0;
        }
    }

    /**
     * The busy ratio of the last window, between 0 and 1. A loop that has not finished a window for
     * two windows is either asleep in one long {@code select} ({@code sleeping}: idle, 0) or held
     * by one long cycle (busy, 1), so a stale figure is never reported as fresh. Thread-safe.
     */
    double ratio(boolean sleeping) {
        Window window = last;
        if (System.nanoTime() - window.endNanos() > 2 * WINDOW_NANOS) {
            return sleeping ? 0.0 : 1.0;
        }
        return window.ratio();
    }
}
