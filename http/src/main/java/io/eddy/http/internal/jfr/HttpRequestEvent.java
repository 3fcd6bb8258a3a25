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

    private static final EventType TYPE = EventType.getEventType(HttpRequestEvent.class);

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

    /** A begun event if a recording wants requests, else null (then nothing is kept). Loop thread. */
    public static HttpRequestEvent start() {
        if (!TYPE.isEnabled()) {
            return null;
        }
        HttpRequestEvent event = new HttpRequestEvent();
        event.begin();
        return event;
    }

    /**
     * The exchange of {@code event} (null: not recorded) is done; recorded if it took at least
     * the recording's threshold. Loop thread.
     */
    public static void end(HttpRequestEvent event, String method, String path, String route, int status,
                           Object remoteAddress) {
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.method = method;
                event.path = path;
                event.route = route;
                event.status = status;
                event.remoteAddress = String.valueOf(remoteAddress);
                event.commit();
            }
        }
    }
}
