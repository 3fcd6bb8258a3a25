package io.eddy.core.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * What {@link ServerTls} and {@link ClientTls} share: the defaults, the checks their builders run,
 * and loading a certificate with its key.
 *
 * <p>Threading: stateless.
 */
final class TlsSettings {

    static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_CLOSE_NOTIFY_TIMEOUT = Duration.ofSeconds(2);
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private TlsSettings() {
    }

    /**
     * The strong suites among those {@code context} enables by default, in its order: the TLS 1.3
     * suites with AES-GCM or ChaCha20-Poly1305, and for TLS 1.2 only ECDHE (forward secrecy) with
     * the same AEAD ciphers. Left out: CBC (padding oracles, MAC-then-encrypt), RSA key exchange (no
     * forward secrecy), finite-field DHE (the client cannot ask for a strong group in TLS 1.2), SHA-1
     * MACs, and the renegotiation signalling value (JSSE sends the renegotiation_info extension
     * instead).
     */
    static List<String> strongSuites(SSLContext context) {
        List<String> strong = new ArrayList<>();
        for (String suite : context.getDefaultSSLParameters().getCipherSuites()) {
            if (isStrong(suite)) {
                strong.add(suite);
            }
        }
        return List.copyOf(strong);
    }

    static boolean isStrong(String suite) {
        boolean aead = suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_");
        if (!aead) {
            return false;
        }
        if (!suite.contains("_WITH_")) {
            // TLS 1.3 suites name the cipher and hash only: TLS_AES_128_GCM_SHA256.
            return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
        }
        return suite.startsWith("TLS_ECDHE_ECDSA_WITH_") || suite.startsWith("TLS_ECDHE_RSA_WITH_");
    }

    /** {@code requested} checked against what {@code supported} holds; the default when null. */
    static String[] protocols(List<String> requested, SSLContext context) {
        List<String> protocols = requested == null ? DEFAULT_PROTOCOLS : requested;
        checkSupported("protocol", protocols, context.getSupportedSSLParameters().getProtocols());
        return protocols.toArray(String[]::new);
    }

    /** {@code requested} checked against what the context supports; the strong defaults when null. */
    static String[] cipherSuites(List<String> requested, SSLContext context) {
        List<String> suites = requested == null ? strongSuites(context) : requested;
        if (suites.isEmpty()) {
            throw new IllegalArgumentException("no cipher suite left: the JDK enables none of the strong ones"
                    + " (see the jdk.tls.disabledAlgorithms security property)");
        }
        checkSupported("cipher suite", suites, context.getSupportedSSLParameters().getCipherSuites());
        return suites.toArray(String[]::new);
    }

    private static void checkSupported(String what, List<String> requested, String[] supported) {
        if (requested.isEmpty()) {
            throw new IllegalArgumentException("at least one " + what + " is needed");
        }
        Set<String> known = Set.of(supported);
        for (String name : requested) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown " + what + " '" + name + "'; this JDK supports "
                        + Arrays.toString(supported));
            }
        }
    }

    /** A copy of {@code values}, checked: at least one, none null or blank, no duplicates. */
    static List<String> names(String what, String... values) {
        Objects.requireNonNull(values, what);
        if (values.length == 0) {
            throw new IllegalArgumentException("at least one " + what + " is needed");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("a blank " + what + " in " + Arrays.toString(values));
            }
            if (!unique.add(value)) {
                throw new IllegalArgumentException(what + " '" + value + "' given twice");
            }
        }
        return List.copyOf(unique);
    }

    /** ALPN names, checked as {@link #names}; an empty list (no ALPN) is allowed. */
    static List<String> applicationProtocols(List<String> protocols) {
        Objects.requireNonNull(protocols, "applicationProtocols");
        if (protocols.isEmpty()) {
            return List.of();
        }
        List<String> checked = names("application protocol", protocols.toArray(String[]::new));
        for (String protocol : checked) {
            // RFC 7301: a protocol name is 1 to 255 bytes on the wire.
            if (protocol.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("an application protocol name is at most 255 bytes: " + protocol);
            }
        }
        return checked;
    }

    static Duration positive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + duration);
        }
        return duration;
    }

    static SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    static TrustManager[] trustManagers(KeyStore trustStore) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store: " + e.getMessage(), e);
        }
    }

    /**
     * The chain and key of {@code chainPem} and {@code keyPem}, checked: the key is the one the
     * leaf certificate certifies, and each certificate is followed by its issuer.
     */
    static CertificateKeyManager.Entry load(String alias, Path chainPem, Path keyPem) {
        List<X509Certificate> chain = PemFiles.certificates(chainPem);
        PrivateKey key = PemFiles.privateKey(keyPem);
        X509Certificate leaf = chain.get(0);
        if (!matches(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("the private key in " + keyPem + " (" + key.getAlgorithm()
                    + ") does not match the certificate " + leaf.getSubjectX500Principal() + " in " + chainPem
                    + " (" + leaf.getPublicKey().getAlgorithm() + " key): were the files of two certificates mixed?");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                throw new IllegalArgumentException(chainPem + ": certificate " + (i + 1) + " ("
                        + chain.get(i).getSubjectX500Principal() + ") is not followed by its issuer ("
                        + chain.get(i).getIssuerX500Principal() + "); a chain file lists the server's"
                        + " certificate first, then each certificate's issuer");
            }
        }
        return new CertificateKeyManager.Entry(alias, chain, key);
    }

    /** Whether {@code key} is the private half of {@code publicKey}. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus());
        }
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        // There is no portable way to derive an EC public key from the private one: sign and verify.
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (NoSuchAlgorithmException e) {
            return true;
        } catch (GeneralSecurityException e) {
            // An EC key on another curve than the certificate's fails here rather than in verify.
            return false;
        }
    }
}
