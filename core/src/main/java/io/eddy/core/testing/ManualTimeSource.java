package io.eddy.core.testing;

import io.eddy.core.loop.TimeSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when a test says so, so timeout tests are deterministic.
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

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    /** A time source standing still at an arbitrary start. */
    public ManualTimeSource() {
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /** Moves the time forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        now.addAndGet(duration.toNanos());
    }
}
