package io.eddy.http.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's {@code http.client} against an Eddy server over loopback: the script
 * (src/test/resources/python_http_client.py) prints what it saw and this test judges it.
 * Skipped where python3 is not installed.
 */
class PythonHttpClientTest {

    private static final String SCRIPT = "python_http_client.py";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // Per test, not per class, so that each skipped test is reported with the reason.
        assumeTrue(ExternalClient.find("python3").isPresent(),
                "python3 is not installed: the Python http.client tests cannot run here");
        server = TestServer.start();
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
        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60),
                List.of("python3", script.toString(), TestServer.HOST, String.valueOf(server.port()), scenario));
        assertEquals(0, result.status(), result.toString());
        return result.stdoutLines();
    }

    /** The client's port, as the server saw it on every request, checked to be one. */
    private String onlyClientPort() {
        List<Integer> ports = server.seen().stream().map(TestServer.Seen::clientPort).distinct().toList();
        assertEquals(1, ports.size(), "one connection for every request: " + server.seen());
        return String.valueOf(ports.get(0));
    }

    @Test
    void severalRequestsShareOneKeptAliveConnection() throws Exception {
        List<String> lines = python("keep-alive");

        String port = onlyClientPort();
        assertEquals(5, server.seen().size());
        assertEquals(List.of(("200 " + port + " " + port + "\n").repeat(5).split("\n")), lines);
        // The client closed its connection on exit; the server noticed.
        await().atMost(30, SECONDS).until(() -> server.server().connectionCount() == 0);
    }

    @Test
    void postedBodiesAreEchoedWithAndWithoutALength() throws Exception {
        List<String> lines = python("post");

        String port = onlyClientPort();
        assertEquals(List.of("200 héllo, wörld " + port, "200 first piece, second piece, last piece " + port), lines);
    }

    @Test
    void aStreamedChunkedResponseIsReadIntact() throws Exception {
        List<String> lines = python("chunked");

        byte[] expected = TestServer.utf8(TestServer.streamBody(300));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected));
        assertEquals(List.of("200 chunked " + expected.length + " " + sha256), lines);
    }

    @Test
    void headHasTheLengthOfGetButNoBodyAndKeepsTheConnection() throws Exception {
        List<String> lines = python("head");

        String port = onlyClientPort();
        assertEquals(List.of("200 11 0 " + port, "200 hello world " + port), lines);
    }

    @Test
    void aClientSendingAnOversizedBodyFirstStillReadsThe413() throws Exception {
        List<String> lines = python("too-large");

        assertEquals(List.of("413"), lines);
    }
}
