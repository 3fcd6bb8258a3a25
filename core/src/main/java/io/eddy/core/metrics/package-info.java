/**
 * Eddy's figures, for operators: what the loops, servers and endpoints report, read when someone
 * asks (a Prometheus scrape, a Micrometer registry, a status page), never pushed.
 *
 * <p>An endpoint is given a {@link io.eddy.core.metrics.Metrics} by its builder's
 * {@code metrics(..)}; the default, {@link io.eddy.core.metrics.Metrics#none()}, keeps nothing, and
 * an endpoint without metrics pays one null check per event it would count. With a
 * {@link io.eddy.core.metrics.MetricRegistry}, an endpoint registers its
 * {@link io.eddy.core.metrics.MetricFamily figures} once when it starts: readers of counters it
 * keeps anyway (a loop's busy ratio, a server's open connections), and per-loop
 * {@link io.eddy.core.metrics.LoopCounters} for what it counts only when asked (bytes, closes by
 * reason, requests by route). {@link io.eddy.core.metrics.PrometheusText} writes a registry in
 * Prometheus' text format.
 *
 * <p>This package depends on nothing else of Eddy, so every other package may count into it.
 */
package io.eddy.core.metrics;
