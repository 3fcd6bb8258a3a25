package io.eddy.core.loop;

import java.util.List;

/**
 * Picks the loop of a group that a new connection goes to. The group asks it for every connection
 * a server accepts (in the default accept mode) and every connection a client opens; the
 * connection then lives on that loop for life.
 *
 * <p>A custom chooser is a lambda over the loops and their figures
 * ({@link EventLoop#openConnections()}, {@link EventLoop#busyRatio()},
 * {@link EventLoop#pendingTasks()}, {@link EventLoop#stallsReported()}):
 *
 * <pre>{@code
 * LoopChooser leastBusy = loops -> Collections.min(loops, Comparator.comparingDouble(EventLoop::busyRatio));
 * }</pre>
 *
 * <p><b>Threading.</b> {@link #choose} may be called from several threads at once (the loops that
 * accept, the threads that connect), so a chooser must be thread-safe; it must not block, and it
 * must return one of the loops it is given.
 */
@FunctionalInterface
public interface LoopChooser {

    /**
     * The loop for the next connection.
     *
     * @param loops the group's loops, in the group's order; never empty
     */
    EventLoop choose(List<EventLoop> loops);

    /**
     * The default: the loop with the fewest open connections, ties broken round robin among the
     * least. It follows the load that stays (long-lived connections, clients that reconnect),
     * which a blind rotation drifts away from. Each call makes a chooser of its own.
     */
    static LoopChooser leastConnections() {
        return new LeastConnections();
    }

    /** Each loop in turn, whatever it holds. Each call makes a chooser of its own. */
    static LoopChooser roundRobin() {
        return new RoundRobin();
    }
}
