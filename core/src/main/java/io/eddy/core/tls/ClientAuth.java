package io.eddy.core.tls;

/**
 * Whether a TLS server asks its clients for a certificate ({@link ServerTls.Builder#clientAuth}).
 * A certificate a client does send is checked against the server's client trust store either way,
 * and can be read afterwards from {@link TlsSession#peerCertificates()}.
 */
public enum ClientAuth {
    /** The server does not ask; clients send no certificate. The default. */
    NONE,
    /** The server asks; a client without a certificate is still served (its session has no peer certificates). */
    REQUESTED,
    /** The server asks and fails the handshake of a client that sends no certificate it trusts. */
    REQUIRED
}
