package io.eddy.http.websocket;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Encoder;

/**
 * Encoders for sending one message to many WebSockets through a
 * {@link io.eddy.core.net.ConnectionGroup}, encoded once: a server's frames are not masked, so
 * the same bytes are right for every socket.
 *
 * <pre>{@code
 * ConnectionGroup<Frame> room = new ConnectionGroup<>(WebSocketBroadcast.PLAIN);
 * room.add(socket.connection(), WebSocketBroadcast.encoderFor(socket));   // in onOpen
 * room.broadcast(Frame.text("hello, all"));
 * }</pre>
 *
 * <p><b>Compression, shared.</b> A message compressed alone (a fresh deflate context) inflates
 * the same on every socket, but only a socket whose server side agreed
 * {@code server_no_context_takeover} may get it: elsewhere the socket's own compressed messages
 * refer back to a window the shared one was never part of. {@link #encoderFor} picks
 * {@link #COMPRESSED} for such sockets and {@link #PLAIN} (always valid, compression or not) for
 * the rest; the group then compresses once for all that can share it and frames plainly once for
 * the others. A route makes its sockets share by
 * {@link WebSocketOptions#withContextTakeover withContextTakeover(false)}.
 *
 * <p>A broadcast bypasses each socket's own send path: it is not counted against the backlog
 * policy (the group's own rule for members that are not writable applies), and one racing a close
 * may land after the close frame, which the peer then ignores.
 *
 * <p>Threading: both encoders are safe from any thread (the compressing one keeps a deflater per
 * thread, about 256 KiB of native memory on each thread that broadcasts).
 */
public final class WebSocketBroadcast {

    /** Frames of at most 64 KiB. */
    private static final int FRAGMENT = 64 * 1024;

    /** Plain frames: right for every socket. */
    public static final Encoder<Frame> PLAIN = FrameEncoder.server(FRAGMENT);

    /** Each data message compressed alone: right for sockets that {@link WebSocket#sharesCompression() share compression}. */
    public static final Encoder<Frame> COMPRESSED = new Encoder<>() {
        private final ThreadLocal<FrameEncoder> perThread =
                ThreadLocal.withInitial(() -> new FrameEncoder(false, FRAGMENT, new Deflation(false)));

        @Override
        public void encode(Frame frame, ByteSink out) {
            perThread.get().encode(frame, out);
        }
    };

    private WebSocketBroadcast() {
    }

    /** {@link #COMPRESSED} for a socket that shares compression, else {@link #PLAIN}. */
    public static Encoder<Frame> encoderFor(WebSocket socket) {
        return socket.sharesCompression() ? COMPRESSED : PLAIN;
    }
}
