package io.eddy.http.client;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.net.TcpClient;
import io.eddy.core.tls.ClientTls;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.codec.ClientResponsePart;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The client's {@link Connector}: resolves the host off the loop, then opens a TCP connection with
 * the client's connect timeout and socket options, over TLS for an https origin.
 *
 * <p>Threading: immutable; {@link #connect} is called on the loop thread, and its future completes
 * on the loop thread, or on the resolving thread when the name cannot be resolved.
 */
final class TcpConnector implements Connector {

    /** The one application protocol the client speaks, offered by ALPN. */
    private static final List<String> ALPN = List.of("http/1.1");

    private final EventLoop loop;
    private final Duration connectTimeout;
    /** The socket options, applied to the TcpClient builder of each new connection. */
    private final List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions;
    /** The TLS of https connections, or null for {@link #defaultTls()}. */
    private final ClientTls tls;

    TcpConnector(EventLoop loop, Duration connectTimeout, List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions,
                 ClientTls tls) {
        this.loop = loop;
        this.connectTimeout = connectTimeout;
        this.socketOptions = List.copyOf(socketOptions);
        this.tls = tls;
    }

    /** The system's trust store, made once, at the first https connection of any client that set no TLS of its own. */
    private static final class DefaultTls {
        static final ClientTls INSTANCE = ClientTls.defaults().withApplicationProtocols(ALPN);
    }

    /** The TLS a client uses when its builder was given none: {@link ClientTls#defaults()} offering {@code http/1.1}. */
    static ClientTls defaultTls() {
        return DefaultTls.INSTANCE;
    }

    /**
     * {@code tls} offering the ALPN name {@code http/1.1}: given it when it offers none; refused when
     * it offers another, which a server might agree on and then speak.
     */
    static ClientTls forHttp(ClientTls tls) {
        List<String> offered = tls.applicationProtocols();
        if (offered.isEmpty()) {
            return tls.withApplicationProtocols(ALPN);
        }
        if (!offered.equals(ALPN)) {
            throw new IllegalArgumentException("the HTTP client speaks HTTP/1.1 only, but its ClientTls offers the ALPN"
                    + " names " + offered + ": leave them out (the client then offers http/1.1) or give only " + ALPN);
        }
        return tls;
    }

    @Override
    public CompletableFuture<Connection<ClientRequestPart>> connect(String host, int port, boolean https,
                                                                    Codec<ClientResponsePart, ClientRequestPart> codec,
                                                                    Handler<ClientResponsePart, ClientRequestPart> handler) {
        // A client uploading a body must go on reading: a server may answer before the body ends,
        // and a server that stops reading while its own answer waits would leave both waiting.
        // The request stream paces itself on onWritabilityChanged instead.
        return connect(host, port, https, codec, handler, ConnectionOptions.defaults().withReadPausedWhileUnwritable(false));
    }

    @Override
    public CompletableFuture<Connection<ClientRequestPart>> connect(String host, int port, boolean https,
                                                                    Codec<ClientResponsePart, ClientRequestPart> codec,
                                                                    Handler<ClientResponsePart, ClientRequestPart> handler,
                                                                    ConnectionOptions options) {
        // Off the loop: a slow name lookup must not stall it, nor the first load of the system's trust store.
        return CompletableFuture.supplyAsync(() -> {
                    ClientTls connectionTls = https ? (tls != null ? tls : defaultTls()) : null;
                    // Resolved, and still holding the host as the URL gave it: TcpClient checks the
                    // server's certificate against that name and sends it as SNI.
                    InetSocketAddress address = new InetSocketAddress(host, port);
                    return tcpClient(connectionTls, options).codec(() -> codec).handler(handler).build()
                            .connect(address);
                })
                .thenCompose(connecting -> connecting);
    }

    /** A TcpClient builder with the client's socket options, and TLS if {@code tls} is not null, for a new connection. */
    private TcpClient.Builder<Void, Void> tcpClient(ClientTls tls, ConnectionOptions options) {
        TcpClient.Builder<Void, Void> builder = TcpClient.on(loop).connectTimeout(connectTimeout).options(options);
        socketOptions.forEach(option -> option.accept(builder));
        if (tls != null) {
            builder.tls(tls);
        }
        return builder;
    }
}
