package io.eddy.http.websocket;

import io.eddy.core.codec.Codec;
import io.eddy.core.net.Connection;
import java.util.Objects;

/**
 * Switches a connection whose opening handshake is done to WebSocket: its codec becomes the frame
 * codec and its handler the protocol, which tells {@code handler}. The server calls it right after
 * writing {@code 101 Switching Protocols}, the client right after reading it; anything else that
 * speaks the handshake (a proxy, a test) may too.
 *
 * <p>Threading: on the connection's loop thread, at a decode boundary (see {@link Connection#upgrade}).
 */
public final class WebSocketUpgrade {

    private WebSocketUpgrade() {
    }

    /**
     * Switches {@code connection}.
     *
     * @param client      true on the client's side (it masks, and expects unmasked frames)
     * @param deflate     the permessage-deflate agreement, or null
     * @param subprotocol the agreed subprotocol, or null
     * @param target      the request target of the handshake
     * @return the open WebSocket (its handler's {@code onOpen} has run)
     */
    public static WebSocket switchTo(Connection<?> connection, boolean client, WebSocketHandler handler,
                                     WebSocketOptions options, PerMessageDeflate.Agreement deflate, String subprotocol,
                                     String target) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        Deflation deflation = null;
        Inflation inflation = null;
        if (deflate != null) {
            // Each side's own compression keeps its context unless the agreement says otherwise.
            boolean ownContext = client ? !deflate.clientNoContextTakeover() : !deflate.serverNoContextTakeover();
            boolean peerContext = client ? !deflate.serverNoContextTakeover() : !deflate.clientNoContextTakeover();
            deflation = new Deflation(ownContext);
            inflation = new Inflation(peerContext);
        }
        Codec<Frame, Frame> codec = Codec.of(new FrameDecoder(!client, options.maxFrameSize(), deflate != null),
                new FrameEncoder(client, options.fragmentSize(), deflation));
        WebSocketSession session = new WebSocketSession(client, handler, options,
                new MessageAssembler(options.maxMessageSize(), inflation), deflation, subprotocol, target);
        connection.upgrade(codec, session);
        return session;
    }
}
