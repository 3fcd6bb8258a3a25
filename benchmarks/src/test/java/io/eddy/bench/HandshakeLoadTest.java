package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HandshakeLoadTest {

    @Test
    void readsTheCountTheResumedMarksAndTheUserSeconds() {
        String report = """
                Collecting connection statistics for 5 seconds
                ****r*****
                ***

                13 connections in 0.03s; 433.33 connections/user sec, bytes read 0
                13 connections in 6 real seconds, 0 bytes read per connection
                """;
        HandshakeLoad.ClientReport parsed = HandshakeLoad.parse(report);
        assertEquals(13, parsed.handshakes());
        assertEquals(1, parsed.resumed());
        assertEquals(0.03, parsed.userSeconds(), 1e-9);
    }

    @Test
    void theHeadingsLettersAreNotResumedMarks() {
        // "Collecting connection statistics" holds an 'r'... and a second -new pass would print its own heading.
        String report = "Collecting connection statistics for 1 seconds\n**\n\n2 connections in 0.00s; 0 connections/user sec\n";
        assertEquals(0, HandshakeLoad.parse(report).resumed());
    }

    @Test
    void aReportWithoutACountIsAnError() {
        assertThrows(IllegalStateException.class, () -> HandshakeLoad.parse("ERROR\nconnect:errno=111\n"));
    }

    @Test
    void aResultLogsItsRateAndResumedHandshakes() {
        LoadResult logged = new HandshakeLoad.Result(3000, 1000.0, 3.1, 2, 0.5).asLoadResult();
        assertEquals(1000.0, logged.rate(), 1e-9);
        assertEquals(2, logged.errors());
        assertTrue(Double.isNaN(logged.p50Micros()));
    }

    @Test
    void readsWhatSClientAgreedOn() {
        String report = """
                CONNECTED(00000003)
                ---
                Peer signature type: ECDSA
                Server Temp Key: X25519, 253 bits
                ---
                New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384
                Server public key is 256 bit
                ALPN protocol: http/1.1
                """;
        assertEquals("TLSv1.3, TLS_AES_256_GCM_SHA384, key exchange X25519, 253 bits, ECDSA signature, 256-bit key,"
                + " ALPN http/1.1", HandshakeLoad.negotiatedIn(report));
        assertTrue(HandshakeLoad.negotiatedIn("connect:errno=111\nNew, (NONE), Cipher is (NONE)\n").startsWith("no handshake"));
    }
}
