package io.eddy.samples.kv;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.TcpServer;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key-value server: {@link KvCodec} and {@link KvHandler} on one event loop, over a store only
 * that loop touches.
 *
 * <p>{@link #main} embeds the loop: it builds the loop without starting a thread for it, starts the
 * server on it, and then runs the loop on the main thread itself, until Ctrl-C (a shutdown hook)
 * closes it. Other threads talk to the loop with {@code execute}, as {@link #size()} does.
 *
 * <p>Threading: {@link #start}, {@link #size} and {@link #close} are safe from any thread.
 */
public final class KvServer implements AutoCloseable {

    /** The port {@link #main} listens on unless told otherwise. */
    public static final int PORT = 7070;
    /** A client silent this long is disconnected. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(KvServer.class);

    private final EventLoop loop;
    private final TcpServer<Command, Reply> server;
    /** Touched on the loop thread only. */
    private final Map<String, byte[]> store;

    private KvServer(EventLoop loop, TcpServer<Command, Reply> server, Map<String, byte[]> store) {
        this.loop = loop;
        this.server = server;
        this.store = store;
    }

    /** Listens on {@code host}:{@code port} (0: any free port), its connections on {@code loop}. */
    public static KvServer start(EventLoop loop, String host, int port) throws IOException {
        Map<String, byte[]> store = new HashMap<>();
        TcpServer<Command, Reply> server = TcpServer.on(loop)
                .bind(host, port)
                .options(ConnectionOptions.defaults().withIdleTimeout(IDLE_TIMEOUT))
                .codec(KvCodec::new)                        // one codec per connection
                .handler(new KvHandler(store))              // one handler for all of them
                .start();
        return new KvServer(loop, server, store);
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** How many keys the store holds, asked of the loop thread, which owns the store. */
    public CompletableFuture<Integer> size() {
        CompletableFuture<Integer> size = new CompletableFuture<>();
        loop.execute(() -> size.complete(store.size()));
        return size;
    }

    /** Stops listening; connections already open stay open until they or the loop close. */
    @Override
    public void close() {
        server.close();
    }

    /** {@code kv-store [port]}: serves on 127.0.0.1 until the process is stopped. */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : PORT;
        EventLoop loop = EventLoop.builder().name("kv").build();      // built, not started: no thread yet
        KvServer kv = start(loop, "127.0.0.1", port);
        log.info("kv-store on 127.0.0.1:{}; try: printf 'SET a 2\\r\\nhi\\r\\nGET a\\r\\n' | nc 127.0.0.1 {}",
                kv.port(), kv.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> loop.shutdown(Duration.ofSeconds(5)).join()));
        loop.run();                                                    // the main thread is the loop now
        log.info("stopped");
    }
}
