package io.eddy.core.internal;

import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.ConnectionOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's deadlines on its loop's timers, whatever carries its bytes: the idle timeouts of
 * its {@link ConnectionOptions} (nothing read, nothing written, neither) and the close timeout of
 * a graceful close. One timer per kind at a time; an idle timer that finds activity since it was
 * armed re-arms itself for what is left instead of being re-armed on every read.
 *
 * <p>Threading: loop thread only; {@link AbstractConnection} tells it what happened.
 */
final class ConnectionTimers {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTimers.class);

    private final AbstractConnection<?, ?> connection;
    private final ConnectionOptions options;
    /** Whether any idle timeout is set: only then is the clock read on every read and write. */
    private final boolean tracksIdleness;
    private ScheduledTask idleTimer;
    private ScheduledTask closeTimer;
    private long lastReadNanos;
    private long lastWriteNanos;

    ConnectionTimers(AbstractConnection<?, ?> connection) {
        this.connection = connection;
        this.options = connection.options();
        this.tracksIdleness = options.hasIdleTimeouts();
    }

    /** The connection opened: idleness counts from now. */
    void opened() {
        long now = connection.loop().nanoTime();
        lastReadNanos = now;
        lastWriteNanos = now;
        armIdleTimer();
    }

    /** Bytes came from the peer. */
    void read() {
        if (tracksIdleness) {
            lastReadNanos = connection.loop().nanoTime();
        }
    }

    /** Queued bytes left for the peer. */
    void written() {
        if (tracksIdleness) {
            lastWriteNanos = connection.loop().nanoTime();
        }
    }

    /** A graceful close started waiting for queued bytes: they have {@code closeTimeout} to leave. */
    void closeStarted() {
        Duration timeout = options.closeTimeout();
        if (!timeout.isZero()) {
            closeTimer = connection.loop().schedule(timeout, () -> connection.closeNow(CloseReason.of(
                    Kind.CLOSE_TIMEOUT, "queued bytes not written within closeTimeout = " + timeout), true));
        }
    }

    /** The connection closed: no deadline is left. */
    void stop() {
        if (idleTimer != null) {
            idleTimer.cancel();
        }
        if (closeTimer != null) {
            closeTimer.cancel();
        }
    }

    private void armIdleTimer() {
        if (!tracksIdleness) {
            return;
        }
        long now = connection.loop().nanoTime();
        long next = Long.MAX_VALUE;
        next = Math.min(next, remaining(options.readIdleTimeout(), lastReadNanos, now));
        next = Math.min(next, remaining(options.writeIdleTimeout(), lastWriteNanos, now));
        next = Math.min(next, remaining(options.idleTimeout(), Math.max(lastReadNanos, lastWriteNanos), now));
        idleTimer = connection.loop().schedule(Duration.ofNanos(Math.max(0, next)), this::checkIdle);
    }

    private static long remaining(Duration timeout, long since, long now) {
        return timeout.isZero() ? Long.MAX_VALUE : timeout.toNanos() - (now - since);
    }

    private void checkIdle() {
        if (!connection.isOpen()) {
            return;
        }
        long now = connection.loop().nanoTime();
        String idle = null;
        if (remaining(options.readIdleTimeout(), lastReadNanos, now) <= 0) {
            idle = "nothing read for readIdleTimeout = " + options.readIdleTimeout();
        } else if (remaining(options.writeIdleTimeout(), lastWriteNanos, now) <= 0) {
            idle = "nothing written for writeIdleTimeout = " + options.writeIdleTimeout();
        } else if (remaining(options.idleTimeout(), Math.max(lastReadNanos, lastWriteNanos), now) <= 0) {
            idle = "nothing read or written for idleTimeout = " + options.idleTimeout();
        }
        if (idle == null) {
            armIdleTimer();
            return;
        }
        log.debug("{}: {}; closing", connection, idle);
        connection.closeGracefully(CloseReason.of(Kind.IDLE_TIMEOUT, idle));
    }
}
