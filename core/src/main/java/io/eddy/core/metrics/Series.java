package io.eddy.core.metrics;

import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * One time series of a {@link MetricFamily}: its label values and how to read it. A counter's or a
 * gauge's series reads one number; a histogram's reads a {@link HistogramSnapshot}.
 *
 * <p>Threading: immutable; its readers are called from whatever thread collects (a scrape), so
 * they must be thread-safe, and cheap: they run on every collection.
 *
 * @param labelValues the values of the family's labels, in the family's order
 * @param value       the reader of a counter's or gauge's value, or null for a histogram
 * @param histogram   the reader of a histogram, or null for a counter or gauge
 */
public record Series(List<String> labelValues, DoubleSupplier value, Supplier<HistogramSnapshot> histogram) {

    /** Checks that exactly one reader is given and no label value is null. */
    public Series {
        labelValues = List.copyOf(labelValues);
        if ((value == null) == (histogram == null)) {
            throw new IllegalArgumentException("a series reads a value or a histogram, exactly one of them");
        }
    }

    /** A counter's or gauge's series. */
    public static Series of(DoubleSupplier value, String... labelValues) {
        return new Series(List.of(labelValues), Objects.requireNonNull(value, "value"), null);
    }

    /** A histogram's series. */
    public static Series ofHistogram(Supplier<HistogramSnapshot> histogram, String... labelValues) {
        return new Series(List.of(labelValues), null, Objects.requireNonNull(histogram, "histogram"));
    }
}
