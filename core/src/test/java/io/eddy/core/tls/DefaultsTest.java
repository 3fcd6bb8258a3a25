package io.eddy.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestCertificates;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** What the engines are set up with by default, and what the builders refuse. */
class DefaultsTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @Test
    void theDefaultSuitesAreAeadAndForwardSecretOnly() {
        for (SSLEngine engine : List.of(CERTIFICATES.serverTls().newEngine(), ClientTls.defaults().newEngine("example.com", 443))) {
            String[] suites = engine.getEnabledCipherSuites();
            assertTrue(suites.length > 0);
            for (String suite : suites) {
                assertFalse(suite.contains("_CBC_"), suite);
                assertFalse(suite.startsWith("TLS_RSA_") || suite.startsWith("SSL_RSA_"), suite + " has RSA key exchange");
                assertFalse(suite.contains("_DHE_") || suite.contains("_DH_") || suite.contains("_ECDH_"), suite);
                assertFalse(suite.endsWith("_SHA"), suite + " has a SHA-1 MAC");
                assertFalse(suite.contains("_NULL_") || suite.contains("_anon_") || suite.contains("_RC4_")
                        || suite.contains("_3DES_") || suite.contains("_SCSV"), suite);
                assertTrue(suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"), suite);
            }
            List<String> enabled = List.of(suites);
            assertTrue(enabled.contains("TLS_AES_128_GCM_SHA256"), enabled.toString());
            assertTrue(enabled.contains("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), enabled.toString());
            assertTrue(enabled.contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), enabled.toString());
        }
    }

    @Test
    void theDefaultProtocolsAreTls13And12() {
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, CERTIFICATES.serverTls().newEngine().getEnabledProtocols());
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"},
                ClientTls.defaults().newEngine("example.com", 443).getEnabledProtocols());
    }

    @Test
    void theServerPrefersItsOwnSuiteOrderAndAsksNoCertificate() {
        SSLEngine engine = CERTIFICATES.serverTls().newEngine();

        assertFalse(engine.getUseClientMode());
        assertTrue(engine.getSSLParameters().getUseCipherSuitesOrder());
        assertFalse(engine.getNeedClientAuth());
        assertFalse(engine.getWantClientAuth());
        assertEquals(List.of(), CERTIFICATES.serverTls().applicationProtocols());
        assertEquals(ClientAuth.NONE, CERTIFICATES.serverTls().clientAuth());
    }

    @Test
    void clientAuthModesSetTheEngine() {
        SSLEngine required = CERTIFICATES.serverTlsBuilder().clientAuth(ClientAuth.REQUIRED)
                .trustedClientCertificates(CERTIFICATES.caPem()).build().newEngine();
        SSLEngine requested = CERTIFICATES.serverTlsBuilder().clientAuth(ClientAuth.REQUESTED)
                .trustedClientCertificates(CERTIFICATES.caPem()).build().newEngine();

        assertTrue(required.getNeedClientAuth());
        assertTrue(requested.getWantClientAuth());
        assertFalse(requested.getNeedClientAuth());
    }

    @Test
    void theClientSendsTheHostAsSniAndChecksIt() {
        SSLEngine engine = ClientTls.defaults().newEngine("Example.com.", 8443);
        SSLParameters parameters = engine.getSSLParameters();

        assertTrue(engine.getUseClientMode());
        assertEquals("Example.com", engine.getPeerHost());
        assertEquals(8443, engine.getPeerPort());
        assertEquals(List.of(new SNIHostName("example.com")), parameters.getServerNames());
        assertEquals("HTTPS", parameters.getEndpointIdentificationAlgorithm());
        assertTrue(ClientTls.defaults().hostnameVerification());
        assertSame(ClientTls.defaults(), ClientTls.defaults());
    }

    @Test
    void theClientSendsNoSniForAnAddress() {
        for (String address : List.of("127.0.0.1", "::1", "[::1]", "2001:db8::7")) {
            SSLEngine engine = ClientTls.defaults().newEngine(address, 443);
            assertEquals(List.of(), engine.getSSLParameters().getServerNames(), address);
        }
        assertEquals("::1", ClientTls.defaults().newEngine("[::1]", 443).getPeerHost());
    }

    @Test
    void withoutHostNameVerificationNoEndpointCheckIsSet() {
        SSLEngine engine = ClientTls.builder().hostnameVerification(false).build().newEngine("example.com", 443);

        assertNull(engine.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    @Test
    void alpnNamesGoOnTheClientEngine() {
        ClientTls tls = ClientTls.builder().applicationProtocols(List.of("h2", "http/1.1")).build();

        assertArrayEquals(new String[] {"h2", "http/1.1"}, tls.newEngine("example.com", 443).getSSLParameters()
                .getApplicationProtocols());
        assertEquals(List.of("http/1.1"), tls.withApplicationProtocols(List.of("http/1.1")).applicationProtocols());
        assertEquals(List.of("h2", "http/1.1"), tls.applicationProtocols());
    }

    @Test
    void aServerNeedsACertificateInOneWayOnly() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ServerTls.builder().build());
        assertTrue(none.getMessage().contains("needs a certificate"), none.getMessage());
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> CERTIFICATES.serverTlsBuilder()
                .keyStore(PemFiles.trustStore(CERTIFICATES.caPem()), new char[0]).build());
        assertTrue(two.getMessage().contains("one way only"), two.getMessage());
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> ServerTls.builder()
                .keyStore(PemFiles.trustStore(CERTIFICATES.caPem()), new char[0]).build());
        assertTrue(noKey.getMessage().contains("no private key"), noKey.getMessage());
    }

    @Test
    void unknownProtocolsAndSuitesAreRefused() {
        IllegalArgumentException protocol = assertThrows(IllegalArgumentException.class,
                () -> CERTIFICATES.serverTlsBuilder().protocols("TLSv1.4").build());
        assertTrue(protocol.getMessage().contains("TLSv1.4"), protocol.getMessage());
        IllegalArgumentException suite = assertThrows(IllegalArgumentException.class,
                () -> ClientTls.builder().cipherSuites("TLS_NO_SUCH_SUITE").build());
        assertTrue(suite.getMessage().contains("TLS_NO_SUCH_SUITE"), suite.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientTls.builder().protocols());
    }

    @Test
    void serverNamesAreChecked() {
        for (String bad : List.of("", "*", "*.com", "a.*.example.com", "127.0.0.1", "::1", "a..b")) {
            assertThrows(IllegalArgumentException.class,
                    () -> ServerTls.builder().certificate(bad, CERTIFICATES.otherChain(), CERTIFICATES.otherKey()), bad);
        }
    }

    @Test
    void timeoutsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ServerTls.builder().handshakeTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> ClientTls.builder().handshakeTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> ClientTls.builder().closeNotifyTimeout(Duration.ofMillis(-1)));
        assertEquals(Duration.ZERO, ClientTls.builder().closeNotifyTimeout(Duration.ZERO).build().closeNotifyTimeout());
    }

    @Test
    void aSessionIsOnlyTakenAfterTheHandshake() {
        SSLEngine engine = CERTIFICATES.serverTls().newEngine();

        assertThrows(IllegalStateException.class, () -> TlsSession.of(engine));
    }

    @Test
    void theDescriptionsCarryNoKeyMaterial() {
        String server = CERTIFICATES.serverTls().toString();
        assertTrue(server.contains("server-ec-chain.pem") && !server.contains("key.pem"), server);
        assertTrue(CERTIFICATES.clientTls().toString().contains("ca.pem"), CERTIFICATES.clientTls().toString());
    }
}
