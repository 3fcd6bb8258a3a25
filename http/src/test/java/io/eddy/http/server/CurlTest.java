package io.eddy.http.server;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** curl, run as a separate process, against an Eddy server over loopback. Skipped where curl is not installed. */
class CurlTest {

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        // Per test, not per class, so that each skipped test is reported with the reason.
        assumeTrue(ExternalClient.find("curl").isPresent(), "curl is not installed: the curl client tests cannot run here");
        server = TestServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** Runs curl, silent but for errors, failing on any transfer that takes over 30 s. */
    private ExternalClient.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
        command.addAll(List.of(args));
        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60), command);
        assertEquals(0, result.status(), result.toString());
        return result;
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        return Files.write(dir.resolve(name), content);
    }

    @Test
    void severalUrlsInOneInvocationReuseOneConnection() throws Exception {
        String url = server.url("/port");

        ExternalClient.Result result = curl(url, url, url, "-w", "connects=%{num_connects}\\n");

        List<Integer> ports = server.clientPortsOf("/port");
        assertEquals(3, ports.size(), result.toString());
        assertEquals(1, new HashSet<>(ports).size(), "one client port for all three requests: " + ports);
        String port = String.valueOf(ports.get(0));
        assertEquals(List.of(port, "connects=1", port, "connects=0", port, "connects=0"), result.stdoutLines());
        // curl closed its connection on exit; the server noticed.
        await().atMost(30, SECONDS).until(() -> server.server().connectionCount() == 0);
    }

    @Test
    void chunkedUploadIsEchoedWhole() throws Exception {
        Path body = randomFile("body.bin", 300_000);

        ExternalClient.Result result = curl("-v", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@" + body, "-o", "echoed.bin", "-w", "%{http_code}", server.url("/echo"));

        assertTrue(result.stderr().contains("> Transfer-Encoding: chunked"), "curl sent the body chunked\n" + result);
        assertEquals("200", result.stdout());
        assertArrayEquals(Files.readAllBytes(body), Files.readAllBytes(dir.resolve("echoed.bin")));
    }

    @Test
    void chunkedUploadIsStreamedToTheHandlerWhole() throws Exception {
        Path body = randomFile("body.bin", 5_000_000);

        ExternalClient.Result result = curl("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + body, server.url("/upload"));

        assertEquals(TestServer.uploadAnswer(Files.readAllBytes(body)), result.stdout());
    }

    @Test
    void http10RequestsEachGetTheirOwnConnection() throws Exception {
        String url = server.url("/port");

        ExternalClient.Result result = curl("--http1.0", "-i", url, url, "-w", "connects=%{num_connects}\\n");

        List<Integer> ports = server.clientPortsOf("/port");
        assertEquals(2, ports.size(), result.toString());
        assertNotEquals(ports.get(0), ports.get(1), "HTTP/1.0 without keep-alive: a connection per request");
        assertEquals(2, result.stdoutLines().stream().filter(line -> line.equalsIgnoreCase("Connection: close")).count(),
                result.toString());
        assertEquals(2, result.stdoutLines().stream().filter(line -> line.equals("connects=1")).count(), result.toString());
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        String url = server.url("/port");

        ExternalClient.Result result = curl("--http1.0", "-H", "Connection: keep-alive", "-i", url, url,
                "-w", "connects=%{num_connects}\\n");

        List<Integer> ports = server.clientPortsOf("/port");
        assertEquals(2, ports.size(), result.toString());
        assertEquals(ports.get(0), ports.get(1), "HTTP/1.0 with Connection: keep-alive: one connection\n" + result);
        assertEquals(2, result.stdoutLines().stream().filter(line -> line.equalsIgnoreCase("Connection: keep-alive")).count(),
                result.toString());
    }

    @Test
    void aStreamedBodyToAnHttp10ClientEndsWithTheConnection() throws Exception {
        ExternalClient.Result result = curl("--http1.0", "-i", server.url("/stream/200"));

        String[] headAndBody = result.stdout().split("\r\n\r\n", 2);
        List<String> head = headAndBody[0].lines().toList();
        assertTrue(head.contains("Connection: close"), result.toString());
        assertFalse(head.stream().anyMatch(line -> line.startsWith("Transfer-Encoding")), "HTTP/1.0 has no chunked coding\n" + result);
        assertEquals(TestServer.streamBody(200), headAndBody[1]);
    }

    @Test
    void headOfAStreamedResponseSendsNoChunks() throws Exception {
        ExternalClient.Result result = curl("-I", server.url("/stream/200"), "--next", "-sS", server.url("/hello"));

        assertTrue(result.stdout().startsWith("HTTP/1.1 200 OK\r\n"), result.toString());
        assertTrue(result.stdout().endsWith("\r\n\r\nhello world"), "nothing between the HEAD's headers and the GET's body\n" + result);
        List<Integer> ports = server.seen().stream().map(TestServer.Seen::clientPort).distinct().toList();
        assertEquals(1, ports.size(), "HEAD and GET on one connection: " + server.seen());
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        String url = server.url("/port");

        ExternalClient.Result result = curl("-H", "Connection: close", "-i", url, url);

        List<Integer> ports = server.clientPortsOf("/port");
        assertEquals(2, ports.size(), result.toString());
        assertNotEquals(ports.get(0), ports.get(1), "a connection per request");
        assertEquals(2, result.stdoutLines().stream().filter(line -> line.equals("Connection: close")).count(), result.toString());
    }

    @Test
    void headGetsHeadersOnlyAndLeavesTheConnectionClean() throws Exception {
        // -I asks with HEAD; after --next, the same curl asks with GET on the connection HEAD left.
        ExternalClient.Result result = curl("-I", server.url("/hello"), "--next", "-sS", server.url("/hello"));

        List<String> lines = result.stdoutLines();
        assertEquals("HTTP/1.1 200 OK", lines.get(0), result.toString());
        assertTrue(lines.contains("Content-Length: 11"), result.toString());
        assertTrue(result.stdout().endsWith("\r\n\r\nhello world"), "the body comes once, after GET\n" + result);
        List<TestServer.Seen> seen = server.seen();
        assertEquals(List.of("HEAD", "GET"), seen.stream().map(TestServer.Seen::method).toList());
        assertEquals(seen.get(0).clientPort(), seen.get(1).clientPort(), "HEAD and GET on one connection: " + seen);
    }

    @Test
    void largeUploadWaitsForContinueThenIsStreamedToTheHandler() throws Exception {
        Path body = randomFile("body.bin", 4 * 1024 * 1024);

        // curl asks for 100 Continue for large bodies by itself; the header makes that independent of its version.
        ExternalClient.Result result = curl("-v", "-H", "Expect: 100-continue", "--data-binary", "@" + body, server.url("/upload"));

        assertTrue(result.stderr().contains("< HTTP/1.1 100 Continue"), "the server invited the body\n" + result.stderr());
        assertEquals(TestServer.uploadAnswer(Files.readAllBytes(body)), result.stdout());
    }

    @Test
    void largeUploadWaitsForContinueThenIsGatheredForTheHandler() throws Exception {
        Path body = randomFile("body.bin", 4 * 1024 * 1024);

        ExternalClient.Result result = curl("-v", "-H", "Expect: 100-continue", "--data-binary", "@" + body,
                "-o", "echoed.bin", server.url("/echo"));

        assertTrue(result.stderr().contains("< HTTP/1.1 100 Continue"), "the server invited the body\n" + result.stderr());
        assertArrayEquals(Files.readAllBytes(body), Files.readAllBytes(dir.resolve("echoed.bin")));
    }

    @Test
    void uploadToNoRouteIsRefusedBeforeTheBodyIsSent() throws Exception {
        Path body = randomFile("body.bin", 4 * 1024 * 1024);

        ExternalClient.Result result = curl("-v", "-H", "Expect: 100-continue", "--data-binary", "@" + body,
                "-o", "answer.txt", "-w", "%{http_code} uploaded=%{size_upload}", server.url("/nowhere"));

        assertEquals("404 uploaded=0", result.stdout(), result.toString());
        assertFalse(result.stderr().contains("100 Continue"), result.stderr());
    }

    @Test
    void fileBodiesArriveByteForByte() throws Exception {
        int whole = TestServer.FILE_SIZE;

        ExternalClient.Result result = curl(
                server.url("/file/1000/50000"), "-o", "part.bin",
                server.url("/file/0/" + whole), "-o", "whole.bin",
                server.url("/file/" + (whole - 1) + "/1"), "-o", "last.bin",
                "-w", "%{http_code} %{size_download} %{content_type}\\n");

        assertEquals(List.of("200 50000 application/octet-stream", "200 " + whole + " application/octet-stream",
                "200 1 application/octet-stream"), result.stdoutLines());
        assertArrayEquals(server.fileBytes(1000, 50000), Files.readAllBytes(dir.resolve("part.bin")));
        assertArrayEquals(server.fileBytes(0, whole), Files.readAllBytes(dir.resolve("whole.bin")));
        assertArrayEquals(server.fileBytes(whole - 1, 1), Files.readAllBytes(dir.resolve("last.bin")));
        List<Integer> ports = server.seen().stream().map(TestServer.Seen::clientPort).toList();
        assertEquals(3, ports.size());
        assertEquals(1, new HashSet<>(ports).size(), "the file bodies left the connection ready for the next request: " + ports);
    }

    @Test
    void rangesOfAStaticFileArriveByteForByte() throws Exception {
        int whole = TestServer.FILE_SIZE;
        Path site = Files.createDirectory(dir.resolve("site"));
        Files.copy(server.file(), site.resolve("data.bin"));
        server.close();
        server = TestServer.start((test, router) -> router.get("/static/{path...}", StaticFiles.from(site)));
        String url = server.url("/static/data.bin");

        String report = "%{http_code} %{size_download} %header{content-range}\n";
        ExternalClient.Result result = curl(
                "-r", "100-199", url, "-o", "middle.bin", "-w", report, "--next",
                "-r", "-10", url, "-o", "suffix.bin", "-w", report, "--next",
                "-r", (whole + 5) + "-", url, "-o", "beyond.bin", "-w", report);

        List<String> lines = result.stdoutLines();
        assertEquals(3, lines.size(), result.toString());
        assertTrue(lines.get(0).startsWith("206 100 "), lines.get(0));
        assertTrue(lines.get(0).contains("bytes 100-199/" + whole), lines.get(0));
        assertTrue(lines.get(1).startsWith("206 10 "), lines.get(1));
        assertTrue(lines.get(2).startsWith("416 "), lines.get(2));
        assertTrue(lines.get(2).contains("bytes */" + whole), lines.get(2));
        assertArrayEquals(server.fileBytes(100, 100), Files.readAllBytes(dir.resolve("middle.bin")));
        assertArrayEquals(server.fileBytes(whole - 10, 10), Files.readAllBytes(dir.resolve("suffix.bin")));
    }
}
