package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * curl, run as a separate process, against an Eddy server's TLS port, trusting the test CA with
 * {@code --cacert}: keep-alive over TLS, uploads, and ALPN. Skipped where curl is not installed.
 */
class CurlHttpsTest {

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // Per test, not per class, so that each skipped test is reported with the reason.
        assumeTrue(ExternalClient.find("curl").isPresent(), "curl is not installed: the curl https tests cannot run here");
        server = TestServer.startWithTls();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Runs curl trusting the test CA only, failing on any transfer that takes over 30 s. */
    private ExternalClient.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30",
                "--cacert", TestCertificates.get().caPem().toString(), "--capath", dir.toString()));
        command.addAll(List.of(args));
        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60), command);
        assertEquals(0, result.status(), result.toString());
        return result;
    }

    @Test
    void twoUrlsInOneRunShareOneKeptAliveTlsConnection() throws Exception {
        String url = server.httpsUrl("/port");

        ExternalClient.Result result = curl("-v", url, url, "-w", "connects=%{num_connects} verify=%{ssl_verify_result}\\n");

        assertTrue(result.stderr().contains("SSL certificate verify ok"), result.toString());
        assertTrue(result.stderr().contains("ALPN: server accepted http/1.1"), "curl offered h2 and http/1.1\n" + result);
        assertTrue(result.stderr().contains("Re-using existing connection"), "curl says it reused the connection\n" + result);
        List<Integer> ports = server.clientPortsOf("/port");
        assertEquals(2, ports.size(), result.toString());
        assertEquals(1, new HashSet<>(ports).size(), "one client port for both requests: " + ports);
        String port = String.valueOf(ports.get(0));
        assertEquals(List.of(port, "connects=1 verify=0", port, "connects=0 verify=0"), result.stdoutLines());
    }

    @Test
    void anUploadWithALengthIsEchoedWholeAndAChunkedOneStreamedToTheHandler() throws Exception {
        byte[] content = new byte[3_000_000];
        new Random(11).nextBytes(content);
        Path body = Files.write(dir.resolve("body.bin"), content);

        ExternalClient.Result echoed = curl("-H", "Content-Type: application/octet-stream", "--data-binary", "@" + body,
                "-o", "echoed.bin", "-w", "%{http_code}", server.httpsUrl("/echo"));
        assertEquals("200", echoed.stdout());
        assertArrayEquals(content, Files.readAllBytes(dir.resolve("echoed.bin")));

        ExternalClient.Result streamed = curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body,
                server.httpsUrl("/upload"));
        assertEquals(TestServer.uploadAnswer(content), streamed.stdout());
    }

    @Test
    void aFileRangeAndAStreamedBodyArriveWholeOverTls() throws Exception {
        ExternalClient.Result file = curl("-o", "file.bin", "-w", "%{http_code}",
                server.httpsUrl("/file/1000/" + (TestServer.FILE_SIZE - 2000)));
        assertEquals("200", file.stdout());
        assertArrayEquals(server.fileBytes(1000, TestServer.FILE_SIZE - 2000), Files.readAllBytes(dir.resolve("file.bin")));

        ExternalClient.Result stream = curl(server.httpsUrl("/stream/500"));
        assertEquals(TestServer.streamBody(500), stream.stdout());
    }

    @Test
    void curlRefusesTheServerWhenItTrustsAnotherCertificate() throws Exception {
        // The other.test certificate alone, without its CA: curl cannot chain the server's certificate to it.
        String chain = Files.readString(TestCertificates.get().otherChain());
        Path leafOnly = Files.writeString(dir.resolve("other.pem"),
                chain.substring(0, chain.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length()) + "\n");

        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60), List.of("curl", "-sS",
                "--max-time", "30", "--capath", dir.toString(), "--cacert", leafOnly.toString(), server.httpsUrl("/hello")));

        assertEquals(60, result.status(), "curl's exit status for a certificate it cannot verify\n" + result);
        assertEquals("", result.stdout());
        assertTrue(server.seen().isEmpty(), "no request reached the server: " + server.seen());
    }
}
