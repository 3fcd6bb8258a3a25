package io.eddy.core.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Metrics} that keeps what endpoints register, for whoever reads it: {@link #collect()}
 * for a status page, {@link #prometheusText()} (or {@code PrometheusHandler} in {@code eddy-http})
 * for a Prometheus scrape, {@link #listen} for a binding such as {@code eddy-micrometer}'s.
 *
 * <pre>{@code
 * MetricRegistry metrics = MetricRegistry.create();
 * EventLoopGroup group = EventLoopGroup.builder().name("api").metrics(metrics).start();
 * HttpServer.on(group).bind(8080).metrics(metrics)
 *         .get("/metrics", PrometheusHandler.of(metrics))
 *         .start();
 * }</pre>
 *
 * <p>Registering checks at once that no series is registered twice (two servers on one address,
 * two loops of one name) and that families of one name agree on their type, unit, help and
 * labels, so that what is collected is always a valid exposition.
 *
 * <p>Threading: thread-safe. Registering and closing registrations take a lock; collecting takes
 * none, and reads each series on the collecting thread.
 */
public final class MetricRegistry implements Metrics {

    private static final Logger log = LoggerFactory.getLogger(MetricRegistry.class);

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Every registered series, as its Prometheus name and label values. Guarded by {@code this}. */
    private final Set<List<String>> seriesKeys = new HashSet<>();

    private MetricRegistry() {
    }

    /** An empty registry. */
    public static MetricRegistry create() {
        return new MetricRegistry();
    }

    /**
     * Told of every registration that comes and goes, for a binding that mirrors the registry into
     * another system. Runs under the registry's lock, on the registering or closing thread: it must
     * be quick and must not register or close anything itself.
     */
    public interface Listener {
        /** {@code families} were registered. */
        void added(List<MetricFamily> families);

        /** {@code families}, registered together earlier, were taken away. */
        void removed(List<MetricFamily> families);
    }

    @Override
    public Registration register(List<MetricFamily> families) {
        List<MetricFamily> copy = List.copyOf(families);
        Entry entry = new Entry(copy);
        synchronized (this) {
            check(copy);
            for (MetricFamily family : copy) {
                for (Series series : family.series()) {
                    seriesKeys.add(key(family, series));
                }
            }
            entries.add(entry);
            for (Listener listener : listeners) {
                tell(listener, copy, true);
            }
        }
        return entry;
    }

    /** Refuses series already there, and families that disagree with those of the same name. */
    private void check(List<MetricFamily> families) {
        Map<String, MetricFamily> known = new LinkedHashMap<>();
        for (Entry entry : entries) {
            for (MetricFamily family : entry.families) {
                known.putIfAbsent(family.prometheusName(), family);
            }
        }
        Set<List<String>> adding = new HashSet<>();
        for (MetricFamily family : families) {
            MetricFamily other = known.putIfAbsent(family.prometheusName(), family);
            if (other != null && !sameShape(other, family)) {
                throw new IllegalArgumentException("the family " + family.prometheusName()
                        + " is registered already with another type, unit, help or labels");
            }
            for (Series series : family.series()) {
                List<String> key = key(family, series);
                if (seriesKeys.contains(key) || !adding.add(key)) {
                    throw new IllegalArgumentException("the series " + family.prometheusName() + series.labelValues()
                            + " is registered already: two endpoints with the same name or address share this registry");
                }
            }
        }
    }

    private static boolean sameShape(MetricFamily a, MetricFamily b) {
        return a.type() == b.type() && Objects.equals(a.unit(), b.unit()) && a.help().equals(b.help())
                && a.labelNames().equals(b.labelNames());
    }

    private static List<String> key(MetricFamily family, Series series) {
        List<String> key = new ArrayList<>(series.labelValues().size() + 1);
        key.add(family.prometheusName());
        key.addAll(series.labelValues());
        return key;
    }

    /**
     * A listener that fails is logged and the registry goes on: the endpoint registering is not
     * to blame, and its registration stands either way.
     */
    private static void tell(Listener listener, List<MetricFamily> families, boolean added) {
        try {
            if (added) {
                listener.added(families);
            } else {
                listener.removed(families);
            }
        } catch (RuntimeException e) {
            log.warn("metrics listener {} failed on {} families", listener, added ? "added" : "removed", e);
        }
    }

    /**
     * Adds {@code listener} and tells it at once of every registration already there (so a
     * binding made late misses nothing). Closing the returned handle removes it.
     */
    public synchronized AutoCloseable listen(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        for (Entry entry : entries) {
            listener.added(entry.families);
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Every family registered now, those of one name merged into one (their series in the order
     * they were registered); the series are read by whoever reads them, not here.
     */
    public List<MetricFamily> collect() {
        Map<String, List<Series>> series = new LinkedHashMap<>();
        Map<String, MetricFamily> first = new LinkedHashMap<>();
        for (Entry entry : entries) {
            for (MetricFamily family : entry.families) {
                String name = family.prometheusName();
                first.putIfAbsent(name, family);
                series.computeIfAbsent(name, n -> new ArrayList<>()).addAll(family.series());
            }
        }
        List<MetricFamily> families = new ArrayList<>(first.size());
        first.forEach((name, family) -> families.add(family.withSeries(series.get(name))));
        return families;
    }

    /**
     * Everything registered, read now, in Prometheus' text exposition format 0.0.4 (served with
     * {@link PrometheusText#CONTENT_TYPE}).
     */
    public String prometheusText() {
        StringBuilder out = new StringBuilder(4096);
        PrometheusText.write(collect(), out);
        return out.toString();
    }

    @Override
    public String toString() {
        return "MetricRegistry[" + entries.size() + " registrations]";
    }

    /** One registration: its families, until closed. */
    private final class Entry implements Registration {
        private final List<MetricFamily> families;

        Entry(List<MetricFamily> families) {
            this.families = families;
        }

        @Override
        public void close() {
            synchronized (MetricRegistry.this) {
                if (!entries.remove(this)) {
                    return;
                }
                for (MetricFamily family : families) {
                    for (Series series : family.series()) {
                        seriesKeys.remove(key(family, series));
                    }
                }
                for (Listener listener : listeners) {
                    tell(listener, families, false);
                }
            }
        }
    }
}
