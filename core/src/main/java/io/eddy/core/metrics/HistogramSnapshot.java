package io.eddy.core.metrics;

import java.util.Arrays;

/**
 * A histogram as read at one moment: fixed bucket upper bounds, how many observations fell in
 * each bucket (not cumulated), and their sum.
 *
 * <p>{@code bucketCounts} has one more entry than {@code upperBounds}: the last bucket holds what
 * is above the largest bound ({@code +Inf}). Immutable once made; the arrays are not copied, so a
 * maker hands over arrays of its own.
 *
 * @param upperBounds  the buckets' inclusive upper bounds, ascending, in the family's unit
 * @param bucketCounts observations per bucket, the last one above every bound
 * @param sum          the sum of every observation, in the family's unit
 */
public record HistogramSnapshot(double[] upperBounds, long[] bucketCounts, double sum) {

    /** Checks that there is one more count than bounds and that the bounds ascend. */
    public HistogramSnapshot {
        if (bucketCounts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException("a histogram has one count per bound and one above them: "
                    + upperBounds.length + " bounds, " + bucketCounts.length + " counts");
        }
        for (int i = 1; i < upperBounds.length; i++) {
            if (!(upperBounds[i] > upperBounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + Arrays.toString(upperBounds));
            }
        }
    }

    /** Every observation. */
    public long count() {
        long count = 0;
        for (long c : bucketCounts) {
            count += c;
        }
        return count;
    }

    @Override
    public String toString() {
        return "HistogramSnapshot[bounds=" + Arrays.toString(upperBounds) + ", counts=" + Arrays.toString(bucketCounts)
                + ", sum=" + sum + "]";
    }
}
