package io.eddy.http.server;

import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.codec.ResponsePart;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

/**
 * The core {@link Handler} of an HTTP server: gives each connection its {@link Http1Connection},
 * passes it the connection's events, and knows the open ones so that the server can close them.
 * HTTP's own decode errors arrive as {@link RequestPart.Invalid} parts (see
 * {@link ErrorsAsPartsDecoder}); the only {@code DecodeException}s left are core's (its inbound
 * limit), and core closes for those.
 *
 * <p>Threading: loop thread only (one per server, shared by its connections).
 */
final class HttpConnections implements Handler<RequestPart, ResponsePart> {

    private static final AttributeKey<Http1Connection> SERVER_CONNECTION = AttributeKey.of("http.server.connection");

    private final ServerConfig config;
    /** Counts this loop's exchanges, or null. */
    private final RouteMetrics.Recorder metrics;
    private final Set<Http1Connection> open = new HashSet<>();
    /** Set once the server closes: run when its last connection has closed. */
    private Runnable whenAllClosed;

    HttpConnections(ServerConfig config, RouteMetrics.Recorder metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Closes every connection once what it owes is written (new requests are not read), then runs
     * {@code whenAllClosed}.
     */
    void closeAll(Runnable whenAllClosed) {
        this.whenAllClosed = whenAllClosed;
        for (Http1Connection connection : new ArrayList<>(open)) {
            connection.shutdown();
        }
        if (open.isEmpty()) {
            whenAllClosed.run();
        }
    }

    @Override
    public void onOpen(Connection<ResponsePart> connection) {
        Http1Connection state = new Http1Connection(config, connection, metrics);
        connection.attr(SERVER_CONNECTION, state);
        open.add(state);
        // A connection that became a WebSocket no longer tells this handler it closed: its close
        // future does, and it counts as open until then.
        connection.closeFuture().whenComplete((reason, failure) -> forget(state));
        if (whenAllClosed != null) {
            state.shutdown(); // accepted just before the server closed
        }
    }

    /**
     * The loop is shutting down: requests being processed get their answers, with
     * {@code Connection: close}, and an idle keep-alive connection closes at once.
     */
    @Override
    public void onLoopClosing(Connection<ResponsePart> connection) {
        connection.attr(SERVER_CONNECTION).shutdown();
    }

    @Override
    public void onMessage(Connection<ResponsePart> connection, RequestPart part) {
        connection.attr(SERVER_CONNECTION).onPart(part);
    }

    @Override
    public void onInputClosed(Connection<ResponsePart> connection) {
        connection.attr(SERVER_CONNECTION).onInputClosed();
    }

    @Override
    public void onWritabilityChanged(Connection<ResponsePart> connection, boolean writable) {
        connection.attr(SERVER_CONNECTION).onWritabilityChanged(writable);
    }

    @Override
    public void onClose(Connection<ResponsePart> connection, CloseReason reason) {
        Http1Connection state = connection.attr(SERVER_CONNECTION);
        if (state != null) {
            state.onClose();
            forget(state);
        }
    }

    private void forget(Http1Connection state) {
        if (open.remove(state) && whenAllClosed != null && open.isEmpty()) {
            whenAllClosed.run();
        }
    }
}
