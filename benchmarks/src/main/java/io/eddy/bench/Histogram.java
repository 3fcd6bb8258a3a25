package io.eddy.bench;

/**
 * Latencies in whole microseconds, for percentiles: one counter per microsecond up to 100 ms, and
 * one for everything slower (reported as the slowest value seen). Exact to the microsecond, with
 * no dependency and no allocation while recording.
 *
 * <p>Threading: one thread records; read it after that thread is done.
 */
final class Histogram {

    private static final int EXACT_MICROS = 100_000;

    private final long[] counts = new long[EXACT_MICROS];
    private long slower;
    private long maxMicros;
    private long total;

    /** Records one latency of {@code nanos}. */
    void record(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        if (micros < EXACT_MICROS) {
            counts[(int) micros]++;
        } else {
            slower++;
        }
        maxMicros = Math.max(maxMicros, micros);
        total++;
    }

    /** How many latencies were recorded. */
    long count() {
        return total;
    }

    /**
     * The latency in microseconds that {@code percentile} percent of the recorded ones do not
     * exceed (50: the median); NaN when nothing was recorded.
     */
    double percentileMicros(double percentile) {
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("a percentile is between 0 and 100: " + percentile);
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(total * percentile / 100));
        long seen = 0;
        for (int micros = 0; micros < EXACT_MICROS; micros++) {
            seen += counts[micros];
            if (seen >= rank) {
                return micros;
            }
        }
        return maxMicros;
    }
}
