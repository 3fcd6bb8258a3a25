package io.eddy.core.internal.jfr;

import io.eddy.core.net.CloseReason;
import io.eddy.core.tls.TlsSession;
import java.net.SocketAddress;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One TLS handshake, from its start to its end, done or failed: its duration is the event's, and
 * a recording's threshold keeps only the slow ones.
 *
 * <p>Threading: begun and ended on the connection's loop thread.
 */
@Name("io.eddy.TlsHandshake")
@Label("TLS Handshake")
@Category({"Eddy", "Connections"})
@Description("A TLS handshake of a connection, done or failed")
@Enabled(false)
@StackTrace(false)
public final class TlsHandshakeEvent extends Event {

    @Label("Connection Id")
    long connectionId;

    @Label("Remote Address")
    String remoteAddress;

    @Label("Succeeded")
    boolean succeeded;

    @Label("Protocol")
    String protocol;

    @Label("Cipher Suite")
    String cipherSuite;

    @Label("Application Protocol")
    @Description("What ALPN agreed on, if anything")
    String applicationProtocol;

    @Label("Server Name")
    @Description("The name the client asked for (SNI), if any")
    String serverName;

    @Label("Failure")
    String failure;

    /** A begun event if a recording wants handshakes, else null; called through {@link FlightEvents}. Loop thread. */
    public static TlsHandshakeEvent start(long connectionId, SocketAddress remote) {
        if (!Type.EVENT.isEnabled()) {
            return null;
        }
        TlsHandshakeEvent event = new TlsHandshakeEvent();
        event.connectionId = connectionId;
        event.remoteAddress = String.valueOf(remote);
        event.begin();
        return event;
    }

    /** The event's type, looked up once the recorder is running (the lookup starts its machinery). */
    private static final class Type {
        static final EventType EVENT = EventType.getEventType(TlsHandshakeEvent.class);
    }

    /** The handshake of {@code event} (null: not recorded) is done. Loop thread. */
    public static void done(TlsHandshakeEvent event, TlsSession session) {
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.succeeded = true;
                event.protocol = session.protocol();
                event.cipherSuite = session.cipherSuite();
                event.applicationProtocol = session.applicationProtocol();
                event.serverName = session.requestedServerName();
                event.commit();
            }
        }
    }

    /** The handshake of {@code event} (null: not recorded) failed for {@code reason}. Loop thread. */
    public static void failed(TlsHandshakeEvent event, CloseReason reason) {
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.failure = reason.toString();
                event.commit();
            }
        }
    }
}
