package io.eddy.bench;

/**
 * What one load run measured, from the load generator's side.
 *
 * @param messages   answers received and checked (HTTP responses, echoed lines, datagrams)
 * @param seconds    how long the run lasted
 * @param p50Micros  median latency in microseconds (NaN when not measured)
 * @param p99Micros  99th percentile latency in microseconds (NaN when not measured)
 * @param errors     answers that went missing or wrong (datagrams lost, wrk's socket errors)
 */
record LoadResult(long messages, double seconds, double p50Micros, double p99Micros, long errors) {

    /** A result with latencies taken from {@code histogram}. */
    static LoadResult of(long messages, double seconds, Histogram histogram, long errors) {
        return new LoadResult(messages, seconds, histogram.percentileMicros(50), histogram.percentileMicros(99), errors);
    }

    /** Answers per second. */
    double rate() {
        return seconds > 0 ? messages / seconds : 0;
    }
}
