/**
 * Eddy's figures in Micrometer: {@code EddyMetrics} binds a {@code MetricRegistry}'s families to a
 * {@code MeterRegistry}. Optional: core knows nothing of Micrometer.
 */
module io.eddy.micrometer {
    requires transitive io.eddy.core;
    requires transitive micrometer.core;

    exports io.eddy.micrometer;
}
