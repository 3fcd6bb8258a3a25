package io.eddy.http.client;

import io.eddy.core.codec.Codec;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.codec.ClientResponsePart;
import java.util.concurrent.CompletableFuture;

/**
 * How an {@link OriginPool} opens a connection to an origin. A client opens TCP connections
 * ({@link TcpConnector}); the package's tests hand the pool in-memory connections on a test loop
 * instead, and play the server, so the pool's timeouts and retries run without sockets, in
 * virtual time.
 *
 * <p>Threading: {@link #connect} is called on the client's loop thread and must not block; the
 * future may complete on any thread (the pool takes the outcome back to its loop).
 */
@FunctionalInterface
interface Connector {

    /**
     * Opens a connection to {@code host} and {@code port} on the client's loop, over TLS when
     * {@code tls} is true (the server's certificate must hold {@code host}), whose pipeline is
     * {@code codec} and whose handler is {@code handler}. The future completes with the open
     * connection, or fails with the reason it could not be opened (the pool reports it as
     * {@code CONNECT_FAILED}); a failure never throws from here, since the pool has counted the
     * connection as opening and frees its slot only when the future fails.
     */
    CompletableFuture<Connection<ClientRequestPart>> connect(String host, int port, boolean tls,
                                                             Codec<ClientResponsePart, ClientRequestPart> codec,
                                                             Handler<ClientResponsePart, ClientRequestPart> handler);

    /**
     * As the other {@code connect}, with these connection options (a WebSocket's larger outbound
     * limit) where the connector makes real connections; by default they are not used.
     */
    default CompletableFuture<Connection<ClientRequestPart>> connect(String host, int port, boolean tls,
                                                                     Codec<ClientResponsePart, ClientRequestPart> codec,
                                                                     Handler<ClientResponsePart, ClientRequestPart> handler,
                                                                     ConnectionOptions options) {
        return connect(host, port, tls, codec, handler);
    }
}
