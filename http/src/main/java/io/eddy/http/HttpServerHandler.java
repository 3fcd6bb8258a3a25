package io.eddy.http;

import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;

/**
 * The core {@link Handler} of an HTTP server: gives each connection its {@link ServerConnection}
 * and passes it the connection's events. HTTP's own decode errors arrive as
 * {@link RequestPart.Invalid} parts (see {@link ServerRequestDecoder}); the only
 * {@code DecodeException}s left are core's (its inbound limit), and core closes for those.
 *
 * <p>Threading: loop thread only (shared by the server's connections, stateless itself).
 */
final class HttpServerHandler implements Handler<RequestPart, ResponsePart> {

    private static final AttributeKey<ServerConnection> STATE = AttributeKey.of("http.server.connection");

    private final ServerConfig config;

    HttpServerHandler(ServerConfig config) {
        this.config = config;
    }

    @Override
    public void onOpen(Connection<ResponsePart> connection) {
        connection.attr(STATE, new ServerConnection(config, connection));
    }

    @Override
    public void onMessage(Connection<ResponsePart> connection, RequestPart part) {
        connection.attr(STATE).onPart(part);
    }

    @Override
    public void onInputClosed(Connection<ResponsePart> connection) {
        connection.attr(STATE).onInputClosed();
    }

    @Override
    public void onWritabilityChanged(Connection<ResponsePart> connection, boolean writable) {
        connection.attr(STATE).onWritabilityChanged(writable);
    }

    @Override
    public void onClose(Connection<ResponsePart> connection, CloseReason reason) {
        ServerConnection state = connection.attr(STATE);
        if (state != null) {
            state.onClose();
        }
    }
}
