package io.eddy.core.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/**
 * What a connection tells about its TLS once the handshake is done: the protocol version, cipher
 * suite, application protocol agreed by ALPN, the server name asked for, and the peer's
 * certificates (a client's, on a server that asks for them).
 *
 * <p>Taken once, after the handshake ({@link #of(SSLEngine)}), so it answers the same however the
 * engine changes later. {@link #session()} is the JDK's live session object, for what is not here
 * (its id, or values bound to it).
 *
 * <p>Threading: immutable; may be read from any thread.
 */
public final class TlsSession {

    private final String protocol;
    private final String cipherSuite;
    private final String applicationProtocol;
    private final String requestedServerName;
    private final List<X509Certificate> peerCertificates;
    private final SSLSession session;

    private TlsSession(String protocol, String cipherSuite, String applicationProtocol, String requestedServerName,
                       List<X509Certificate> peerCertificates, SSLSession session) {
        this.protocol = protocol;
        this.cipherSuite = cipherSuite;
        this.applicationProtocol = applicationProtocol;
        this.requestedServerName = requestedServerName;
        this.peerCertificates = peerCertificates;
        this.session = session;
    }

    /**
     * What {@code engine}'s finished handshake agreed.
     *
     * @throws IllegalStateException if the engine has not finished a handshake
     */
    public static TlsSession of(SSLEngine engine) {
        Objects.requireNonNull(engine, "engine");
        SSLSession session = engine.getSession();
        // Before the handshake the JDK's session is a placeholder with this suite.
        if (session == null || session.getCipherSuite() == null
                || session.getCipherSuite().equals("SSL_NULL_WITH_NULL_NULL")) {
            throw new IllegalStateException("the engine has not finished a handshake");
        }
        String applicationProtocol = engine.getApplicationProtocol();
        return new TlsSession(session.getProtocol(), session.getCipherSuite(),
                applicationProtocol == null ? "" : applicationProtocol,
                serverName(engine, session), peerCertificates(session), session);
    }

    private static String serverName(SSLEngine engine, SSLSession session) {
        String requested = CertificateKeyManager.requestedHostName(session);
        if (requested == null && engine.getUseClientMode()) {
            // A resumed or client-side session may not record the name; the engine knows what it sent.
            for (SNIServerName name : engine.getSSLParameters().getServerNames()) {
                if (name.getType() == StandardConstants.SNI_HOST_NAME && name instanceof SNIHostName host) {
                    return host.getAsciiName().toLowerCase(Locale.ROOT);
                }
            }
        }
        // Host names compare case-insensitively, and a resumed session keeps the case of the
        // handshake that made it: lower case makes the answer the same either way.
        return requested == null ? null : requested.toLowerCase(Locale.ROOT);
    }

    private static List<X509Certificate> peerCertificates(SSLSession session) {
        Certificate[] certificates;
        try {
            certificates = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            // The peer sent none: a client that a server only requested a certificate from.
            return List.of();
        }
        List<X509Certificate> x509 = new ArrayList<>(certificates.length);
        for (Certificate certificate : certificates) {
            if (certificate instanceof X509Certificate x) {
                x509.add(x);
            }
        }
        return List.copyOf(x509);
    }

    /** The protocol version, such as {@code "TLSv1.3"}. */
    public String protocol() {
        return protocol;
    }

    /** The cipher suite, such as {@code "TLS_AES_128_GCM_SHA256"}. */
    public String cipherSuite() {
        return cipherSuite;
    }

    /** The application protocol agreed by ALPN, such as {@code "http/1.1"}; empty when none was. */
    public String applicationProtocol() {
        return applicationProtocol;
    }

    /**
     * The host name asked for by SNI: on a server, the one the client sent; on a client, the one it
     * sent; in lower case. Null when none was (a client connecting to an IP address sends none).
     */
    public String requestedServerName() {
        return requestedServerName;
    }

    /**
     * The peer's certificates, its own first; empty when it sent none (a client not asked for one,
     * or one that declined a request).
     */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    /** The JDK's session, for what this class does not carry. */
    public SSLSession session() {
        return session;
    }

    /** The protocol, suite, ALPN name, server name and peer's subject, for logs. */
    @Override
    public String toString() {
        return "TlsSession[" + protocol + " " + cipherSuite
                + (applicationProtocol.isEmpty() ? "" : ", alpn=" + applicationProtocol)
                + (requestedServerName == null ? "" : ", sni=" + requestedServerName)
                + (peerCertificates.isEmpty() ? "" : ", peer=" + peerCertificates.get(0).getSubjectX500Principal())
                + "]";
    }
}
