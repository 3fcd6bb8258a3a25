package io.eddy.core.internal.jfr;

import io.eddy.core.loop.EventLoop;
import java.net.SocketAddress;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A TCP connection was set up on its loop: accepted by a server or connected by a client (for TLS,
 * before its handshake). Its id ties it to its {@link ConnectionClosedEvent}.
 *
 * <p>Threading: emitted on the connection's loop thread.
 */
@Name("io.eddy.ConnectionOpened")
@Label("Connection Opened")
@Category({"Eddy", "Connections"})
@Description("A TCP connection was accepted or connected")
@Enabled(false)
@StackTrace(false)
public final class ConnectionOpenedEvent extends Event {

    @Label("Connection Id")
    @Description("The connection's number in this process, as its log lines show it (#id)")
    long connectionId;

    @Label("Local Address")
    String localAddress;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Event Loop")
    String loop;

    /** Records the opening if a recording wants it; called through {@link FlightEvents}. Loop thread. */
    public static void emit(long connectionId, SocketAddress local, SocketAddress remote, EventLoop loop) {
        ConnectionOpenedEvent event = new ConnectionOpenedEvent();
        if (event.isEnabled()) {
            event.connectionId = connectionId;
            event.localAddress = String.valueOf(local);
            event.remoteAddress = String.valueOf(remote);
            event.loop = loop.name();
            event.commit();
        }
    }
}
