package io.eddy.http.client;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.codec.HttpRequestEncoder;
import io.eddy.http.websocket.CloseCodes;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * An {@link HttpClient}'s part on one loop: the origin pools whose connections live there, and
 * the calls they carry. A client on one loop is one part; a client on a group has one per loop,
 * each independent of the others, so a pool is only ever touched by its own loop's thread and
 * needs no lock.
 *
 * <p>Threading: {@link #send} and {@link #close} are safe from any thread; the rest is loop thread
 * only.
 */
final class LoopClient {

    private final EventLoop loop;
    private final ClientSettings settings;
    private final Connector connector;
    /** The pools' figures on this loop; null when the client's metrics are off. */
    private final PoolFigures figures;
    /** The pools by origin (scheme, host and port), of origins with a connection open or opening or a call waiting; loop thread only. */
    private final Map<String, OriginPool> pools = new HashMap<>();
    /** The WebSockets open on this loop: loop thread only. */
    private final Set<WebSocket> sockets = new HashSet<>();
    private volatile boolean closed;

    LoopClient(EventLoop loop, ClientSettings settings, Connector connector, PoolFigures figures) {
        this.loop = loop;
        this.settings = settings;
        this.connector = connector;
        this.figures = figures;
    }

    /** See {@link HttpClient#send}: the call starts on this part's loop. */
    CompletableFuture<Response> send(Request request) {
        Call call = new Call(this, request);
        if (closed) {
            call.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client is closed"));
            return call.future;
        }
        try {
            loop.execute(call::start);
        } catch (RejectedExecutionException e) {
            call.fail(new HttpClientException(Kind.CLIENT_CLOSED, "the client's event loop has ended", e));
        }
        return call.future;
    }

    /** Fails what waits or is in flight here and closes every connection (WebSockets with 1001); returns at once. */
    void close() {
        closed = true;
        try {
            loop.execute(() -> {
                for (OriginPool pool : new ArrayList<>(pools.values())) {
                    pool.close();
                }
                pools.clear();
                for (WebSocket socket : new ArrayList<>(sockets)) {
                    socket.close(CloseCodes.GOING_AWAY, "client closing");
                }
            });
        } catch (RejectedExecutionException loopEnded) {
            // The loop closed every connection as it ended.
        }
    }

    EventLoop loop() {
        return loop;
    }

    ClientSettings settings() {
        return settings;
    }

    boolean isClosed() {
        return closed;
    }

    /** See {@link HttpClient#websocket(WebSocketRequest, WebSocketHandler)}: a connection of its own, dialled on this loop. */
    CompletableFuture<WebSocket> websocket(WebSocketRequest request, WebSocketHandler handler) {
        WebSocketDial dial = new WebSocketDial(request, handler, settings);
        if (closed) {
            dial.future.completeExceptionally(new HttpClientException(Kind.CLIENT_CLOSED, "the client is closed"));
            return dial.future;
        }
        dial.future.thenAccept(socket -> {
            // On the loop: the socket opened there. Closing the client closes it with 1001.
            sockets.add(socket);
            socket.connection().closeFuture().whenComplete((reason, failure) -> sockets.remove(socket));
        });
        URI uri = request.uri();
        Runnable connect = () -> connector.connect(host(uri), Request.port(uri), Request.isHttps(uri),
                        Codec.of(dial.decoder(), new HttpRequestEncoder()), dial, webSocketOptions(request.options()))
                .whenComplete((connection, failure) -> {
                    if (failure != null) {
                        dial.future.completeExceptionally(new HttpClientException(Kind.CONNECT_FAILED,
                                "cannot connect to " + uri + ": " + failure, failure));
                    }
                });
        if (loop.inEventLoop()) {
            connect.run();
        } else {
            try {
                loop.execute(connect);
            } catch (RejectedExecutionException e) {
                dial.future.completeExceptionally(new HttpClientException(Kind.CLIENT_CLOSED, "the client's loop has ended"));
            }
        }
        return dial.future;
    }

    /**
     * A WebSocket's connection: reading pauses while it is not writable (an echo cannot flood
     * it), and the outbound limit holds the largest message on top of the backlog the options
     * allow, with room for frame headers.
     */
    private static ConnectionOptions webSocketOptions(WebSocketOptions options) {
        ConnectionOptions defaults = ConnectionOptions.defaults();
        long needed = options.maxQueuedBytes() + options.maxMessageSize() + (1 << 20);
        return defaults.withMaxOutboundBytes(Math.max(defaults.maxOutboundBytes(), needed));
    }

    /** {@code uri}'s host as InetSocketAddress takes it: an IPv6 literal without its brackets. */
    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Loop thread: where the pools report their levels; null when metrics are off. */
    PoolFigures figures() {
        return figures;
    }

    /** How the pools open connections: over TCP on this loop, unless a test gave the builder another way. */
    Connector connector() {
        return connector;
    }

    /** Loop thread: the pool of {@code uri}'s origin. */
    OriginPool pool(URI uri) {
        String host = host(uri);
        int port = Request.port(uri);
        String h = host;
        boolean tls = Request.isHttps(uri);
        return pools.computeIfAbsent(Call.origin(uri), origin -> new OriginPool(this, origin, h, port, tls));
    }

    /** Loop thread: {@code pool} has nothing open, opening or waiting; a later call to its origin makes a new one. */
    void forget(String origin, OriginPool pool) {
        pools.remove(origin, pool);
    }

    /** Loop thread: the origins this part holds a pool for (for tests and monitoring). */
    int pools() {
        return pools.size();
    }

    /** Loop thread: connections open or opening to {@code url}'s origin (for tests and monitoring). */
    int openConnections(String url) {
        OriginPool pool = pools.get(Call.origin(URI.create(url)));
        return pool == null ? 0 : pool.openConnections();
    }

    @Override
    public String toString() {
        return "HttpClient part on " + loop.name();
    }
}
