package io.eddy.core.internal;

import io.eddy.core.net.Connection;
import java.util.function.Function;

/**
 * How core reaches the pipeline under a {@link Connection} it did not make itself: a TCP
 * connection is its pipeline, a test channel wraps one, and the public types show neither. (The
 * JDK's {@code SharedSecrets} in small, as {@link FileRegionAccess}.)
 *
 * <p>Threading: set once, while the test channel's class is initialized, which happens before any
 * test channel exists; read by any thread.
 */
public final class ConnectionAccess {

    private static volatile Function<Connection<?>, AbstractConnection<?, ?>> wrapped;

    private ConnectionAccess() {
    }

    /** Called by the test channel's initializer, once: how to find the pipeline inside one. */
    public static void expose(Function<Connection<?>, AbstractConnection<?, ?>> access) {
        if (wrapped != null) {
            throw new IllegalStateException("connection access is already set");
        }
        wrapped = access;
    }

    /** The pipeline under {@code connection}, or null for a {@code Connection} made elsewhere. */
    public static AbstractConnection<?, ?> pipeline(Connection<?> connection) {
        if (connection instanceof AbstractConnection<?, ?> pipeline) {
            return pipeline;
        }
        Function<Connection<?>, AbstractConnection<?, ?>> access = wrapped;
        return access == null ? null : access.apply(connection);
    }
}
