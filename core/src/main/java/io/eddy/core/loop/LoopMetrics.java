package io.eddy.core.loop;

import io.eddy.core.metrics.MetricFamily;
import java.util.List;

/**
 * A loop's figures as metric families, labelled {@code loop}: read from what the loop keeps
 * anyway ({@link EventLoop#stats()}'s parts), so registering them costs the loop nothing.
 *
 * <p>Threading: the readers are thread-safe, as the loop's figures are.
 */
final class LoopMetrics {

    private LoopMetrics() {
    }

    static List<MetricFamily> families(EventLoop loop) {
        String name = loop.name();
        return List.of(
                MetricFamily.gauge("eddy.loop.busy.ratio", null,
                                "Share of the last second the loop spent outside select (0 idle, 1 saturated).", "loop")
                        .series(loop::busyRatio, name).build(),
                MetricFamily.gauge("eddy.loop.connections", null,
                                "Connections the loop holds (or has been handed) and that have not closed.", "loop")
                        .series(loop::openConnections, name).build(),
                MetricFamily.gauge("eddy.loop.tasks.pending", null,
                                "Tasks handed to the loop with execute that it has not taken yet.", "loop")
                        .series(loop::pendingTasks, name).build(),
                MetricFamily.counter("eddy.loop.wakeups", null,
                                "Times the loop came back from select, each followed by one cycle.", "loop")
                        .series(loop::wakeups, name).build(),
                MetricFamily.counter("eddy.loop.stalls", null,
                                "Cycles the watchdog found holding the loop longer than its stall threshold.", "loop")
                        .series(loop::stallsReported, name).build());
    }
}
