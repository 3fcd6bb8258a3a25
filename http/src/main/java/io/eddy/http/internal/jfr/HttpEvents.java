package io.eddy.http.internal.jfr;

import jdk.jfr.FlightRecorder;

/**
 * Where the HTTP server's hooks call: it touches {@link HttpRequestEvent} only once the process
 * has a flight recorder, since initializing an event class registers it with the recorder, which
 * on a process that never records would load the recorder's machinery on a loop thread at its
 * first request. Until something records, an exchange costs one static flag read.
 *
 * <p>Threading: the connection's loop thread.
 */
public final class HttpEvents {

    private HttpEvents() {
    }

    /** A begun event for a new exchange if a recording wants requests, else null. */
    public static HttpRequestEvent requestStarted() {
        return FlightRecorder.isInitialized() ? HttpRequestEvent.start() : null;
    }

    /** The exchange of {@code event} (null: not recorded) is done. */
    public static void requestEnded(HttpRequestEvent event, String method, String path, String route, int status,
                                    Object remoteAddress) {
        if (event != null) {
            event.end(method, path, route, status, remoteAddress);
        }
    }
}
