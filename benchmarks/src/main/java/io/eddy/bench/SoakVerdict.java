package io.eddy.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Whether a soak's figures stayed flat, computed from its samples alone. The samples of the
 * warm-up are left out; of the rest, the median of the last third is compared with the median of
 * the first third. The growth allowed is what the first third itself moved (its highest sample
 * less its lowest: the noise of a server known to be healthy then), and never less than a floor
 * (a MiB of heap, 8 MiB of RSS, 2 descriptors, 2 threads), so that a very steady start does not
 * make one stray sample a leak. A series is flat when it grew by no more than that.
 *
 * <p>Threading: a value.
 *
 * @param name      what the series is
 * @param first     the median of the first third
 * @param last      the median of the last third
 * @param tolerance the growth allowed
 */
record SoakVerdict(String name, double first, double last, double tolerance) {

    /** A series' verdict; NaN figures when it had fewer than three samples after the warm-up. */
    static SoakVerdict of(String name, List<SoakSample> samples, ToLongFunction<SoakSample> figure, double floor) {
        double[] values = samples.stream().mapToDouble(s -> figure.applyAsLong(s)).toArray();
        if (values.length < 3 || Arrays.stream(values).anyMatch(v -> v < 0)) {
            return new SoakVerdict(name, Double.NaN, Double.NaN, Double.NaN);
        }
        int third = values.length / 3;
        double[] start = Arrays.copyOfRange(values, 0, third);
        double[] end = Arrays.copyOfRange(values, values.length - third, values.length);
        double spread = Arrays.stream(start).max().orElse(0) - Arrays.stream(start).min().orElse(0);
        return new SoakVerdict(name, median(start), median(end), Math.max(floor, spread));
    }

    /** How much the series grew from the first third to the last. */
    double growth() {
        return last - first;
    }

    /** Whether it grew by no more than its tolerance; false when it could not be judged. */
    boolean flat() {
        return !Double.isNaN(first) && growth() <= tolerance;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
