package io.eddy.core.tls;

import java.net.IDN;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A TLS server's configuration: its certificates, which clients it trusts, the protocol versions,
 * cipher suites and ALPN names it accepts, and its handshake and close timeouts. A server makes one
 * {@link #newEngine() SSLEngine} per accepted connection from it.
 *
 * <pre>{@code
 * ServerTls tls = ServerTls.builder()
 *         .certificate(Path.of("chain.pem"), Path.of("key.pem"))     // the default certificate
 *         .certificate("api.example.com", Path.of("api-chain.pem"), Path.of("api-key.pem"))
 *         .build();
 * }</pre>
 *
 * <h2>Certificates</h2>
 * From PEM files ({@link Builder#certificate(Path, Path)}, read by {@link PemFiles}), from a
 * {@link KeyStore}, or from a ready {@link SSLContext} (another JSSE provider, or a context the
 * application manages); exactly one of the three. With PEM files the server picks, for each
 * handshake, the certificates registered for the name the client sends (SNI): the exact name, else
 * a {@code *.example.com} wildcard one label deep, else the default ones (also used when the client
 * sends no name, as when it connects to an IP address). Among those it takes the one whose key type
 * the handshake needs, so an EC and an RSA certificate may serve the same name. Without a default
 * certificate, a client whose name matches no entry fails the handshake. With a key store the JDK's
 * key manager chooses among its entries (by key type, preferring a certificate that holds the
 * client's name); with a context the choice is the context's.
 *
 * <h2>Defaults</h2>
 * TLS 1.3 and 1.2 only; the JDK's enabled cipher suites that are AEAD and forward-secret (the TLS
 * 1.3 suites, and ECDHE with AES-GCM or ChaCha20-Poly1305 for 1.2), the server's order preferred;
 * no ALPN; no client certificates; a 10 s handshake timeout and a 2 s wait for the peer's
 * {@code close_notify}.
 *
 * <h2>ALPN</h2>
 * With {@link Builder#applicationProtocols(List)} the server picks the first name of its own list
 * that the client offers. A client that offers names but none of the server's fails the handshake
 * with the {@code no_application_protocol} alert (RFC 7301, section 3.2): proceeding would let it
 * speak a protocol the server does not (an HTTP/2-only client to an HTTP/1.1 server). A client that
 * offers no ALPN at all is served, with no application protocol agreed.
 *
 * <p>Threading: immutable and thread-safe; {@link #newEngine()} may be called from any thread, and
 * each engine it returns belongs to one connection.
 */
public final class ServerTls {

    private final SSLContext context;
    private final String[] protocols;
    private final String[] cipherSuites;
    private final List<String> applicationProtocols;
    private final ClientAuth clientAuth;
    private final Duration handshakeTimeout;
    private final Duration closeNotifyTimeout;
    private final BiFunction<SSLEngine, List<String>, String> alpnSelector;
    private final String source;
    private final String description;

    private ServerTls(SSLContext context, String[] protocols, String[] cipherSuites,
                      List<String> applicationProtocols, ClientAuth clientAuth, Duration handshakeTimeout,
                      Duration closeNotifyTimeout, String source) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.applicationProtocols = applicationProtocols;
        this.clientAuth = clientAuth;
        this.handshakeTimeout = handshakeTimeout;
        this.closeNotifyTimeout = closeNotifyTimeout;
        this.alpnSelector = applicationProtocols.isEmpty() ? null : (engine, offered) -> selectFirstOffered(offered);
        this.source = source;
        this.description = "ServerTls[" + source + ", protocols=" + Arrays.toString(protocols)
                + ", alpn=" + applicationProtocols + ", clientAuth=" + clientAuth
                + ", handshakeTimeout=" + handshakeTimeout + ", closeNotifyTimeout=" + closeNotifyTimeout + "]";
    }

    /** A builder with the defaults above; it needs a certificate, a key store or a context. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A new engine in server mode for one connection, set up with this configuration's protocols,
     * cipher suites (the server's order preferred), client certificate request and ALPN choice.
     */
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(protocols);
        parameters.setCipherSuites(cipherSuites);
        parameters.setUseCipherSuitesOrder(true);
        switch (clientAuth) {
            case REQUIRED -> parameters.setNeedClientAuth(true);
            case REQUESTED -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        engine.setSSLParameters(parameters);
        if (alpnSelector != null) {
            engine.setHandshakeApplicationProtocolSelector(alpnSelector);
        }
        return engine;
    }

    /** Our ALPN rule (see the class comment); null makes JSSE send no_application_protocol. */
    private String selectFirstOffered(List<String> offered) {
        for (String protocol : applicationProtocols) {
            if (offered.contains(protocol)) {
                return protocol;
            }
        }
        return null;
    }

    /** How long a handshake may take, from the connection's start, before the connection closes. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long a graceful close, having sent {@code close_notify}, waits for the peer's before it
     * closes the socket anyway. Zero: it does not wait.
     */
    public Duration closeNotifyTimeout() {
        return closeNotifyTimeout;
    }

    /** The ALPN names the server accepts, most preferred first; empty when it takes part in no ALPN. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * This configuration with other ALPN names, sharing its certificates and context: how a protocol
     * layer (HTTP) adds the name it speaks to a configuration the application made.
     */
    public ServerTls withApplicationProtocols(List<String> names) {
        List<String> checked = TlsSettings.applicationProtocols(names);
        return new ServerTls(context, protocols, cipherSuites, checked, clientAuth, handshakeTimeout,
                closeNotifyTimeout, source);
    }

    /** Whether and how the server asks clients for certificates. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** A summary for logs: where the certificates come from and the settings; no key material. */
    @Override
    public String toString() {
        return description;
    }

    /**
     * Collects a {@link ServerTls}'s settings; {@link #build()} reads the files and checks them.
     *
     * <p>Threading: not thread-safe; use a builder from one thread.
     */
    public static final class Builder {

        private record Certificate(String serverName, Path chainPem, Path keyPem) {
        }

        private final List<Certificate> certificates = new ArrayList<>();
        private KeyStore keyStore;
        private char[] keyStorePassword;
        private SSLContext sslContext;
        private List<String> protocols;
        private List<String> cipherSuites;
        private List<String> applicationProtocols = List.of();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Path trustedClientCertificates;
        private KeyStore clientTrustStore;
        private Duration handshakeTimeout = TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration closeNotifyTimeout = TlsSettings.DEFAULT_CLOSE_NOTIFY_TIMEOUT;

        private Builder() {
        }

        /**
         * A default certificate: served when the client's name (SNI) matches no named certificate,
         * or the client sends none. {@code certificateChainPem} holds the server's certificate
         * first, then its issuers (the root may be left out); {@code privateKeyPem} its unencrypted
         * PKCS#8 key. Call once per key type (an EC and an RSA certificate, say).
         */
        public Builder certificate(Path certificateChainPem, Path privateKeyPem) {
            certificates.add(new Certificate(null,
                    Objects.requireNonNull(certificateChainPem, "certificateChainPem"),
                    Objects.requireNonNull(privateKeyPem, "privateKeyPem")));
            return this;
        }

        /**
         * A certificate served to clients that ask for {@code serverName}: an exact host name, or
         * {@code *.example.com}, which matches any name one label deeper ({@code a.example.com}, not
         * {@code example.com} nor {@code a.b.example.com}). Names compare case-insensitively.
         */
        public Builder certificate(String serverName, Path chainPem, Path keyPem) {
            certificates.add(new Certificate(serverName(serverName),
                    Objects.requireNonNull(chainPem, "chainPem"), Objects.requireNonNull(keyPem, "keyPem")));
            return this;
        }

        /**
         * The certificates and keys of {@code store} (all its key entries, opened with
         * {@code password}) instead of PEM files; the JDK's key manager chooses among them.
         */
        public Builder keyStore(KeyStore store, char[] password) {
            this.keyStore = Objects.requireNonNull(store, "store");
            this.keyStorePassword = password == null ? null : password.clone();
            return this;
        }

        /**
         * A ready context instead of certificates: its key manager (and trust manager, for client
         * certificates) decide everything about certificates, SNI included. Protocols, cipher suites,
         * ALPN and client authentication are still set on each engine from this builder.
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** The protocol versions accepted, such as {@code "TLSv1.3"}; default TLS 1.3 and 1.2. */
        public Builder protocols(String... protocols) {
            this.protocols = TlsSettings.names("protocol", protocols);
            return this;
        }

        /**
         * The cipher suites accepted, most preferred first (the server's order wins); default the
         * JDK's enabled AEAD forward-secret suites.
         */
        public Builder cipherSuites(String... cipherSuites) {
            this.cipherSuites = TlsSettings.names("cipher suite", cipherSuites);
            return this;
        }

        /** The ALPN names the server speaks, most preferred first; default none. */
        public Builder applicationProtocols(List<String> protocols) {
            this.applicationProtocols = TlsSettings.applicationProtocols(protocols);
            return this;
        }

        /** Whether the server asks clients for a certificate; default {@link ClientAuth#NONE}. */
        public Builder clientAuth(ClientAuth mode) {
            this.clientAuth = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The certificate authorities (a PEM file) that client certificates must chain to. */
        public Builder trustedClientCertificates(Path caPem) {
            this.trustedClientCertificates = Objects.requireNonNull(caPem, "caPem");
            return this;
        }

        /** The certificate authorities (a key store of trusted entries) that client certificates must chain to. */
        public Builder clientTrustStore(KeyStore store) {
            this.clientTrustStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long a handshake may take; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            this.handshakeTimeout = TlsSettings.positive(timeout, "handshakeTimeout");
            return this;
        }

        /** How long a graceful close waits for the peer's {@code close_notify}; default 2 s, zero for not at all. */
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
         * @throws IllegalArgumentException if no certificate (nor key store, nor context) was given,
         *     or more than one kind; if a key does not match its certificate or a file holds the
         *     wrong thing; if two certificates compete for the same name and key type; if client
         *     certificates are asked for with nothing to trust them by (or trust given without
         *     asking); if a protocol or cipher suite is unknown
         * @throws java.io.UncheckedIOException if a file cannot be read
         */
        public ServerTls build() {
            int sources = (certificates.isEmpty() ? 0 : 1) + (keyStore == null ? 0 : 1) + (sslContext == null ? 0 : 1);
            if (sources == 0) {
                throw new IllegalArgumentException("a TLS server needs a certificate: call certificate(chainPem, keyPem),"
                        + " keyStore(store, password) or sslContext(context)");
            }
            if (sources > 1) {
                throw new IllegalArgumentException("give certificates in one way only: certificate(...) files,"
                        + " keyStore(...) or sslContext(...)");
            }
            boolean trustGiven = trustedClientCertificates != null || clientTrustStore != null;
            if (trustedClientCertificates != null && clientTrustStore != null) {
                throw new IllegalArgumentException("give trustedClientCertificates or clientTrustStore, not both");
            }
            if (trustGiven && clientAuth == ClientAuth.NONE) {
                throw new IllegalArgumentException("client certificate trust is given but clientAuth is NONE:"
                        + " set clientAuth(REQUIRED) or clientAuth(REQUESTED)");
            }
            if (trustGiven && sslContext != null) {
                throw new IllegalArgumentException("with sslContext(...), the context's own trust manager checks"
                        + " client certificates; trustedClientCertificates/clientTrustStore do not apply");
            }
            if (clientAuth != ClientAuth.NONE && sslContext == null && !trustGiven) {
                throw new IllegalArgumentException("clientAuth " + clientAuth + " needs the certificate authorities"
                        + " client certificates chain to: call trustedClientCertificates(caPem) or clientTrustStore(store)");
            }
            SSLContext context;
            String source;
            if (sslContext != null) {
                context = sslContext;
                source = "context " + sslContext.getProvider().getName() + " " + sslContext.getProtocol();
            } else {
                KeyManager[] keyManagers;
                if (keyStore != null) {
                    keyManagers = keyStoreManagers();
                    source = "key store " + keyStore.getType();
                } else {
                    keyManagers = new KeyManager[] {certificateManager()};
                    source = "certificates " + certificates.stream()
                            .map(c -> (c.serverName() == null ? "default" : c.serverName()) + "=" + c.chainPem())
                            .toList();
                }
                TrustManager[] trustManagers = null;
                if (trustGiven) {
                    trustManagers = TlsSettings.trustManagers(trustedClientCertificates != null
                            ? PemFiles.trustStore(trustedClientCertificates) : clientTrustStore);
                }
                context = TlsSettings.newContext(keyManagers, trustManagers);
            }
            return new ServerTls(context, TlsSettings.protocols(protocols, context),
                    TlsSettings.cipherSuites(cipherSuites, context), applicationProtocols, clientAuth,
                    handshakeTimeout, closeNotifyTimeout, source);
        }

        private CertificateKeyManager certificateManager() {
            List<CertificateKeyManager.Entry> defaults = new ArrayList<>();
            Map<String, List<CertificateKeyManager.Entry>> byName = new LinkedHashMap<>();
            Set<String> seen = new HashSet<>();
            int index = 0;
            for (Certificate certificate : certificates) {
                CertificateKeyManager.Entry entry = TlsSettings.load("certificate-" + index++,
                        certificate.chainPem(), certificate.keyPem());
                String name = certificate.serverName() == null ? "the default" : "'" + certificate.serverName() + "'";
                if (!seen.add(name + " " + entry.keyType())) {
                    throw new IllegalArgumentException("two " + entry.keyType() + " certificates for " + name
                            + " (the second is " + certificate.chainPem() + "); give one per name and key type");
                }
                if (certificate.serverName() == null) {
                    defaults.add(entry);
                } else {
                    byName.computeIfAbsent(certificate.serverName(), n -> new ArrayList<>()).add(entry);
                }
            }
            return new CertificateKeyManager(defaults, byName);
        }

        private KeyManager[] keyStoreManagers() {
            try {
                boolean anyKey = false;
                for (String alias : Collections.list(keyStore.aliases())) {
                    if (keyStore.isKeyEntry(alias)) {
                        anyKey = true;
                        // The PKIX key manager opens keys lazily: a wrong password would surface as
                        // a failed handshake, far from its cause. Open each one now.
                        try {
                            keyStore.getKey(alias, keyStorePassword);
                        } catch (UnrecoverableKeyException e) {
                            throw new IllegalArgumentException("the key store's password does not open its key '"
                                    + alias + "': " + e.getMessage(), e);
                        }
                    }
                }
                if (!anyKey) {
                    throw new IllegalArgumentException("the key store holds no private key entry");
                }
                // PKIX (the JDK's "NewSunX509") looks at the client's SNI and the key type; SunX509 does not.
                KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
                factory.init(keyStore, keyStorePassword);
                return factory.getKeyManagers();
            } catch (UnrecoverableKeyException e) {
                throw new IllegalArgumentException("the key store's password does not open its keys: "
                        + e.getMessage(), e);
            } catch (KeyStoreException e) {
                throw new IllegalArgumentException("the key store cannot be read (was it loaded?): "
                        + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a key manager: " + e.getMessage(), e);
            }
        }

        private static String serverName(String serverName) {
            Objects.requireNonNull(serverName, "serverName");
            String name = serverName.strip().toLowerCase(Locale.ROOT);
            boolean wildcard = name.startsWith("*.");
            String rest = wildcard ? name.substring(2) : name;
            if (rest.endsWith(".")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            if (rest.isEmpty() || rest.contains("*") || rest.startsWith(".") || rest.contains("..")
                    || rest.contains(":") || rest.matches("[0-9.]+")) {
                throw new IllegalArgumentException("not a host name for SNI: '" + serverName
                        + "' (an exact name such as api.example.com, or *.example.com; clients send no IP"
                        + " addresses in SNI, so those get the default certificate)");
            }
            if (wildcard && !rest.contains(".")) {
                throw new IllegalArgumentException("a wildcard needs at least two labels after '*.': " + serverName);
            }
            try {
                // Clients send the ASCII (punycode) form of an internationalized name.
                rest = IDN.toASCII(rest, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a host name for SNI: '" + serverName + "': " + e.getMessage(), e);
            }
            return wildcard ? "*." + rest : rest;
        }
    }
}
