/**
 * TLS configuration: what a server or client needs to speak TLS, built once and shared by all its
 * connections. {@link io.eddy.core.tls.ServerTls} and {@link io.eddy.core.tls.ClientTls} hold the
 * certificates, trust, protocol versions, cipher suites, ALPN names and timeouts, and make one
 * configured {@link javax.net.ssl.SSLEngine} per connection; {@link io.eddy.core.tls.PemFiles}
 * reads PEM certificates and PKCS#8 keys with the JDK alone; {@link io.eddy.core.tls.TlsSession}
 * is what a connection tells about its TLS once the handshake is done.
 *
 * <p>The encryption itself (driving the engine, the handshake, {@code close_notify}) is the
 * transport's, inside the connections; nothing here touches a socket. Everything here is immutable
 * and thread-safe unless its documentation says otherwise.
 */
package io.eddy.core.tls;
