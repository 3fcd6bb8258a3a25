package io.eddy.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A named figure and its series: {@code eddy.tcp.server.sent} in bytes, a counter, labelled by
 * {@code server}, with one series per server.
 *
 * <p>Names are dotted and lower case, as Micrometer writes them; the unit is apart, so each
 * reader spells the name its own way. {@link #prometheusName()} gives Prometheus' (dots become
 * underscores, the unit is appended, a counter ends in {@code _total}):
 * {@code eddy_tcp_server_sent_bytes_total}, which is also what Micrometer's Prometheus registry
 * makes of the same name, unit and type.
 *
 * <p>Threading: immutable.
 *
 * @param name        dotted lower-case words, e.g. {@code eddy.loop.busy.ratio}
 * @param type        counter (only goes up), gauge (a level now) or histogram
 * @param unit        a base unit ({@code seconds}, {@code bytes}), or null for a count or a ratio
 * @param help        one sentence for people
 * @param labelNames  the names of the labels that tell the series apart
 * @param series      the series, each with a value per label name
 */
public record MetricFamily(String name, Type type, String unit, String help, List<String> labelNames,
                           List<Series> series) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z0-9]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern UNIT = Pattern.compile("[a-z]+");

    /** What kind of figure a family is. */
    public enum Type {
        /** A count that only goes up (from zero, when the process starts). */
        COUNTER,
        /** A level that goes up and down: open connections, a ratio. */
        GAUGE,
        /** Observations counted into fixed buckets, with their sum. */
        HISTOGRAM
    }

    /** Checks names, labels, and that each series fits the family. */
    public MetricFamily {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a metric name is dotted lower-case words: " + name);
        }
        if (unit != null && !UNIT.matcher(unit).matches()) {
            throw new IllegalArgumentException("a unit is one lower-case word, such as seconds or bytes: " + unit);
        }
        labelNames = List.copyOf(labelNames);
        for (String label : labelNames) {
            if (!LABEL.matcher(label).matches() || (type == Type.HISTOGRAM && label.equals("le"))) {
                throw new IllegalArgumentException("not a label name for " + name + ": " + label);
            }
        }
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.labelValues().size() != labelNames.size()) {
                throw new IllegalArgumentException(name + " has labels " + labelNames + " but a series has values "
                        + s.labelValues());
            }
            if ((s.histogram() != null) != (type == Type.HISTOGRAM)) {
                throw new IllegalArgumentException(name + " is a " + type + "; its series must read "
                        + (type == Type.HISTOGRAM ? "a histogram" : "a value"));
            }
        }
    }

    /** Starts a counter family. */
    public static Builder counter(String name, String unit, String help, String... labelNames) {
        return new Builder(name, Type.COUNTER, unit, help, labelNames);
    }

    /** Starts a gauge family. */
    public static Builder gauge(String name, String unit, String help, String... labelNames) {
        return new Builder(name, Type.GAUGE, unit, help, labelNames);
    }

    /** Starts a histogram family. */
    public static Builder histogram(String name, String unit, String help, String... labelNames) {
        return new Builder(name, Type.HISTOGRAM, unit, help, labelNames);
    }

    /**
     * The name in Prometheus' conventions: underscores for dots, then {@code _<unit>} (unless the
     * name already ends so), then {@code _total} for a counter.
     */
    public String prometheusName() {
        String base = name.replace('.', '_');
        if (unit != null && !base.endsWith("_" + unit)) {
            base = base + "_" + unit;
        }
        return type == Type.COUNTER ? base + "_total" : base;
    }

    /** The same family with other series. */
    public MetricFamily withSeries(List<Series> others) {
        return new MetricFamily(name, type, unit, help, labelNames, others);
    }

    /** Collects a family's series. Not thread-safe: one thread builds, then {@link #build()}. */
    public static final class Builder {
        private final String name;
        private final Type type;
        private final String unit;
        private final String help;
        private final List<String> labelNames;
        private final List<Series> series = new ArrayList<>();

        private Builder(String name, Type type, String unit, String help, String[] labelNames) {
            this.name = name;
            this.type = type;
            this.unit = unit;
            this.help = help;
            this.labelNames = List.of(labelNames);
        }

        /** Adds a series reading {@code value}, with these label values. */
        public Builder series(DoubleSupplier value, String... labelValues) {
            series.add(Series.of(value, labelValues));
            return this;
        }

        /** Adds a histogram series, with these label values. */
        public Builder histogramSeries(Supplier<HistogramSnapshot> histogram, String... labelValues) {
            series.add(Series.ofHistogram(histogram, labelValues));
            return this;
        }

        /** The family. */
        public MetricFamily build() {
            return new MetricFamily(name, type, unit, help, labelNames, series);
        }
    }
}
