package io.eddy.http.client;

import io.eddy.core.metrics.LoopCounters;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.Metrics;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * An {@link HttpClient}'s pool figures on one loop, summed over that loop's origin pools:
 * connections open (or opening), connections idle, calls waiting for a connection, and calls
 * refused because the pool was full. Origins are not labels (a client may call any number of
 * them); the labels are the client's name and the loop.
 *
 * <p>Threading: the pools of the loop write ({@link #add}, {@link #refused}) on their loop's
 * thread; the families read from any thread.
 */
final class PoolFigures {

    static final int OPEN = 0;
    static final int IDLE = 1;
    static final int WAITING = 2;
    private static final int REFUSED = 3;

    private final LoopCounters counters = new LoopCounters(4);

    /** Loop thread: a level ({@link #OPEN}, {@link #IDLE}, {@link #WAITING}) changed by {@code delta}. */
    void add(int level, int delta) {
        if (delta != 0) {
            counters.add(level, delta);
        }
    }

    /** Loop thread: a call failed at once because every connection was busy and the queue was full. */
    void refused() {
        counters.increment(REFUSED);
    }

    long get(int figure) {
        return counters.get(figure);
    }

    /** The families of a client's figures: one series per loop, labelled {@code client} and {@code loop}. */
    static List<MetricFamily> families(String client, List<String> loops, List<PoolFigures> figures) {
        MetricFamily.Builder open = MetricFamily.gauge("eddy.http.client.connections.open", null,
                "Connections of the client's pools open or being opened.", "client", "loop");
        MetricFamily.Builder idle = MetricFamily.gauge("eddy.http.client.connections.idle", null,
                "Connections of the client's pools kept alive, waiting for a request.", "client", "loop");
        MetricFamily.Builder waiting = MetricFamily.gauge("eddy.http.client.requests.waiting", null,
                "Requests waiting for a connection (every connection to their origin busy).", "client", "loop");
        MetricFamily.Builder refused = MetricFamily.counter("eddy.http.client.requests.refused", null,
                "Requests failed at once because every connection was busy and too many waited (POOL_FULL).",
                "client", "loop");
        for (int i = 0; i < figures.size(); i++) {
            PoolFigures f = figures.get(i);
            String loop = loops.get(i);
            open.series(read(f, OPEN), client, loop);
            idle.series(read(f, IDLE), client, loop);
            waiting.series(read(f, WAITING), client, loop);
            refused.series(read(f, REFUSED), client, loop);
        }
        return List.of(open.build(), idle.build(), waiting.build(), refused.build());
    }

    /** Registers {@code figures} with {@code metrics}, or returns null when metrics are off. */
    static Metrics.Registration register(Metrics metrics, String client, List<String> loops, List<PoolFigures> figures) {
        return metrics.isEnabled() ? metrics.register(families(client, loops, figures)) : null;
    }

    private static DoubleSupplier read(PoolFigures figures, int figure) {
        return () -> figures.get(figure);
    }
}
