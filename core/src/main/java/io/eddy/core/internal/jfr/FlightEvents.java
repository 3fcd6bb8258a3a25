package io.eddy.core.internal.jfr;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason;
import io.eddy.core.tls.TlsSession;
import java.net.SocketAddress;
import jdk.jfr.FlightRecorder;

/**
 * Where the hooks call: each method first asks whether the flight recorder has been set up in this
 * process at all, and only then touches an event class. That matters because initializing an event
 * class registers it with the recorder, which on a process that never records would load the
 * recorder's machinery, on a loop thread, at its first connection. Until something records, every
 * hook costs one static flag read.
 *
 * <p>Threading: as each event's.
 */
public final class FlightEvents {

    private FlightEvents() {
    }

    /** See {@link ConnectionOpenedEvent}. Loop thread. */
    public static void connectionOpened(long connectionId, SocketAddress local, SocketAddress remote, EventLoop loop) {
        if (FlightRecorder.isInitialized()) {
            ConnectionOpenedEvent.emit(connectionId, local, remote, loop);
        }
    }

    /** See {@link ConnectionClosedEvent}. Loop thread. */
    public static void connectionClosed(long connectionId, SocketAddress local, SocketAddress remote, EventLoop loop,
                                        CloseReason reason) {
        if (FlightRecorder.isInitialized()) {
            ConnectionClosedEvent.emit(connectionId, local, remote, loop, reason);
        }
    }

    /** See {@link LoopStallEvent}. Any thread. */
    public static void loopStall(String loop, long stalledForNanos, long thresholdNanos, String stack) {
        if (FlightRecorder.isInitialized()) {
            LoopStallEvent.emit(loop, stalledForNanos, thresholdNanos, stack);
        }
    }

    /** A begun handshake event if one is recorded, else null. Loop thread. */
    public static TlsHandshakeEvent tlsHandshakeStarted(long connectionId, SocketAddress remote) {
        return FlightRecorder.isInitialized() ? TlsHandshakeEvent.start(connectionId, remote) : null;
    }

    /** The handshake of {@code event} (null: not recorded) is done. Loop thread. */
    public static void tlsHandshakeDone(TlsHandshakeEvent event, TlsSession session) {
        if (event != null) {
            TlsHandshakeEvent.done(event, session);
        }
    }

    /** The handshake of {@code event} (null: not recorded) failed. Loop thread. */
    public static void tlsHandshakeFailed(TlsHandshakeEvent event, CloseReason reason) {
        if (event != null) {
            TlsHandshakeEvent.failed(event, reason);
        }
    }
}
