package io.eddy.core.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timeouts for the connections of a server or client: the connection-level settings
 * that Eddy itself enforces. Socket options (TCP_NODELAY, SO_KEEPALIVE, buffer sizes) are not
 * here: each builder sets them with {@code option(SocketOption, value)}. The idle timeouts here
 * are the TCP layer's only ones. Immutable: each {@code withX} returns a copy; safe to share
 * between threads.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>highWaterMark / lowWaterMark</td><td>64 KiB / 32 KiB</td>
 *       <td>queued bytes (file regions included) above which {@code isWritable()} turns false,
 *       and below which it turns true again</td></tr>
 *   <tr><td>readPausedWhileUnwritable</td><td>true</td>
 *       <td>while {@code isWritable()} is false the connection reads nothing more, so a handler
 *       that writes what it reads (an echo) cannot queue more than about the high water mark for
 *       a peer that does not read; it reads again below the low water mark. False for handlers
 *       that act on {@code onWritabilityChanged} themselves</td></tr>
 *   <tr><td>maxOutboundBytes</td><td>16 MiB</td>
 *       <td>queued bytes held in memory past which a write fails and the connection closes
 *       ({@code OUTBOUND_OVERFLOW}); file regions are not counted, since they wait in their
 *       files</td></tr>
 *   <tr><td>maxInboundBytes</td><td>16 MiB</td>
 *       <td>bytes kept for a message not yet whole; past it the connection closes
 *       ({@code DECODE_ERROR}) whatever the decoder's own limits</td></tr>
 *   <tr><td>readIdleTimeout, writeIdleTimeout, idleTimeout</td><td>none</td>
 *       <td>close after that long without reading, writing, or either
 *       ({@code IDLE_TIMEOUT})</td></tr>
 *   <tr><td>closeTimeout</td><td>30 s</td>
 *       <td>how long {@code close()} waits for queued bytes to leave before it aborts
 *       ({@code CLOSE_TIMEOUT}); zero waits for as long as it takes, so a peer that never reads
 *       keeps its connection (and up to maxOutboundBytes) until the loop closes</td></tr>
 * </table>
 */
public record ConnectionOptions(
        int highWaterMark,
        int lowWaterMark,
        long maxOutboundBytes,
        int maxInboundBytes,
        Duration readIdleTimeout,
        Duration writeIdleTimeout,
        Duration idleTimeout,
        Duration closeTimeout,
        boolean readPausedWhileUnwritable) {

    private static final ConnectionOptions DEFAULTS = new ConnectionOptions(
            64 * 1024, 32 * 1024, 16L * 1024 * 1024, 16 * 1024 * 1024,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(30), true);

    /** Checks the settings: water marks in order, limits positive, durations not negative. */
    public ConnectionOptions {
        if (lowWaterMark < 0 || highWaterMark < lowWaterMark) {
            throw new IllegalArgumentException("need 0 <= lowWaterMark <= highWaterMark, got "
                    + lowWaterMark + " and " + highWaterMark);
        }
        if (maxOutboundBytes < highWaterMark) {
            throw new IllegalArgumentException("maxOutboundBytes must be at least highWaterMark: "
                    + maxOutboundBytes);
        }
        if (maxInboundBytes < 1) {
            throw new IllegalArgumentException("maxInboundBytes must be positive: " + maxInboundBytes);
        }
        requireNotNegative(readIdleTimeout, "readIdleTimeout");
        requireNotNegative(writeIdleTimeout, "writeIdleTimeout");
        requireNotNegative(idleTimeout, "idleTimeout");
        requireNotNegative(closeTimeout, "closeTimeout");
    }

    /** The defaults in the table above. */
    public static ConnectionOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The water marks, low first (as Netty's {@code WriteBufferWaterMark}): writable again below
     * {@code low}, not writable above {@code high}.
     */
    public ConnectionOptions withWaterMarks(int low, int high) {
        return new ConnectionOptions(high, low, maxOutboundBytes, maxInboundBytes, readIdleTimeout,
                writeIdleTimeout, idleTimeout, closeTimeout, readPausedWhileUnwritable);
    }

    /**
     * Queued bytes held in memory (file regions not counted) past which a write fails and the
     * connection closes ({@code OUTBOUND_OVERFLOW}).
     */
    public ConnectionOptions withMaxOutboundBytes(long bytes) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, bytes, maxInboundBytes,
                readIdleTimeout, writeIdleTimeout, idleTimeout, closeTimeout, readPausedWhileUnwritable);
    }

    /** Bytes kept for one incomplete message past which the connection closes ({@code DECODE_ERROR}). */
    public ConnectionOptions withMaxInboundBytes(int bytes) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, maxOutboundBytes, bytes,
                readIdleTimeout, writeIdleTimeout, idleTimeout, closeTimeout, readPausedWhileUnwritable);
    }

    /** Idle timeouts for reading, writing, and either (zero: none). */
    public ConnectionOptions withIdleTimeouts(Duration read, Duration write, Duration any) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, maxOutboundBytes, maxInboundBytes,
                read, write, any, closeTimeout, readPausedWhileUnwritable);
    }

    /** Close after {@code timeout} with nothing read or written (zero: never). */
    public ConnectionOptions withIdleTimeout(Duration timeout) {
        return withIdleTimeouts(readIdleTimeout, writeIdleTimeout, timeout);
    }

    /** How long {@code Connection.close()} waits for queued bytes to leave (zero: as long as it takes). */
    public ConnectionOptions withCloseTimeout(Duration timeout) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, maxOutboundBytes, maxInboundBytes,
                readIdleTimeout, writeIdleTimeout, idleTimeout, timeout, readPausedWhileUnwritable);
    }

    /**
     * Whether the connection stops reading while it is not writable (default true): above the
     * high water mark it reads and decodes nothing more, below the low water mark it goes on, so
     * a peer that sends without reading what it is sent cannot make its queue grow. This pause and
     * {@code pauseReading()} are separate: reading goes on only when neither holds it.
     *
     * <p>Turn it off for a handler that manages writability itself, and for a protocol where both
     * ends write without waiting for the other to read (each stopping to read while its own queue
     * is full would leave both waiting): the high water mark is then only reported, and
     * {@code maxOutboundBytes} is the bound.
     */
    public ConnectionOptions withReadPausedWhileUnwritable(boolean paused) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, maxOutboundBytes, maxInboundBytes,
                readIdleTimeout, writeIdleTimeout, idleTimeout, closeTimeout, paused);
    }

    /** Whether any idle timeout is set. */
    public boolean hasIdleTimeouts() {
        return !readIdleTimeout.isZero() || !writeIdleTimeout.isZero() || !idleTimeout.isZero();
    }

    private static void requireNotNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}
