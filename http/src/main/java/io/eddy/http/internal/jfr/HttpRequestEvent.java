package io.eddy.http.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One HTTP exchange of the server, from its request's head to its response handed to the
 * connection: the event's duration, so a recording's threshold keeps only slow requests.
 *
 * <p>Threading: begun and ended on the connection's loop thread.
 */
@Name("io.eddy.HttpRequest")
@Label("HTTP Request")
@Category({"Eddy", "HTTP"})
@Description("An HTTP request the server answered, from its head to its response handed to the connection")
@Enabled(false)
@StackTrace(false)
public final class HttpRequestEvent extends Event {

    @Label("Method")
    String method;

    @Label("Path")
    @Description("The path requested, as received")
    String path;

    @Label("Route")
    @Description("The pattern of the route that answered; unmatched or invalid when none did")
    String route;

    @Label("Status")
    int status;

    @Label("Remote Address")
    String remoteAddress;

    /** A begun event if a recording wants requests, else null; called through {@link HttpEvents}. Loop thread. */
    static HttpRequestEvent start() {
        if (!Type.EVENT.isEnabled()) {
            return null;
        }
        HttpRequestEvent event = new HttpRequestEvent();
        event.begin();
        return event;
    }

    /** The event's type, looked up once the recorder is running (the lookup starts its machinery). */
    private static final class Type {
        static final EventType EVENT = EventType.getEventType(HttpRequestEvent.class);
    }

    /** The exchange is done; recorded if it took at least the recording's threshold. Loop thread. */
    void end(String method, String path, String route, int status, Object remoteAddress) {
        end();
        if (shouldCommit()) {
            this.method = method;
            this.path = path;
            this.route = route;
            this.status = status;
            this.remoteAddress = String.valueOf(remoteAddress);
            commit();
        }
    }
}
