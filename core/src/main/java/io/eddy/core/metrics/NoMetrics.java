package io.eddy.core.metrics;

import java.util.List;

/** {@link Metrics#none()}: keeps nothing. Stateless, so thread-safe. */
enum NoMetrics implements Metrics {
    INSTANCE;

    private static final Registration NOTHING = () -> { };

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public Registration register(List<MetricFamily> families) {
        return NOTHING;
    }

    @Override
    public String toString() {
        return "Metrics.none()";
    }
}
