package io.eddy.core.loop;

/**
 * A task waiting in an {@link EventLoop}'s timer queue; the handle that cancels it.
 *
 * <p>Threading: {@link #cancel()} and {@link #isCancelled()} may be called from any thread. A task
 * cancelled before its deadline never runs; cancelling one that already ran does nothing.
 */
public final class ScheduledTask implements Comparable<ScheduledTask> {

    private final long deadlineNanos;
    private final long sequence;
    private final Runnable task;
    private final TimerQueue queue;
    private volatile boolean cancelled;
    private volatile boolean started;

    ScheduledTask(long deadlineNanos, long sequence, Runnable task, TimerQueue queue) {
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.task = task;
        this.queue = queue;
    }

    /**
     * Cancels the task.
     *
     * @return true if this call cancelled it, false if it was cancelled before
     */
    public boolean cancel() {
        if (cancelled) {
            return false;
        }
        cancelled = true;
        if (!started) {
            queue.onCancelled();
        }
        return true;
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** The deadline, in the loop's {@link TimeSource} nanoseconds. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** Marks the task as taken from the queue to run; a later cancel no longer counts as waste. */
    Runnable start() {
        started = true;
        return task;
    }

    @Override
    public int compareTo(ScheduledTask other) {
        // Deadlines compared by difference, so a wrapping nanoTime still orders correctly;
        // equal deadlines run in the order they were scheduled.
        long byDeadline = deadlineNanos - other.deadlineNanos;
        if (byDeadline != 0) {
            return byDeadline < 0 ? -1 : 1;
        }
        return Long.compare(sequence, other.sequence);
    }
}
