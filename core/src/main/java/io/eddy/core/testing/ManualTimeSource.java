package io.eddy.core.testing;

import io.eddy.core.loop.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when a test says so, so timeout tests are deterministic.
 * Its wall clock starts at a fixed instant (or one the test gives) and moves with it, so a date
 * written on the wire is known in advance.
 *
 * <pre>{@code
 * var time = new ManualTimeSource();
 * var loop = EventLoop.builder().timeSource(time).start();
 * ...
 * time.advance(Duration.ofSeconds(31));
 * loop.execute(() -> {});   // wake the loop so it looks at its timers
 * }</pre>
 *
 * <p>Threading: thread-safe.
 */
public final class ManualTimeSource implements TimeSource {

    /** The wall clock's start when a test gives none: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_WALL_CLOCK_START = Instant.parse("2026-01-01T00:00:00Z");

    private static final long START_NANOS = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(START_NANOS);
    private final long wallClockStartMillis;

    /** A time source standing still, its wall clock at {@link #DEFAULT_WALL_CLOCK_START}. */
    public ManualTimeSource() {
        this(DEFAULT_WALL_CLOCK_START);
    }

    /** A time source standing still, its wall clock at {@code wallClockStart}. */
    public ManualTimeSource(Instant wallClockStart) {
        this.wallClockStartMillis = wallClockStart.toEpochMilli();
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** The wall clock: its start plus however far the time has been moved. */
    @Override
    public long currentTimeMillis() {
        return wallClockStartMillis + (now.get() - START_NANOS) / 1_000_000;
    }

    /** Moves the time (and the wall clock with it) forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        now.addAndGet(duration.toNanos());
    }
}
