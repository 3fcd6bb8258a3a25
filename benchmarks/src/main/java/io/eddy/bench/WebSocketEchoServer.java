package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.net.ConnectionGroup;
import io.eddy.http.server.HttpServer;
import io.eddy.http.server.Router;
import io.eddy.http.websocket.Frame;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketBroadcast;
import io.eddy.http.websocket.WebSocketHandler;
import java.nio.ByteBuffer;

/**
 * The WebSocket benchmark's server on Eddy: {@code /echo} sends every text and binary message
 * back; {@code /room} puts every socket in one {@link ConnectionGroup} and broadcasts each text
 * message a member sends to all the others, encoded once ({@link WebSocketBroadcast}). On either
 * path the text {@value BroadcastWire#ALLOCATED} is answered, to its sender only, with the bytes
 * the loop threads have allocated (as {@link BroadcastWire} says). Written with the public API, as an
 * application would be; no compression (the load does not offer it).
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.WebSocketEchoServer --port N [--loops N]}.
 * Threading: one loop, or {@code --loops N}; the handlers are shared by every loop (the group is thread-safe).
 */
public final class WebSocketEchoServer {

    /** The name of the loop threads, whose allocation the server reports. */
    static final String THREADS = "ws-bench";

    private WebSocketEchoServer() {
    }

    /** {@code --port N --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.start(THREADS);
            ServerArgs.announce(start(loop, options.port()).port());
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.start(THREADS, options.loops());
            ServerArgs.announce(HttpServer.on(group).router(routes()).bind(options.port()).start().port());
            group.terminationFuture().join();
        }
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static HttpServer start(EventLoop loop, int port) throws Exception {
        return HttpServer.on(loop).router(routes()).bind(port).start();
    }

    private static Router routes() {
        return new Router().websocket("/echo", new Echo()).websocket("/room", new Room());
    }

    /** Answers the allocation question; returns whether {@code text} was it. */
    private static boolean answered(WebSocket socket, String text) {
        if (!text.equals(BroadcastWire.ALLOCATED)) {
            return false;
        }
        socket.sendText(BroadcastWire.allocatedAnswer(ThreadAllocation.bytes(THREADS)));
        return true;
    }

    /** Every message back, unchanged. */
    private static final class Echo implements WebSocketHandler {
        @Override
        public void onText(WebSocket socket, String text) {
            if (!answered(socket, text)) {
                socket.sendText(text);
            }
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    }

    /** One group for every socket; a member's text goes to all the others. */
    private static final class Room implements WebSocketHandler {
        private final ConnectionGroup<Frame> members = new ConnectionGroup<>(WebSocketBroadcast.PLAIN);

        @Override
        public void onOpen(WebSocket socket) {
            members.add(socket.connection(), WebSocketBroadcast.encoderFor(socket));
            // After joining, so a receiver greeted is one every later broadcast reaches.
            socket.sendText(BroadcastWire.WELCOME);
        }

        @Override
        public void onText(WebSocket socket, String text) {
            if (!answered(socket, text)) {
                members.broadcastExcept(Frame.text(text), socket.connection());
            }
        }
    }
}
