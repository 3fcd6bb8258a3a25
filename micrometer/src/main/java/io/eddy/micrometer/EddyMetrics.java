package io.eddy.micrometer;

import io.eddy.core.metrics.HistogramSnapshot;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Series;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Binds the figures of an Eddy {@link MetricRegistry} to a Micrometer {@link MeterRegistry}: the
 * same names, units, help and labels, each series one meter, read by Micrometer when it publishes.
 * Endpoints that start or close later come and go in the meter registry too.
 *
 * <pre>{@code
 * MetricRegistry metrics = MetricRegistry.create();             // what Eddy's builders take
 * new EddyMetrics(metrics).bindTo(meterRegistry);                // e.g. Spring's, or a Prometheus one
 * HttpServer.on(loop).bind(8080).metrics(metrics)...start();
 * }</pre>
 *
 * <table>
 *   <caption>How each kind of family becomes a meter</caption>
 *   <tr><th>Eddy</th><th>Micrometer</th></tr>
 *   <tr><td>counter</td><td>{@link FunctionCounter}, with the family's unit as its base unit</td></tr>
 *   <tr><td>gauge</td><td>{@link Gauge}</td></tr>
 *   <tr><td>histogram in seconds</td><td>{@link FunctionTimer}: the count and the total time
 *       (Micrometer's own timers keep their buckets; a function timer has none, so the fixed
 *       buckets are Prometheus exposition's alone); a histogram of another unit has no meter
 *       and is left out</td></tr>
 * </table>
 *
 * <p>Names are Eddy's dotted ones ({@code eddy.tcp.server.sent}, base unit {@code bytes}), which
 * Micrometer's Prometheus naming turns into what Eddy's own exposition writes
 * ({@code eddy_tcp_server_sent_bytes_total}).
 *
 * <p>Threading: thread-safe. Meters are added and removed on the thread that registers or closes
 * an Eddy registration; Micrometer reads them on its own threads.
 */
public final class EddyMetrics implements MeterBinder, AutoCloseable {

    private final MetricRegistry registry;
    private final Tags commonTags;
    /** The meters made for each family object, to remove when its registration goes. Guarded by itself. */
    private final Map<MetricFamily, List<Meter>> meters = new IdentityHashMap<>();
    private final List<AutoCloseable> bindings = new ArrayList<>();

    /** A binder of {@code registry}'s figures. */
    public EddyMetrics(MetricRegistry registry) {
        this(registry, Tags.empty());
    }

    /** A binder of {@code registry}'s figures that adds {@code commonTags} to every meter. */
    public EddyMetrics(MetricRegistry registry, Iterable<Tag> commonTags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.commonTags = Tags.of(commonTags);
    }

    /**
     * Adds a meter for every series registered now, and from now on for every series registered
     * later, until {@link #close()}; removes a registration's meters when it closes.
     */
    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        AutoCloseable listening = registry.listen(new MetricRegistry.Listener() {
            @Override
            public void added(List<MetricFamily> families) {
                for (MetricFamily family : families) {
                    List<Meter> made = new ArrayList<>();
                    if (family.type() == MetricFamily.Type.HISTOGRAM && !"seconds".equals(family.unit())) {
                        continue; // no Micrometer meter reads a histogram of anything else
                    }
                    for (Series series : family.series()) {
                        made.add(meter(meterRegistry, family, series));
                    }
                    synchronized (meters) {
                        meters.computeIfAbsent(family, f -> new ArrayList<>()).addAll(made);
                    }
                }
            }

            @Override
            public void removed(List<MetricFamily> families) {
                for (MetricFamily family : families) {
                    List<Meter> gone;
                    synchronized (meters) {
                        gone = meters.remove(family);
                    }
                    if (gone != null) {
                        gone.forEach(meterRegistry::remove);
                    }
                }
            }
        });
        synchronized (bindings) {
            bindings.add(listening);
        }
    }

    private Meter meter(MeterRegistry meterRegistry, MetricFamily family, Series series) {
        Tags tags = commonTags;
        for (int i = 0; i < family.labelNames().size(); i++) {
            tags = tags.and(family.labelNames().get(i), series.labelValues().get(i));
        }
        switch (family.type()) {
            case COUNTER:
                return FunctionCounter.builder(family.name(), series.value(), DoubleSupplier::getAsDouble)
                        .description(family.help()).baseUnit(family.unit()).tags(tags).register(meterRegistry);
            case GAUGE:
                return Gauge.builder(family.name(), series.value(), DoubleSupplier::getAsDouble)
                        .description(family.help()).baseUnit(family.unit()).tags(tags).strongReference(true)
                        .register(meterRegistry);
            default:
                Supplier<HistogramSnapshot> histogram = series.histogram();
                return FunctionTimer.builder(family.name(), histogram, h -> h.get().count(), h -> h.get().sum(),
                                TimeUnit.SECONDS)
                        .description(family.help()).tags(tags).register(meterRegistry);
        }
    }

    /** Stops following the Eddy registry; the meters already made stay in the meter registries. */
    @Override
    public void close() throws Exception {
        synchronized (bindings) {
            for (AutoCloseable binding : bindings) {
                binding.close();
            }
            bindings.clear();
        }
    }

    @Override
    public String toString() {
        return "EddyMetrics[" + registry + "]";
    }
}
