package io.eddy.core.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A TLS client's configuration: which servers it trusts, whether it checks their host names, its
 * own certificate if it has one, the protocol versions, cipher suites and ALPN names it offers,
 * and its handshake and close timeouts. A client makes one {@link #newEngine(String, int) SSLEngine}
 * per connection from it.
 *
 * <pre>{@code
 * ClientTls tls = ClientTls.defaults();                           // the JDK's trusted CAs
 * ClientTls internal = ClientTls.builder().trustCertificates(Path.of("ca.pem")).build();
 * }</pre>
 *
 * <h2>Defaults</h2>
 * The JDK's trust store ({@code cacerts}, or the one the {@code javax.net.ssl.trustStore} system
 * property names); the server's certificate must hold the host name (or IP address) connected to,
 * checked as HTTPS clients do (RFC 2818); the host name sent as SNI; TLS 1.3 and 1.2 only; the
 * JDK's enabled AEAD forward-secret cipher suites; no ALPN; no client certificate; a 10 s
 * handshake timeout and a 2 s wait for the server's {@code close_notify}.
 *
 * <p>Threading: immutable and thread-safe; {@link #newEngine(String, int)} may be called from any
 * thread, and each engine it returns belongs to one connection.
 */
public final class ClientTls {

    // IPv4 dotted quads and anything with a colon (IPv6) are addresses: never sent as SNI (RFC 6066
    // section 3), and checked against the certificate's IP entries instead of its DNS names.
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final SSLContext context;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final List<String> applicationProtocols;
    private final boolean hostnameVerification;
    private final Duration handshakeTimeout;
    private final Duration closeNotifyTimeout;
    private final String source;
    private final String description;

    private ClientTls(SSLContext context, String[] protocols, String[] cipherSuites, List<String> applicationProtocols,
                      boolean hostnameVerification, Duration handshakeTimeout, Duration closeNotifyTimeout,
                      String source) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.applicationProtocols = applicationProtocols;
        this.hostnameVerification = hostnameVerification;
        this.handshakeTimeout = handshakeTimeout;
        this.closeNotifyTimeout = closeNotifyTimeout;
        this.source = source;
        this.description = "ClientTls[" + source + ", protocols=" + Arrays.toString(protocols)
                + ", alpn=" + applicationProtocols + ", hostnameVerification=" + hostnameVerification
                + ", handshakeTimeout=" + handshakeTimeout + ", closeNotifyTimeout=" + closeNotifyTimeout + "]";
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults above: one shared instance, made on first use (loading the JDK's trust store). */
    public static ClientTls defaults() {
        return Defaults.INSTANCE;
    }

    private static final class Defaults {
        static final ClientTls INSTANCE = builder().build();
    }

    /**
     * A new engine in client mode for one connection to {@code host}: the host and port let the
     * JDK resume an earlier session with the same server; the host is sent as SNI when it is a
     * name, and (unless host name verification is off) the server's certificate must hold it.
     *
     * @param host the host name or IP address connected to, as the user gave it (not one looked up)
     * @param port the server's port
     */
    public SSLEngine newEngine(String host, int port) {
        String peer = peerHost(host);
        SSLEngine engine = context.createSSLEngine(peer, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(cipherSuites);
        if (isIpAddress(peer)) {
            parameters.setServerNames(List.of());
        } else {
            parameters.setServerNames(List.of(new SNIHostName(peer)));
        }
        if (hostnameVerification) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!applicationProtocols.isEmpty()) {
            parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** {@code host} as the engine wants it: no IPv6 brackets, no trailing dot (SNI forbids it). */
    private static String peerHost(String host) {
        Objects.requireNonNull(host, "host");
        String peer = host.strip();
        if (peer.startsWith("[") && peer.endsWith("]")) {
            peer = peer.substring(1, peer.length() - 1);
        }
        if (peer.endsWith(".")) {
            peer = peer.substring(0, peer.length() - 1);
        }
        if (peer.isEmpty()) {
            throw new IllegalArgumentException("no host: '" + host + "'");
        }
        return peer;
    }

    static boolean isIpAddress(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** How long a handshake may take, from the connection's start, before the connection closes. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long a graceful close, having sent {@code close_notify}, waits for the server's before it
     * closes the socket anyway. Zero: it does not wait.
     */
    public Duration closeNotifyTimeout() {
        return closeNotifyTimeout;
    }

    /** The ALPN names offered, most preferred first; empty when the client offers none. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * This configuration offering other ALPN names, sharing its trust and context: how a protocol
     * layer (HTTP) adds the name it speaks to a configuration the application made.
     */
    public ClientTls withApplicationProtocols(List<String> names) {
        List<String> checked = TlsSettings.applicationProtocols(names);
        return new ClientTls(context, protocols, cipherSuites, checked, hostnameVerification, handshakeTimeout,
                closeNotifyTimeout, source);
    }

    /** Whether the server's certificate must hold the host name connected to. */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** A summary for logs: where the trust comes from and the settings; no key material. */
    @Override
    public String toString() {
        return description;
    }

    /**
     * Collects a {@link ClientTls}'s settings; {@link #build()} reads the files and checks them.
     *
     * <p>Threading: not thread-safe; use a builder from one thread.
     */
    public static final class Builder {

        private Path trustCertificates;
        private KeyStore trustStore;
        private SSLContext sslContext;
        private boolean hostnameVerification = true;
        private Path clientChainPem;
        private Path clientKeyPem;
        private List<String> protocols;
        private List<String> cipherSuites;
        private List<String> applicationProtocols = List.of();
        private Duration handshakeTimeout = TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration closeNotifyTimeout = TlsSettings.DEFAULT_CLOSE_NOTIFY_TIMEOUT;

        private Builder() {
        }

        /**
         * Trust the certificate authorities in {@code caPem} (a PEM file of one or more
         * certificates) instead of the JDK's: for a private CA, or a test one.
         */
        public Builder trustCertificates(Path caPem) {
            this.trustCertificates = Objects.requireNonNull(caPem, "caPem");
            return this;
        }

        /** Trust the certificate entries of {@code store} instead of the JDK's. */
        public Builder trustStore(KeyStore store) {
            this.trustStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * A ready context: its trust manager (and key manager, for a client certificate) decide what
         * is trusted and sent. Protocols, cipher suites, ALPN, SNI and host name verification are
         * still set on each engine from this builder.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Whether the server's certificate must hold the host name or IP address connected to;
         * default true. Turn it off only for tests or when another check (a pinned certificate in
         * the trust store) stands in for it: off, any certificate the trust store accepts is taken
         * for any host.
         */
        public Builder hostnameVerification(boolean verify) {
            this.hostnameVerification = verify;
            return this;
        }

        /** The certificate (chain first, as for a server) and PKCS#8 key sent when a server asks for one. */
        public Builder clientCertificate(Path chainPem, Path keyPem) {
            this.clientChainPem = Objects.requireNonNull(chainPem, "chainPem");
            this.clientKeyPem = Objects.requireNonNull(keyPem, "keyPem");
            return this;
        }

        /** The protocol versions offered, such as {@code "TLSv1.3"}; default TLS 1.3 and 1.2. */
        public Builder protocols(String... protocols) {
            this.protocols = TlsSettings.names("protocol", protocols);
            return this;
        }

        /** The cipher suites offered, most preferred first; default the JDK's enabled AEAD forward-secret suites. */
        public Builder cipherSuites(String... cipherSuites) {
            this.cipherSuites = TlsSettings.names("cipher suite", cipherSuites);
            return this;
        }

        /** The ALPN names offered, most preferred first; default none. */
        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = TlsSettings.applicationProtocols(protocols);
            return this;
        }

        /** How long a handshake may take; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = TlsSettings.positive(timeout, "handshakeTimeout");
            return this;
        }

        /** How long a graceful close waits for the server's {@code close_notify}; default 2 s, zero for not at all. */
        public Builder closeNotifyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "closeNotifyTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("closeNotifyTimeout must not be negative: " + timeout);
            }
            this.closeNotifyTimeout = timeout;
            return this;
        }

        /**
         * Reads the files and checks the settings.
         *
         * @throws IllegalArgumentException if more than one trust source is given, or a context
         *     together with files; if a file holds the wrong thing or the client key does not match
         *     its certificate; if a protocol or cipher suite is unknown
         * @throws java.io.UncheckedIOException if a file cannot be read
         */
        public ClientTls build() {
            if (trustCertificates != null && trustStore != null) {
                throw new IllegalArgumentException("give trustCertificates or trustStore, not both");
            }
            boolean ownTrust = trustCertificates != null || trustStore != null;
            if (sslContext != null && (ownTrust || clientChainPem != null)) {
                throw new IllegalArgumentException("with sslContext(...), the context's own managers decide trust and"
                        + " the client certificate; trustCertificates/trustStore/clientCertificate do not apply");
            }
            SSLContext context;
            String source;
            if (sslContext != null) {
                context = sslContext;
                source = "context " + sslContext.getProvider().getName() + " " + sslContext.getProtocol();
            } else {
                // Null trust managers make the JDK use its default trust store.
                TrustManager[] trustManagers = null;
                if (trustCertificates != null) {
                    trustManagers = TlsSettings.trustManagers(PemFiles.trustStore(trustCertificates));
                    source = "trusting " + trustCertificates;
                } else if (trustStore != null) {
                    trustManagers = TlsSettings.trustManagers(trustStore);
                    source = "trusting a " + trustStore.getType() + " key store";
                } else {
                    source = "trusting the JDK's trust store";
                }
                KeyManager[] keyManagers = null;
                if (clientChainPem != null) {
                    CertificateKeyManager.Entry entry = TlsSettings.load("client", clientChainPem, clientKeyPem);
                    keyManagers = new KeyManager[] {new CertificateKeyManager(List.of(entry), Map.of())};
                    source += ", client certificate " + clientChainPem;
                }
                context = TlsSettings.newContext(keyManagers, trustManagers);
            }
            return new ClientTls(context, TlsSettings.protocols(protocols, context),
                    TlsSettings.cipherSuites(cipherSuites, context), applicationProtocols, hostnameVerification,
                    handshakeTimeout, closeNotifyTimeout, source);
        }
    }
}
