package io.eddy.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestCertificates;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Which certificate the server sends: by the name the client asks for (SNI), then by key type. */
class CertificateChoiceTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    private static X509Certificate serverCertificate(SSLEngine client) {
        return TlsSession.of(client).peerCertificates().get(0);
    }

    private static String commonName(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1");
    }

    @Test
    void theNameTheClientAsksForPicksItsCertificate() {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("other.test", 443);
        SSLEngine server = CERTIFICATES.serverTls().newEngine();

        EnginePump.handshakeOrFail(client, server);

        assertEquals("other.test", commonName(serverCertificate(client)));
        assertEquals("other.test", TlsSession.of(server).requestedServerName());
        assertEquals("other.test", TlsSession.of(client).requestedServerName());
    }

    @Test
    void anotherNameGetsTheDefaultCertificate() {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("localhost", 443);
        SSLEngine server = CERTIFICATES.serverTls().newEngine();

        EnginePump.handshakeOrFail(client, server);

        assertEquals("localhost", commonName(serverCertificate(client)));
        assertEquals("localhost", TlsSession.of(server).requestedServerName());
    }

    @Test
    void aClientConnectingToAnAddressSendsNoNameAndGetsTheDefault() {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("127.0.0.1", 443);
        SSLEngine server = CERTIFICATES.serverTls().newEngine();

        // Host name verification is on: the default certificate holds IP:127.0.0.1.
        EnginePump.handshakeOrFail(client, server);

        assertEquals("localhost", commonName(serverCertificate(client)));
        assertNull(TlsSession.of(server).requestedServerName());
        assertNull(TlsSession.of(client).requestedServerName());
    }

    @Test
    void aWildcardNameMatchesOneLabelDeep() {
        ServerTls serverTls = ServerTls.builder()
                .certificate(CERTIFICATES.serverEcChain(), CERTIFICATES.serverEcKey())
                .certificate("*.other.test", CERTIFICATES.otherChain(), CERTIFICATES.otherKey())
                .build();

        SSLEngine oneDeep = CERTIFICATES.clientTls().newEngine("api.other.test", 443);
        EnginePump.handshakeOrFail(oneDeep, serverTls.newEngine());
        assertEquals("other.test", commonName(serverCertificate(oneDeep)));

        // Two labels deep, and the bare name, are not the wildcard's: the default certificate goes,
        // and (verification off, to see which one) it is the localhost one.
        ClientTls unverified = CERTIFICATES.clientTlsBuilder().hostnameVerification(false).build();
        for (String host : List.of("a.api.other.test", "other.test")) {
            SSLEngine client = unverified.newEngine(host, 443);
            EnginePump.handshakeOrFail(client, serverTls.newEngine());
            assertEquals("localhost", commonName(serverCertificate(client)), host);
        }
    }

    @Test
    void namesCompareCaseInsensitively() {
        ServerTls serverTls = ServerTls.builder()
                .certificate(CERTIFICATES.serverEcChain(), CERTIFICATES.serverEcKey())
                .certificate("Other.TEST", CERTIFICATES.otherChain(), CERTIFICATES.otherKey())
                .build();
        SSLEngine client = CERTIFICATES.clientTls().newEngine("OTHER.test", 443);

        EnginePump.handshakeOrFail(client, serverTls.newEngine());

        assertEquals("other.test", commonName(serverCertificate(client)));
    }

    @Test
    void withoutADefaultCertificateAnUnknownNameFailsTheHandshake() {
        ServerTls serverTls = ServerTls.builder()
                .certificate("other.test", CERTIFICATES.otherChain(), CERTIFICATES.otherKey())
                .build();
        SSLEngine client = CERTIFICATES.clientTls().newEngine("localhost", 443);

        EnginePump.Outcome outcome = EnginePump.handshake(client, serverTls.newEngine());

        assertFalse(outcome.succeeded());
        assertTrue(outcome.serverError() instanceof SSLHandshakeException, String.valueOf(outcome.serverError()));
    }

    @Test
    void anRsaSuiteGetsTheRsaCertificateAndAnEcdsaSuiteTheEcOne() {
        // TLS 1.2 ties the certificate's key type to the suite, so a client offering one suite decides it.
        ClientTls rsaOnly = CERTIFICATES.clientTlsBuilder()
                .protocols("TLSv1.2").cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").build();
        ClientTls ecOnly = CERTIFICATES.clientTlsBuilder()
                .protocols("TLSv1.2").cipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").build();

        SSLEngine rsaClient = rsaOnly.newEngine("localhost", 443);
        EnginePump.handshakeOrFail(rsaClient, CERTIFICATES.serverTls().newEngine());
        SSLEngine ecClient = ecOnly.newEngine("localhost", 443);
        EnginePump.handshakeOrFail(ecClient, CERTIFICATES.serverTls().newEngine());

        assertEquals("RSA", serverCertificate(rsaClient).getPublicKey().getAlgorithm());
        assertEquals("EC", serverCertificate(ecClient).getPublicKey().getAlgorithm());
    }

    @Test
    void aServerWithTheRsaCertificateOnlyServesAnRsaSuite() {
        ServerTls rsaServer = ServerTls.builder()
                .certificate(CERTIFICATES.serverRsaChain(), CERTIFICATES.serverRsaKey()).build();
        SSLEngine client = CERTIFICATES.clientTls().newEngine("localhost", 443);

        EnginePump.handshakeOrFail(client, rsaServer.newEngine());

        assertEquals("RSA", serverCertificate(client).getPublicKey().getAlgorithm());
    }

    @Test
    void twoCertificatesForOneNameAndKeyTypeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerTls.builder()
                .certificate(CERTIFICATES.serverEcChain(), CERTIFICATES.serverEcKey())
                .certificate(CERTIFICATES.otherChain(), CERTIFICATES.otherKey())
                .build());
        assertTrue(e.getMessage().contains("two EC certificates for the default"), e.getMessage());
    }

    @Test
    void aKeyStoreServesItsEntries() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "secret".toCharArray();
        List<X509Certificate> chain = PemFiles.certificates(CERTIFICATES.serverEcChain());
        store.setKeyEntry("localhost", PemFiles.privateKey(CERTIFICATES.serverEcKey()), password,
                chain.toArray(X509Certificate[]::new));
        ServerTls serverTls = ServerTls.builder().keyStore(store, password).build();
        SSLEngine client = CERTIFICATES.clientTls().newEngine("localhost", 443);

        EnginePump.handshakeOrFail(client, serverTls.newEngine());

        assertEquals(chain.get(0), serverCertificate(client));
    }

    @Test
    void aKeyStoreWithAWrongPasswordIsRefused() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("localhost", PemFiles.privateKey(CERTIFICATES.serverEcKey()), "right".toCharArray(),
                PemFiles.certificates(CERTIFICATES.serverEcChain()).toArray(X509Certificate[]::new));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.builder().keyStore(store, "wrong".toCharArray()).build());
        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }

    @Test
    void aReadyContextIsUsedAsItIs() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "secret".toCharArray();
        store.setKeyEntry("rsa", PemFiles.privateKey(CERTIFICATES.serverRsaKey()), password,
                PemFiles.certificates(CERTIFICATES.serverRsaChain()).toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        ServerTls serverTls = ServerTls.builder().sslContext(context).applicationProtocols(List.of("http/1.1")).build();
        SSLEngine client = CERTIFICATES.clientTlsBuilder().applicationProtocols(List.of("http/1.1")).build()
                .newEngine("localhost", 443);

        EnginePump.handshakeOrFail(client, serverTls.newEngine());

        assertEquals("RSA", serverCertificate(client).getPublicKey().getAlgorithm());
        assertEquals("http/1.1", TlsSession.of(client).applicationProtocol());
    }
}
