package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.testing.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's {@code ssl} module with {@code http.client} against an Eddy server's TLS port: the
 * script (src/test/resources/python_http_client.py, given the test CA) verifies the certificate
 * for {@code localhost}, offers {@code http/1.1} by ALPN, and prints what it saw for this test to
 * judge. Debian's own Python ({@code /usr/bin/python3}) is preferred to whatever else is on the
 * path. Skipped where there is no python3.
 */
class PythonHttpsClientTest {

    private static final String SCRIPT = "python_http_client.py";

    @TempDir
    Path dir;

    private TestServer server;
    private String python;

    @BeforeEach
    void start() throws Exception {
        Optional<String> found = ExternalClient.find("/usr/bin/python3", "python3");
        // Per test, not per class, so that each skipped test is reported with the reason.
        assumeTrue(found.isPresent(), "python3 is not installed: the Python ssl and http.client tests cannot run here");
        python = found.get();
        server = TestServer.startWithTls();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private List<String> python(String scenario) throws Exception {
        Path script = dir.resolve(SCRIPT);
        try (InputStream source = getClass().getResourceAsStream("/" + SCRIPT)) {
            Files.copy(source, script);
        }
        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60), List.of(python, script.toString(),
                "localhost", String.valueOf(server.tlsPort()), scenario, TestCertificates.get().caPem().toString()));
        assertEquals(0, result.status(), result.toString());
        return result.stdoutLines();
    }

    private String onlyClientPort() {
        List<Integer> ports = server.seen().stream().map(TestServer.Seen::clientPort).distinct().toList();
        assertEquals(1, ports.size(), "one connection for every request: " + server.seen());
        return String.valueOf(ports.get(0));
    }

    @Test
    void theHandshakeAgreesOnTls13AndHttp11WithTheLocalhostCertificate() throws Exception {
        List<String> lines = python("tls");

        assertEquals(List.of("TLSv1.3 http/1.1 localhost", "200 hello world " + onlyClientPort()), lines);
    }

    @Test
    void severalRequestsShareOneKeptAliveTlsConnection() throws Exception {
        List<String> lines = python("keep-alive");

        String port = onlyClientPort();
        assertEquals(List.of(("200 " + port + " " + port + "\n").repeat(5).split("\n")), lines);
    }

    @Test
    void postedBodiesAreEchoedWithAndWithoutALength() throws Exception {
        List<String> lines = python("post");

        String port = onlyClientPort();
        assertEquals(List.of("200 héllo, wörld " + port, "200 first piece, second piece, last piece " + port), lines);
    }

    @Test
    void aClientSendingAnOversizedBodyFirstStillReadsThe413OverTls() throws Exception {
        assertEquals(List.of("413"), python("too-large"));
    }
}
