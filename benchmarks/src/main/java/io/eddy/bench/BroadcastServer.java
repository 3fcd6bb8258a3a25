package io.eddy.bench;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionGroup;
import io.eddy.core.net.Handler;
import io.eddy.core.net.TcpServer;
import java.io.IOException;

/**
 * The broadcast benchmark's server on Eddy: every connection joins one {@link ConnectionGroup},
 * and each line a member sends goes to all the others through
 * {@link ConnectionGroup#broadcastExcept}, encoded once (see {@link BroadcastWire}). Written as a
 * chat room would be, with the public API.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.BroadcastServer --port N [--loops N]}. Threading:
 * one loop thread, or with {@code --loops N} a group of N, the members spread over them; the
 * handler is shared by every loop (the group is thread-safe).
 */
public final class BroadcastServer {

    /** The name of the loop threads, whose allocation the server reports. */
    static final String THREADS = "broadcast";

    private BroadcastServer() {
    }

    /** {@code --port N} (0: any free port) {@code --loops N}; prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws Exception {
        ServerArgs options = ServerArgs.parse(args);
        if (options.loops() == 1) {
            EventLoop loop = EventLoop.start(THREADS);
            ServerArgs.announce(start(loop, options.port()).port());
            loop.awaitTermination();
        } else {
            EventLoopGroup group = EventLoopGroup.start(THREADS, options.loops());
            ServerArgs.announce(room(TcpServer.on(group).bind(options.port())).start().port());
            group.terminationFuture().join();
        }
    }

    /** Serves on {@code port} (0: any free port) on {@code loop}. */
    static TcpServer<String, String> start(EventLoop loop, int port) throws IOException {
        return room(TcpServer.on(loop).bind(port)).start();
    }

    /** Serves on {@code port} (0: any free port) on {@code group}'s loops. */
    static TcpServer<String, String> start(EventLoopGroup group, int port) throws IOException {
        return room(TcpServer.on(group).bind(port)).start();
    }

    private static TcpServer.Builder<String, String> room(TcpServer.Builder<Void, Void> server) {
        return server.codec(LineCodec::new).handler(new Room());
    }

    /** One group for every connection; the members' codec encodes as the group's does. */
    private static final class Room implements Handler<String, String> {
        private final ConnectionGroup<String> members = new ConnectionGroup<>(new LineCodec());

        @Override
        public void onOpen(Connection<String> connection) {
            members.add(connection);
            // After joining, so a receiver greeted is one every later broadcast reaches.
            connection.write(BroadcastWire.WELCOME);
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            if (line.equals(BroadcastWire.ALLOCATED)) {
                connection.write(BroadcastWire.allocatedAnswer(ThreadAllocation.bytes(THREADS)));
            } else {
                members.broadcastExcept(line, connection);
            }
        }
    }
}
