package io.eddy.core.internal.jfr;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason;
import java.net.SocketAddress;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A TCP connection closed, with its {@link CloseReason}: the kind ({@code PEER_RESET},
 * {@code IDLE_TIMEOUT}, ...) and the sentence that says why.
 *
 * <p>Threading: emitted on the connection's loop thread.
 */
@Name("io.eddy.ConnectionClosed")
@Label("Connection Closed")
@Category({"Eddy", "Connections"})
@Description("A TCP connection closed, and why")
@Enabled(false)
@StackTrace(false)
public final class ConnectionClosedEvent extends Event {

    @Label("Connection Id")
    @Description("The connection's number in this process, as its log lines show it (#id)")
    long connectionId;

    @Label("Local Address")
    String localAddress;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Event Loop")
    String loop;

    @Label("Reason")
    @Description("What closed it: a CloseReason kind, such as PEER_CLOSED or IDLE_TIMEOUT")
    String reason;

    @Label("Detail")
    String detail;

    /** Records the close if a recording wants it; called through {@link FlightEvents}. Loop thread. */
    public static void emit(long connectionId, SocketAddress local, SocketAddress remote, EventLoop loop,
                            CloseReason reason) {
        ConnectionClosedEvent event = new ConnectionClosedEvent();
        if (event.isEnabled()) {
            event.connectionId = connectionId;
            event.localAddress = String.valueOf(local);
            event.remoteAddress = String.valueOf(remote);
            event.loop = loop.name();
            event.reason = reason == null ? null : reason.kind().name();
            event.detail = reason == null ? null : reason.detail();
            event.commit();
        }
    }
}
