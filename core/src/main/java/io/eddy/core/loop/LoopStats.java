package io.eddy.core.loop;

/**
 * A snapshot of one loop's figures, as {@link EventLoop#stats()} read them: what a
 * {@link LoopChooser} weighs and what an operator watches.
 *
 * <p>Each figure is read on its own from the loop's published counters, so a snapshot is
 * consistent figure by figure, not as a whole. Immutable; safe to share.
 *
 * @param name            the loop's name
 * @param openConnections connections the loop holds or has been handed and not yet closed
 * @param busyRatio       share of recent wall time spent outside {@code select} (0 idle, 1 saturated)
 * @param pendingTasks    tasks handed in with {@code execute} and not yet taken by the loop
 * @param stalls          cycles the watchdog reported as holding the loop too long
 * @param wakeups         returns from {@code select} since the loop started: its cycles
 */
public record LoopStats(String name, int openConnections, double busyRatio, long pendingTasks, long stalls,
                        long wakeups) {
}
