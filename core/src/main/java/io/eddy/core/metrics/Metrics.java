package io.eddy.core.metrics;

import java.util.List;

/**
 * Where an endpoint (a loop, a server, a UDP endpoint) registers its figures: the one thing the
 * builders' {@code metrics(..)} take.
 *
 * <p>{@link #none()}, every builder's default, keeps nothing and costs nothing: an endpoint asks
 * {@link #isEnabled()} once when it starts, and when it is off keeps no counters at all (its hot
 * paths then see a null and skip). {@link MetricRegistry} is the implementation that keeps what is
 * registered for readers: its Prometheus text, the {@code eddy-micrometer} binding. An
 * application may implement it too, to hand the figures to something else.
 *
 * <p>Threading: implementations are thread-safe; endpoints register from whatever thread starts
 * them and close their registration from their loop.
 */
public interface Metrics {

    /** No figures: nothing is registered and endpoints count nothing. */
    static Metrics none() {
        return NoMetrics.INSTANCE;
    }

    /**
     * Whether endpoints should keep their figures. False only for {@link #none()}; an endpoint
     * asks once, when it starts.
     */
    default boolean isEnabled() {
        return true;
    }

    /**
     * Adds {@code families}, read at every collection until the returned registration is closed.
     *
     * @throws IllegalArgumentException if a series is already registered under the same name and
     *     labels, or a family of that name was registered with another type, unit, help or label
     *     names
     */
    Registration register(List<MetricFamily> families);

    /**
     * What {@link #register} returns: closing it takes its families away again. Closing twice does
     * nothing. Thread-safe.
     */
    interface Registration extends AutoCloseable {
        /** Takes the families away; they are no longer read. */
        @Override
        void close();
    }
}
