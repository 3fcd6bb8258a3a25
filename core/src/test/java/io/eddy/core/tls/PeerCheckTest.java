package io.eddy.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestCertificates;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The checks each side makes of the other: client certificates, trust and host names. */
class PeerCheckTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    private static ServerTls serverAsking(ClientAuth mode) {
        return CERTIFICATES.serverTlsBuilder().clientAuth(mode).trustedClientCertificates(CERTIFICATES.caPem()).build();
    }

    private static ClientTls clientWithCertificate() {
        return CERTIFICATES.clientTlsBuilder().clientCertificate(CERTIFICATES.clientChain(), CERTIFICATES.clientKey())
                .build();
    }

    @Test
    void aRequiredClientCertificateMissingFailsTheHandshake() {
        SSLEngine server = serverAsking(ClientAuth.REQUIRED).newEngine();

        EnginePump.Outcome outcome = EnginePump.handshake(CERTIFICATES.clientTls().newEngine("localhost", 443), server);

        assertFalse(outcome.succeeded());
        assertTrue(outcome.serverError() instanceof SSLHandshakeException, String.valueOf(outcome.serverError()));
    }

    @Test
    void aRequiredClientCertificateGivenIsReadableOnTheServer() {
        SSLEngine client = clientWithCertificate().newEngine("localhost", 443);
        SSLEngine server = serverAsking(ClientAuth.REQUIRED).newEngine();

        EnginePump.handshakeOrFail(client, server);

        TlsSession session = TlsSession.of(server);
        assertEquals(2, session.peerCertificates().size());
        assertTrue(session.peerCertificates().get(0).getSubjectX500Principal().getName().contains("CN=Eddy Test Client"));
        assertTrue(session.toString().contains("Eddy Test Client"), session.toString());
    }

    @Test
    void aRequestedClientCertificateMayBeLeftOut() {
        SSLEngine server = serverAsking(ClientAuth.REQUESTED).newEngine();

        EnginePump.handshakeOrFail(CERTIFICATES.clientTls().newEngine("localhost", 443), server);

        assertEquals(List.of(), TlsSession.of(server).peerCertificates());
    }

    @Test
    void aRequestedClientCertificateGivenIsReadableOnTheServer() {
        SSLEngine server = serverAsking(ClientAuth.REQUESTED).newEngine();

        EnginePump.handshakeOrFail(clientWithCertificate().newEngine("localhost", 443), server);

        assertEquals(2, TlsSession.of(server).peerCertificates().size());
    }

    @Test
    void aServerNotAskingSeesNoClientCertificate() {
        SSLEngine server = CERTIFICATES.serverTls().newEngine();

        EnginePump.handshakeOrFail(clientWithCertificate().newEngine("localhost", 443), server);

        assertEquals(List.of(), TlsSession.of(server).peerCertificates());
    }

    @Test
    void aClientCertificateFromAnotherCaIsRefused() throws Exception {
        // The server trusts only the other.test certificate: the client's does not chain to it.
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("other", PemFiles.certificates(CERTIFICATES.otherChain()).get(0));
        SSLEngine server = CERTIFICATES.serverTlsBuilder().clientAuth(ClientAuth.REQUIRED)
                .clientTrustStore(trusted).build().newEngine();
        ClientTls client = CERTIFICATES.clientTlsBuilder().clientCertificate(CERTIFICATES.clientChain(), CERTIFICATES.clientKey())
                .build();

        EnginePump.Outcome outcome = EnginePump.handshake(client.newEngine("localhost", 443), server);

        assertTrue(outcome.serverError() instanceof SSLHandshakeException, String.valueOf(outcome.serverError()));
    }

    @Test
    void aNameTheCertificateDoesNotHoldFailsHostNameVerification() {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("wrong.test", 443);

        EnginePump.Outcome outcome = EnginePump.handshake(client, CERTIFICATES.serverTls().newEngine());

        assertFalse(outcome.succeeded());
        assertTrue(outcome.clientError() instanceof SSLHandshakeException, String.valueOf(outcome.clientError()));
        assertTrue(String.valueOf(outcome.clientError().getCause()).contains("wrong.test"),
                String.valueOf(outcome.clientError().getCause()));
    }

    @Test
    void anAddressTheCertificateDoesNotHoldFailsHostNameVerification() {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("127.0.0.2", 443);

        assertFalse(EnginePump.handshake(client, CERTIFICATES.serverTls().newEngine()).succeeded());
    }

    @Test
    void theIpv6LoopbackIsInTheCertificate() {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("[::1]", 443);

        EnginePump.handshakeOrFail(client, CERTIFICATES.serverTls().newEngine());
    }

    @Test
    void withoutHostNameVerificationAnyTrustedCertificateIsTaken() {
        ClientTls unverified = CERTIFICATES.clientTlsBuilder().hostnameVerification(false).build();
        SSLEngine client = unverified.newEngine("wrong.test", 443);

        EnginePump.handshakeOrFail(client, CERTIFICATES.serverTls().newEngine());

        assertFalse(unverified.hostnameVerification());
    }

    @Test
    void theJdkTrustStoreDoesNotTrustTheTestCa() {
        SSLEngine client = ClientTls.defaults().newEngine("localhost", 443);

        EnginePump.Outcome outcome = EnginePump.handshake(client, CERTIFICATES.serverTls().newEngine());

        assertFalse(outcome.succeeded());
        assertTrue(outcome.clientError() instanceof SSLHandshakeException, String.valueOf(outcome.clientError()));
    }

    @Test
    void aTrustStoreMayStandForTheCaFile() {
        ClientTls client = ClientTls.builder().trustStore(PemFiles.trustStore(CERTIFICATES.caPem())).build();

        EnginePump.handshakeOrFail(client.newEngine("localhost", 443), CERTIFICATES.serverTls().newEngine());
    }

    @Test
    void trustAndClientAuthMustGoTogether() {
        IllegalArgumentException noTrust = assertThrows(IllegalArgumentException.class,
                () -> CERTIFICATES.serverTlsBuilder().clientAuth(ClientAuth.REQUIRED).build());
        assertTrue(noTrust.getMessage().contains("trustedClientCertificates"), noTrust.getMessage());
        IllegalArgumentException notAsking = assertThrows(IllegalArgumentException.class,
                () -> CERTIFICATES.serverTlsBuilder().trustedClientCertificates(CERTIFICATES.caPem()).build());
        assertTrue(notAsking.getMessage().contains("clientAuth is NONE"), notAsking.getMessage());
    }
}
