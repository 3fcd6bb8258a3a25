package io.eddy.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestCertificates;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;

/** A client engine from {@link ClientTls} and a server engine from {@link ServerTls}, in memory. */
class HandshakeTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    @Test
    void theDefaultsAgreeOnTls13AndCarryData() throws SSLException {
        SSLEngine client = CERTIFICATES.clientTls().newEngine("localhost", 443);
        SSLEngine server = CERTIFICATES.serverTls().newEngine();

        EnginePump.handshakeOrFail(client, server);

        TlsSession clientSide = TlsSession.of(client);
        TlsSession serverSide = TlsSession.of(server);
        assertEquals("TLSv1.3", clientSide.protocol());
        assertEquals("TLSv1.3", serverSide.protocol());
        assertEquals(clientSide.cipherSuite(), serverSide.cipherSuite());
        assertEquals("", serverSide.applicationProtocol());
        assertEquals("hello", EnginePump.clientSends(client, server, "hello"));
    }

    @Test
    void aServerRestrictedToTls12AgreesOnTls12WithAStrongSuite() {
        ServerTls serverTls = CERTIFICATES.serverTlsBuilder().protocols("TLSv1.2").build();
        SSLEngine client = CERTIFICATES.clientTls().newEngine("localhost", 443);
        SSLEngine server = serverTls.newEngine();

        EnginePump.handshakeOrFail(client, server);

        TlsSession session = TlsSession.of(client);
        assertEquals("TLSv1.2", session.protocol());
        assertTrue(session.cipherSuite().startsWith("TLS_ECDHE_"), session.cipherSuite());
    }

    @Test
    void aClientRestrictedToTls13AgreesOnTls13() {
        ClientTls clientTls = CERTIFICATES.clientTlsBuilder().protocols("TLSv1.3").build();
        SSLEngine client = clientTls.newEngine("localhost", 443);
        SSLEngine server = CERTIFICATES.serverTls().newEngine();

        EnginePump.handshakeOrFail(client, server);

        assertEquals("TLSv1.3", TlsSession.of(server).protocol());
    }

    @Test
    void timeoutsDefaultToTenAndTwoSeconds() {
        assertEquals(Duration.ofSeconds(10), CERTIFICATES.serverTls().handshakeTimeout());
        assertEquals(Duration.ofSeconds(2), CERTIFICATES.serverTls().closeNotifyTimeout());
        assertEquals(Duration.ofSeconds(10), CERTIFICATES.clientTls().handshakeTimeout());
        assertEquals(Duration.ofSeconds(2), CERTIFICATES.clientTls().closeNotifyTimeout());
        ServerTls server = CERTIFICATES.serverTlsBuilder()
                .handshakeTimeout(Duration.ofSeconds(3)).closeNotifyTimeout(Duration.ZERO).build();
        assertEquals(Duration.ofSeconds(3), server.handshakeTimeout());
        assertEquals(Duration.ZERO, server.closeNotifyTimeout());
    }
}
