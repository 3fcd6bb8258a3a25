package io.eddy.core.loop;

import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loop's timers, ordered by deadline. Loop thread only, except {@link #newTask} and
 * {@link #onCancelled()}.
 *
 * <p>Cancelled tasks are removed lazily when they reach the head, and purged in one pass when they
 * make up most of the queue, so a connection that re-arms a timer on every request cannot grow it.
 */
final class TimerQueue {

    private static final int PURGE_MIN_SIZE = 64;

    private final PriorityQueue<ScheduledTask> tasks = new PriorityQueue<>();
    private final AtomicInteger cancelledCount = new AtomicInteger();
    private final AtomicLong nextSequence = new AtomicLong();

    ScheduledTask newTask(long deadlineNanos, Runnable task) {
        return new ScheduledTask(deadlineNanos, nextSequence.getAndIncrement(), task, this);
    }

    void add(ScheduledTask task) {
        if (!task.isCancelled()) {
            tasks.add(task);
        }
        if (cancelledCount.get() > PURGE_MIN_SIZE && cancelledCount.get() > tasks.size() / 2) {
            purgeCancelled();
        }
    }

    void onCancelled() {
        cancelledCount.incrementAndGet();
    }

    /** Nanoseconds until the earliest live deadline (0 if due), or -1 when there is none. */
    long nanosUntilNext(long now) {
        ScheduledTask head = peekLive();
        if (head == null) {
            return -1;
        }
        return Math.max(0, head.deadlineNanos() - now);
    }

    /** Removes and returns the earliest live task if it is due at {@code now}, else null. */
    ScheduledTask pollDue(long now) {
        ScheduledTask head = peekLive();
        if (head == null || head.deadlineNanos() - now > 0) {
            return null;
        }
        return tasks.poll();
    }

    /** Tasks waiting that are not cancelled: what a test compares before and after. */
    int live() {
        int live = 0;
        for (ScheduledTask task : tasks) {
            if (!task.isCancelled()) {
                live++;
            }
        }
        return live;
    }

    void clear() {
        tasks.clear();
    }

    private ScheduledTask peekLive() {
        ScheduledTask head = tasks.peek();
        while (head != null && head.isCancelled()) {
            tasks.poll();
            cancelledCount.updateAndGet(count -> count > 0 ? count - 1 : 0);
            head = tasks.peek();
        }
        return head;
    }

    private void purgeCancelled() {
        tasks.removeIf(ScheduledTask::isCancelled);
        // Reset rather than subtract: the count is an estimate (a cancel can race with a run).
        cancelledCount.set(0);
    }
}
