package io.eddy.core.testing;

import io.eddy.core.internal.LoopDriving;
import io.eddy.core.loop.EventLoop;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A real {@link EventLoop} that the test drives from its own thread, in virtual time: it runs only
 * when the test says so, and its timers fire when the test moves its {@link ManualTimeSource}, never
 * when the wall clock gets there. Code under test uses the loop as it would any other
 * ({@code execute}, {@code schedule}, {@code atCycleEnd}, {@code nanoTime}, {@code inEventLoop},
 * {@link EventLoop#current()}); {@link TestChannel}s live on it instead of on sockets, and several
 * may share one loop, as the connections of one real loop do.
 *
 * <pre>{@code
 * var loop = new TestLoop();
 * var channel = TestChannel.of(loop, codec, handler, ConnectionOptions.defaults().withIdleTimeout(Duration.ofSeconds(30)));
 * loop.advance(Duration.ofSeconds(29));   // timers due by then run, each at its own deadline
 * assertTrue(channel.isOpen());
 * loop.advance(Duration.ofSeconds(1));
 * assertEquals(CloseReason.Kind.IDLE_TIMEOUT, channel.closeReason().kind());
 * }</pre>
 *
 * <p>A cycle is the real loop's: tasks handed in with {@code execute} (those queued so far), due
 * timers in deadline order, then end-of-cycle work such as each connection's flush.
 * {@link #runPendingTasks()} runs cycles until nothing is left to do at the current time; every
 * {@code TestChannel} call that hands the connection bytes or takes its output does too.
 *
 * <p><b>Threading.</b> The thread that makes a {@code TestLoop} is its loop thread, for good:
 * {@code inEventLoop()} is true there, so what the test calls on a connection runs at once, as a
 * handler's call would. Only that thread drives the loop. Other threads may hand work in
 * ({@code execute}, {@code schedule}, a connection's {@code write}: an asynchronous handler
 * completing on an executor); it waits for the test's next {@code runPendingTasks} or
 * {@code advance}. {@link EventLoop#current()} is this loop while it runs a cycle, and what it was
 * before in between, so the test's thread does not pass for a loop thread between two steps.
 * Closing the loop does not close the channels on it (they are not registered with a selector):
 * close them as a test needs.
 */
public final class TestLoop implements AutoCloseable {

    private final ManualTimeSource time;
    private final EventLoop loop;
    private final LoopDriving.Driver driver = LoopDriving.driver();

    /** A loop on the calling thread with a time source of its own, standing still until advanced. */
    public TestLoop() {
        this(new ManualTimeSource());
    }

    /**
     * A loop on the calling thread reading {@code time}, which the test may share with other
     * code under test (a clock for a header, another loop). Moving it directly is allowed: the
     * timers that became due run at the next {@link #runPendingTasks()}, all at that one instant.
     */
    public TestLoop(ManualTimeSource time) {
        this.time = Objects.requireNonNull(time, "time");
        // No watchdog: a test stopped in a debugger is not a stalled loop.
        this.loop = EventLoop.builder().name("test-loop").timeSource(time).stallThreshold(Duration.ZERO).build();
        driver.bindToCallingThread(loop);
    }

    /** The event loop itself, to hand to the code under test. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The time source the loop reads. */
    public ManualTimeSource time() {
        return time;
    }

    /**
     * Runs cycles until nothing is left to do at the current time: tasks handed in (from this
     * thread or others), the tasks those queue in turn, timers already due, end-of-cycle work.
     *
     * @throws IllegalStateException off the loop thread, or when work keeps coming without end
     */
    public void runPendingTasks() {
        driver.runUntilIdle(loop);
    }

    /**
     * Moves time forward by {@code duration}, stopping at each timer's deadline on the way to run
     * it, and what it causes, at that very time: a timer that arms another one within the
     * duration sees that one run too, and {@code nanoTime()} reads each timer's own deadline, as
     * on a loop that is never late. Pending tasks run first, so timers scheduled from other
     * threads are counted.
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + duration);
        }
        long left = duration.toNanos();
        runPendingTasks();
        long next;
        while (loop.isRunning() && (next = driver.nanosUntilNextTimer(loop)) >= 0 && next <= left) {
            time.advance(Duration.ofNanos(next));
            left -= next;
            runPendingTasks();
        }
        time.advance(Duration.ofNanos(left));
        runPendingTasks();
    }

    /** How long until the earliest timer waiting on the loop is due (zero if it is), or empty. */
    public Optional<Duration> nextTimerDelay() {
        long nanos = driver.nanosUntilNextTimer(loop);
        return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    /** Shuts the loop down and runs it until it has terminated. Loop thread only. */
    @Override
    public void close() {
        loop.shutdown(Duration.ZERO);
        runPendingTasks();
    }

    @Override
    public String toString() {
        return "TestLoop[" + loop + "]";
    }
}
