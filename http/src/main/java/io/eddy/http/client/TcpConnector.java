package io.eddy.http.client;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.net.TcpClient;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.codec.ClientResponsePart;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The client's {@link Connector}: resolves the host off the loop, then opens a TCP connection with
 * the client's connect timeout and socket options.
 *
 * <p>Threading: immutable; {@link #connect} is called on the loop thread, and its future completes
 * on the loop thread, or on the resolving thread when the name cannot be resolved.
 */
final class TcpConnector implements Connector {

    private final EventLoop loop;
    private final Duration connectTimeout;
    /** The socket options, applied to the TcpClient builder of each new connection. */
    private final List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions;

    TcpConnector(EventLoop loop, Duration connectTimeout, List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions) {
        this.loop = loop;
        this.connectTimeout = connectTimeout;
        this.socketOptions = List.copyOf(socketOptions);
    }

    @Override
    public CompletableFuture<Connection<ClientRequestPart>> connect(String host, int port,
                                                                    Codec<ClientResponsePart, ClientRequestPart> codec,
                                                                    Handler<ClientResponsePart, ClientRequestPart> handler) {
        // The name is resolved off the loop: a slow lookup must not stall it.
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(host, port))
                .thenCompose(address -> tcpClient()
                        .codec(() -> codec)
                        .handler(handler)
                        .build()
                        .connect(address));
    }

    /** A TcpClient builder with the client's socket options, for a new connection. */
    private TcpClient.Builder<Void, Void> tcpClient() {
        // A client uploading a body must go on reading: a server may answer before the body ends,
        // and a server that stops reading while its own answer waits would leave both waiting.
        // The request stream paces itself on onWritabilityChanged instead.
        TcpClient.Builder<Void, Void> builder = TcpClient.on(loop).connectTimeout(connectTimeout)
                .options(ConnectionOptions.defaults().withReadPausedWhileUnwritable(false));
        socketOptions.forEach(option -> option.accept(builder));
        return builder;
    }
}
