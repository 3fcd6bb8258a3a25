package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.HistogramSnapshot;
import io.eddy.core.metrics.LoopCounters;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP server's figures per route: requests by status class and, when asked for, their latency
 * in fixed buckets. A route is named by its method and pattern as written ({@code GET},
 * {@code /users/{id}}), never by the path requested, so the series are as many as the routes, not
 * as the URLs clients invent. Two rows more: {@code unmatched} (answered 404, 405 or 501 by the
 * router) and {@code invalid} (refused before routing: malformed, too large, timed out).
 *
 * <p>Each loop counts into its own {@link LoopCounters} ({@link #onLoop}); a reader sums them.
 * Latency runs from the request's head to its response's last byte handed to the connection (the
 * head, for a streamed body, its end).
 *
 * <p>Threading: {@link #onLoop} from a loop thread (a pipeline is made there); a
 * {@link Recorder} on its loop's thread only; the families are read by any thread.
 */
final class RouteMetrics {

    /** The buckets' upper bounds in seconds: a millisecond-scale service's range, 0.5 ms to 10 s. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];
    private static final String[] CLASSES = {"2xx", "3xx", "4xx", "5xx"};
    private static final String ANY = "any";

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    private final boolean histogram;
    private final int routes;
    /** Counters per route row: the status classes, then (with the histogram) its buckets and sum. */
    private final int stride;
    private final List<LoopCounters> loops = new CopyOnWriteArrayList<>();
    private final List<Router.Route> routeList;
    private volatile Metrics.Registration registration;

    RouteMetrics(Router router, boolean histogram) {
        this.histogram = histogram;
        this.routeList = List.copyOf(router.routes());
        this.routes = routeList.size();
        this.stride = CLASSES.length + (histogram ? BOUNDS.length + 2 : 0);
    }

    /** Registers the families, labelled {@code server}; counting may have begun already. */
    RouteMetrics register(Metrics metrics, String server) {
        this.registration = metrics.register(families(server, routeList));
        return this;
    }

    /** A new loop's recorder (one per pipeline, so per loop). */
    Recorder onLoop(EventLoop loop) {
        LoopCounters counters = new LoopCounters(stride * (routes + 2));
        loops.add(counters);
        return new Recorder(loop, counters);
    }

    void close() {
        Metrics.Registration registered = registration;
        if (registered != null) {
            registered.close();
        }
    }

    private int unmatched() {
        return routes;
    }

    private int invalid() {
        return routes + 1;
    }

    private List<MetricFamily> families(String server, List<Router.Route> routeList) {
        List<String[]> rows = new ArrayList<>();
        for (Router.Route route : routeList) {
            // A WebSocket route shares GET and its path with a page that may stand beside it: its
            // handshakes are told apart by the method label.
            rows.add(new String[] {route.websocket() != null ? "WEBSOCKET" : route.method(), route.pattern().text()});
        }
        rows.add(new String[] {ANY, "unmatched"});
        rows.add(new String[] {ANY, "invalid"});
        MetricFamily.Builder requests = MetricFamily.counter("eddy.http.server.requests", null,
                "Requests answered, by route (its pattern, or unmatched, or invalid) and status class.",
                "server", "method", "route", "status");
        for (int row = 0; row < rows.size(); row++) {
            for (int c = 0; c < CLASSES.length; c++) {
                int index = row * stride + c;
                requests.series(() -> LoopCounters.sum(loops, index), server, rows.get(row)[0], rows.get(row)[1], CLASSES[c]);
            }
        }
        List<MetricFamily> families = new ArrayList<>(List.of(requests.build()));
        if (histogram) {
            MetricFamily.Builder latency = MetricFamily.histogram("eddy.http.server.request.duration", "seconds",
                    "Time from a request's head to its response's last byte queued, by route.", "server", "method", "route");
            for (int row = 0; row < rows.size(); row++) {
                int base = row * stride + CLASSES.length;
                latency.histogramSeries(() -> snapshot(base), server, rows.get(row)[0], rows.get(row)[1]);
            }
            families.add(latency.build());
        }
        return families;
    }

    private HistogramSnapshot snapshot(int base) {
        long[] counts = new long[BOUNDS.length + 1];
        for (int b = 0; b < counts.length; b++) {
            counts[b] = LoopCounters.sum(loops, base + b);
        }
        double sumSeconds = LoopCounters.sum(loops, base + BOUNDS.length + 1) / 1e9;
        return new HistogramSnapshot(BOUNDS.clone(), counts, sumSeconds);
    }

    /** Counts one loop's exchanges. Threading: its loop's thread only. */
    final class Recorder {
        private final EventLoop loop;
        private final LoopCounters counters;

        private Recorder(EventLoop loop, LoopCounters counters) {
            this.loop = loop;
            this.counters = counters;
        }

        /** Whether exchanges must note when they start (for the histogram). */
        boolean timed() {
            return histogram;
        }

        /** {@code exchange} is done: its response is handed to the connection. */
        void finished(Exchange exchange, int status) {
            int row = exchange.route != null ? exchange.route.index() : exchange.request == null ? invalid() : unmatched();
            int base = row * stride;
            // A status above 599 has no class a client knows (RFC 9110 §15): counted with 5xx.
            counters.increment(base + Math.min(Math.max(status / 100, 2), 5) - 2);
            if (histogram) {
                long nanos = Math.max(0, loop.nanoTime() - exchange.startNanos);
                int bucket = 0;
                while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
                    bucket++;
                }
                counters.increment(base + CLASSES.length + bucket);
                counters.add(base + CLASSES.length + BOUNDS.length + 1, nanos);
            }
        }
    }
}
