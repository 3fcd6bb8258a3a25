package io.eddy.examples;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.net.TcpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's first server ({@code while True: client, address = sock.accept();
 * client.sendall(b"hello")}), on an event loop.
 *
 * <p>What changed: the tutorial's loop serves one client at a time and blocks in {@code accept};
 * here one loop thread greets any number of clients at once. Each client gets exactly the bytes
 * {@code hello}; whatever it sends is logged as text (framed by {@link TextDecoder}); the
 * connection stays open until the client closes its side (or stays silent for five minutes), so
 * a client that sends and then reads (as the tutorial's client does) is never reset.
 *
 * <p>Threading: {@link #start} may be called from any thread; the handler runs on the loop.
 */
public final class GreetingServer {

    /** The tutorial's port. */
    public static final int PORT = 9999;
    /** How long a client may stay silent before the server closes its connection. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** What every client gets, as the tutorial's {@code client.sendall(b"hello")}. */
    public static final String GREETING = "hello";

    private static final Logger log = LoggerFactory.getLogger(GreetingServer.class);

    private GreetingServer() {
    }

    /** Listens on {@code host}:{@code port} (0: any free port) on {@code loop}. */
    public static TcpServer<String, String> start(EventLoop loop, String host, int port) throws IOException {
        return start(loop, host, port, Metrics.none());
    }

    /** As {@link #start(EventLoop, String, int)}, registering its figures with {@code metrics}. */
    static TcpServer<String, String> start(EventLoop loop, String host, int port, Metrics metrics) throws IOException {
        return greeter(TcpServer.on(loop), host, port).metrics(metrics).start();
    }

    /** Listens on {@code host}:{@code port} (0: any free port), its connections spread over {@code group}'s loops. */
    public static TcpServer<String, String> start(EventLoopGroup group, String host, int port) throws IOException {
        return start(group, host, port, Metrics.none());
    }

    /** As {@link #start(EventLoopGroup, String, int)}, registering its figures with {@code metrics}. */
    static TcpServer<String, String> start(EventLoopGroup group, String host, int port, Metrics metrics) throws IOException {
        return greeter(TcpServer.on(group), host, port).metrics(metrics).start();
    }

    private static TcpServer.Builder<String, String> greeter(TcpServer.Builder<Void, Void> server, String host, int port) {
        return server
                .bind(host, port)
                // A browser or nc pointed at the server (as the tutorial suggests) would otherwise
                // keep its connection open for ever.
                .options(ConnectionOptions.defaults().withIdleTimeout(IDLE_TIMEOUT))
                .codec(GreetingServer::codec)
                .handler(new Greeter());
    }

    /** The greeting protocol, both ways: text as it is, no separator added. */
    static Codec<String, String> codec() {
        return Codec.of(TextDecoder.strings(), (text, out) -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code greeting-server [--host H] [--port N] [--loops N]}: serves until the process is stopped. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("greeting-server", args));
    }

    static int run(Arguments args) throws IOException {
        String host = args.host();
        int port = args.port(PORT);
        return Examples.serve("greeting-server", host + ":" + port, args.loops(), loop -> start(loop, host, port),
                group -> start(group, host, port));
    }

    /** Greets, logs, and lets the client decide when it is over. One instance serves every connection. */
    private static final class Greeter implements Handler<String, String> {
        @Override
        public void onOpen(Connection<String> connection) {
            log.info("connect from {}", connection.remoteAddress());
            connection.write(GREETING);
        }

        @Override
        public void onMessage(Connection<String> connection, String text) {
            log.info("{} sent: {}", connection.remoteAddress(), text);
        }

        // onInputClosed is left as it is: when the client closes its side, close ours once the
        // greeting has left.

        @Override
        public void onClose(Connection<String> connection, CloseReason reason) {
            log.info("{} closed ({})", connection.remoteAddress(), reason);
        }
    }
}
