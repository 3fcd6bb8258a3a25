package io.eddy.http.client;

import io.eddy.core.net.TcpClient;
import io.eddy.core.tls.ClientTls;
import io.eddy.http.ResponseLimits;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * An {@link HttpClient}'s settings, as its builder collected them (see the table on
 * {@code HttpClient}), shared by the client's part on every loop.
 *
 * <p>Immutable; thread-safe.
 *
 * @param socketOptions applied to the {@code TcpClient} builder of each new connection
 * @param tls           the TLS of https connections, ALPN {@code http/1.1} set; null for the default
 *                      ({@link TcpConnector#defaultTls()}), made at the first https connection
 */
record ClientSettings(int maxConnectionsPerOrigin, int maxWaiting, Duration idleTimeout, Duration connectTimeout,
                      Duration responseTimeout, int maxRedirects, String userAgent, ResponseLimits limits,
                      List<Consumer<TcpClient.Builder<Void, Void>>> socketOptions, ClientTls tls) {

    ClientSettings {
        socketOptions = List.copyOf(socketOptions);
    }
}
