package io.eddy.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestCertificates;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** ALPN: the server's first name that the client offers; no common name fails the handshake. */
class AlpnTest {

    private static final TestCertificates CERTIFICATES = TestCertificates.get();

    private static EnginePump.Outcome handshake(List<String> server, List<String> client,
                                                SSLEngine[] engines) {
        ServerTls serverTls = CERTIFICATES.serverTls().withApplicationProtocols(server);
        ClientTls clientTls = CERTIFICATES.clientTls().withApplicationProtocols(client);
        engines[0] = clientTls.newEngine("localhost", 443);
        engines[1] = serverTls.newEngine();
        return EnginePump.handshake(engines[0], engines[1]);
    }

    @Test
    void bothSidesAgreeOnHttp11() {
        SSLEngine[] engines = new SSLEngine[2];
        assertTrue(handshake(List.of("http/1.1"), List.of("http/1.1"), engines).succeeded());
        assertEquals("http/1.1", TlsSession.of(engines[0]).applicationProtocol());
        assertEquals("http/1.1", TlsSession.of(engines[1]).applicationProtocol());
    }

    @Test
    void theServersOrderWins() {
        SSLEngine[] engines = new SSLEngine[2];
        assertTrue(handshake(List.of("h2", "http/1.1"), List.of("http/1.1", "h2"), engines).succeeded());
        assertEquals("h2", TlsSession.of(engines[0]).applicationProtocol());
    }

    @Test
    void noCommonNameFailsTheHandshakeWithNoApplicationProtocol() {
        SSLEngine[] engines = new SSLEngine[2];
        EnginePump.Outcome outcome = handshake(List.of("http/1.1"), List.of("h2"), engines);

        assertFalse(outcome.succeeded());
        assertTrue(outcome.clientError() != null
                && outcome.clientError().getMessage().contains("no_application_protocol"),
                String.valueOf(outcome.clientError()));
    }

    @Test
    void aClientOfferingNoAlpnIsServedWithoutOne() {
        SSLEngine[] engines = new SSLEngine[2];
        assertTrue(handshake(List.of("http/1.1"), List.of(), engines).succeeded());
        assertEquals("", TlsSession.of(engines[0]).applicationProtocol());
        assertEquals("", TlsSession.of(engines[1]).applicationProtocol());
    }

    @Test
    void aServerWithoutAlpnIgnoresTheClientsOffer() {
        SSLEngine[] engines = new SSLEngine[2];
        assertTrue(handshake(List.of(), List.of("http/1.1"), engines).succeeded());
        assertEquals("", TlsSession.of(engines[1]).applicationProtocol());
    }

    @Test
    void namesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ServerTls.builder().applicationProtocols(List.of("")));
        assertThrows(IllegalArgumentException.class,
                () -> ClientTls.builder().applicationProtocols(List.of("h2", "h2")));
        assertThrows(IllegalArgumentException.class,
                () -> ClientTls.builder().applicationProtocols(List.of("x".repeat(256))));
    }
}
