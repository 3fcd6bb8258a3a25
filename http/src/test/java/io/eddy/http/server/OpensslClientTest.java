package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenSSL's {@code s_client}, run as a separate process, against an Eddy server's TLS port: TLS
 * 1.3 and 1.2 each forced, SNI choosing the certificate, ALPN, and both key types, each time
 * with an HTTP request through the connection and the certificate verified against the test CA.
 * Skipped where openssl is not installed.
 */
class OpensslClientTest {

    private static final String REQUEST = "GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // openssl answers "version", not "--version".
        assumeTrue(ExternalClient.answers("openssl", "version"), "openssl is not installed: the s_client tests cannot run here");
        server = TestServer.startWithTls();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Runs {@code openssl s_client} to the TLS port with {@code options}, sending {@link #REQUEST}
     * and reading until the server closes ({@code -ign_eof}): the certificate must chain to the
     * test CA and hold the verified name.
     */
    private ExternalClient.Result sClient(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.tlsPort(),
                "-CAfile", TestCertificates.get().caPem().toString(), "-verify_return_error", "-ign_eof"));
        command.addAll(List.of(options));
        return ExternalClient.run(dir, Duration.ofSeconds(60), command, REQUEST.getBytes(StandardCharsets.US_ASCII));
    }

    private static void assertAnswered(ExternalClient.Result result) {
        assertEquals(0, result.status(), result.toString());
        assertTrue(result.stdout().contains("Verify return code: 0 (ok)"), result.toString());
        assertTrue(result.stdout().contains("HTTP/1.1 200 OK"), result.toString());
        assertTrue(result.stdout().contains("hello world"), result.toString());
    }

    @ParameterizedTest
    @CsvSource({"-tls1_3, TLSv1.3", "-tls1_2, TLSv1.2"})
    void eachVersionForcedIsSpokenAndCarriesARequest(String option, String protocol) throws Exception {
        ExternalClient.Result result = sClient(option, "-servername", "localhost", "-verify_hostname", "localhost");

        assertAnswered(result);
        assertTrue(result.stdout().contains("Protocol  : " + protocol), result.toString());
        assertTrue(result.stdout().contains("New, " + protocol + ", Cipher is "), result.toString());
    }

    @Test
    void theServerNameSentChoosesTheCertificate() throws Exception {
        ExternalClient.Result other = sClient("-servername", "other.test", "-verify_hostname", "other.test");
        assertAnswered(other);
        assertTrue(other.stdout().contains("subject=O = Eddy tests, CN = other.test"), other.toString());

        ExternalClient.Result none = sClient("-noservername", "-verify_ip", "127.0.0.1");
        assertAnswered(none);
        assertTrue(none.stdout().contains("subject=O = Eddy tests, CN = localhost"), "the default certificate\n" + none);

        ExternalClient.Result unknown = sClient("-servername", "unknown.test", "-verify_hostname", "localhost");
        assertAnswered(unknown);
        assertTrue(unknown.stdout().contains("subject=O = Eddy tests, CN = localhost"), "the default certificate\n" + unknown);
    }

    @Test
    void alpnAgreesOnHttp11AndRefusesAClientThatSpeaksOnlyH2() throws Exception {
        ExternalClient.Result browserLike = sClient("-servername", "localhost", "-alpn", "h2,http/1.1");
        assertAnswered(browserLike);
        assertTrue(browserLike.stdout().contains("ALPN protocol: http/1.1"), browserLike.toString());

        ExternalClient.Result h2Only = sClient("-servername", "localhost", "-alpn", "h2");
        assertNotEquals(0, h2Only.status(), h2Only.toString());
        assertTrue((h2Only.stdout() + h2Only.stderr()).contains("no application protocol"), h2Only.toString());
        assertTrue(server.seen().isEmpty() || !h2Only.stdout().contains("HTTP/1.1"), h2Only.toString());
    }

    @ParameterizedTest
    @CsvSource({"ecdsa_secp256r1_sha256, ECDSA, 256", "rsa_pss_rsae_sha256, RSA-PSS, 2048"})
    void theEcAndTheRsaCertificateServeTheSameNameByTheSignatureTheClientTakes(String algorithm, String type,
                                                                              String bits) throws Exception {
        ExternalClient.Result result = sClient("-tls1_3", "-servername", "localhost", "-sigalgs", algorithm);

        assertAnswered(result);
        assertTrue(result.stdout().contains("Peer signature type: " + type), result.toString());
        assertTrue(result.stdout().contains("Server public key is " + bits + " bit"), result.toString());
    }
}
