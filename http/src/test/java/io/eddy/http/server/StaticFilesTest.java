package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Static files over real loopback sockets: the JDK's HTTP client for what it can send, and a plain
 * socket writing exact bytes for the paths that client would normalize or refuse.
 */
@Timeout(60)
class StaticFilesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "the secret outside the root";
    private static final String INDEX = "<!doctype html><title>home</title>";
    /** A modification time with a fraction of a second, to see Last-Modified cut it to the second. */
    private static final Instant MODIFIED = Instant.parse("2020-01-02T03:04:05.678Z");
    private static final String MODIFIED_HTTP = "Thu, 02 Jan 2020 03:04:05 GMT";

    private static final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(WAIT)
            .build();

    @TempDir
    Path dir;

    private Path site;
    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/secret.txt"), SECRET);
        // A sibling whose name starts like the root's: "site" must not let "site-private" through.
        Files.createDirectories(dir.resolve("site-private"));
        Files.writeString(dir.resolve("site-private/secret.txt"), SECRET);

        site = Files.createDirectories(dir.resolve("site"));
        write("index.html", INDEX);
        write("notes.txt", "0123456789abcdefghijklmnopqrstuvwxyz");
        write("css/site.css", "body { color: teal }");
        write("app.js", "console.log(1)");
        write("module.mjs", "export {}");
        write("data.json", "{}");
        write("logo.svg", "<svg/>");
        write("pic.PNG", "png");
        write("photo.jpeg", "jpeg");
        write("app.wasm", "wasm");
        write("font.woff2", "woff2");
        write("data.xyz", "?");
        write("README", "read me");
        write("a b.txt", "spaced");
        write("empty.txt", "");
        write("docs/index.html", "<p>docs</p>");
        write("docs/guide.html", "<p>guide</p>");
        Files.createDirectories(site.resolve("bare"));
        write(".hidden", SECRET);
        write(".git/config", SECRET);
        write("docs/.env", SECRET);
        Files.setLastModifiedTime(site.resolve("notes.txt"), FileTime.from(MODIFIED));

        loop = EventLoop.start("static-files");
        StaticFiles files = StaticFiles.from(site);
        server = HttpServer.on(loop)
                .bind("127.0.0.1", 0)
                .get("/static/{path...}", files)
                .get("/cached/{path...}", files.cacheControl("max-age=60"))
                .get("/typed/{file...}", files.param("file").contentType("xyz", "text/x-xyz"))
                .get("/plain/{path...}", files.index(null))
                .get("/{path...}", files)
                .start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (loop != null) {
            loop.close();
        }
    }

    // ---- what is served, and as what ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/static/index.html  | text/html; charset=utf-8",
        "/static/css/site.css| text/css; charset=utf-8",
        "/static/app.js      | text/javascript; charset=utf-8",
        "/static/module.mjs  | text/javascript; charset=utf-8",
        "/static/data.json   | application/json",
        "/static/notes.txt   | text/plain; charset=utf-8",
        "/static/logo.svg    | image/svg+xml",
        "/static/pic.PNG     | image/png",
        "/static/photo.jpeg  | image/jpeg",
        "/static/app.wasm    | application/wasm",
        "/static/font.woff2  | font/woff2",
        "/static/data.xyz    | application/octet-stream",
        "/static/README      | application/octet-stream",
        "/typed/data.xyz     | text/x-xyz",
    })
    void servesFilesWithTheirContentType(String path, String type) throws Exception {
        var response = get(path);
        assertEquals(200, response.statusCode());
        assertEquals(type, header(response, "Content-Type"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
        String name = path.substring(path.indexOf('/', 1) + 1);
        assertEquals(Files.readString(site.resolve(name)), response.body());
    }

    @Test
    void decodesTheNameOnce() throws Exception {
        assertEquals("spaced", get("/static/a%20b.txt").body());
        assertEquals(404, get("/static/a%2520b.txt").statusCode());
    }

    @Test
    void servesAnEmptyFile() throws Exception {
        var response = get("/static/empty.txt");
        assertEquals(200, response.statusCode());
        assertEquals("0", header(response, "Content-Length"));
        assertEquals("", response.body());
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
        var head = send(request("/static/notes.txt").method("HEAD", BodyPublishers.noBody()));
        var get = get("/static/notes.txt");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        for (String name : List.of("Content-Length", "Content-Type", "ETag", "Last-Modified", "Accept-Ranges")) {
            assertEquals(header(get, name), header(head, name), name);
        }
        assertEquals("36", header(head, "Content-Length"));
        // The connection is still in step: nothing of a body was sent after the head.
        assertEquals(200, send(request("/static/notes.txt").method("HEAD", BodyPublishers.noBody())).statusCode());
        String raw = rawExchange("HEAD /static/notes.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(raw.endsWith("\r\n\r\n"), raw);
    }

    @Test
    void leavesOtherMethodsToTheRouter() throws Exception {
        var response = send(request("/static/notes.txt").POST(BodyPublishers.ofString("x")));
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", header(response, "Allow"));
    }

    @Test
    void refusesMethodsOtherThanGetAndHeadWhenRoutedThem() throws Exception {
        HttpResponse response = StaticFiles.from(site).handle(HttpRequest.of("DELETE", "/notes.txt", new HttpHeaders(), new byte[0]));
        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.headers().get("Allow"));
    }

    @Test
    void addsCacheControlWhenAskedTo() throws Exception {
        var response = get("/cached/notes.txt");
        assertEquals("max-age=60", header(response, "Cache-Control"));
        assertFalse(get("/static/notes.txt").headers().firstValue("Cache-Control").isPresent());
        var notModified = send(request("/cached/notes.txt").header("If-None-Match", header(response, "ETag")));
        assertEquals(304, notModified.statusCode());
        assertEquals("max-age=60", header(notModified, "Cache-Control"));
    }

    // ---- directories ----

    @Test
    void servesIndexHtmlForADirectory() throws Exception {
        for (String path : List.of("/", "/static/", "/index.html")) {
            var response = get(path);
            assertEquals(200, response.statusCode(), path);
            assertEquals(INDEX, response.body(), path);
            assertEquals("text/html; charset=utf-8", header(response, "Content-Type"), path);
        }
        assertEquals("<p>docs</p>", get("/static/docs/").body());
        assertEquals("<p>docs</p>", get("/docs/").body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/static          | /static/",
        "/static/docs     | /static/docs/",
        "/docs            | /docs/",
        "/static/docs?a=1 | /static/docs/?a=1",
    })
    void redirectsADirectoryWithoutItsSlash(String path, String location) throws Exception {
        var response = get(path);
        assertEquals(301, response.statusCode());
        assertEquals(location, header(response, "Location"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/bare/", "/static/bare", "/plain/", "/plain/docs/", "/plain/docs",
        "/static/notes.txt/", "/static/docs/index.html/", "/static/missing.txt", "/static/missing/"})
    void neverListsADirectoryNorTakesAFileForOne(String path) throws Exception {
        assertEquals(404, get(path).statusCode(), path);
    }

    // ---- conditional requests ----

    @Test
    void sendsValidators() throws Exception {
        var response = get("/static/notes.txt");
        assertEquals(MODIFIED_HTTP, header(response, "Last-Modified"));
        String etag = header(response, "ETag");
        assertTrue(etag.matches("\"24-[0-9a-f]+\""), etag);
        assertEquals(etag, header(get("/static/notes.txt"), "ETag"));
        assertFalse(etag.equals(header(get("/static/app.js"), "ETag")));
    }

    @Test
    void changesTheTagWhenTheFileChanges() throws Exception {
        String before = header(get("/static/notes.txt"), "ETag");
        Files.setLastModifiedTime(site.resolve("notes.txt"), FileTime.from(MODIFIED.plusMillis(1)));
        String after = header(get("/static/notes.txt"), "ETag");
        assertFalse(before.equals(after));
        assertEquals(304, send(request("/static/notes.txt").header("If-None-Match", after)).statusCode());
        assertEquals(200, send(request("/static/notes.txt").header("If-None-Match", before)).statusCode());
    }

    @Test
    void answersNotModifiedForAMatchingTag() throws Exception {
        String etag = header(get("/static/notes.txt"), "ETag");
        for (String value : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            var response = send(request("/static/notes.txt").header("If-None-Match", value));
            assertEquals(304, response.statusCode(), value);
            assertEquals("", response.body());
            assertEquals(etag, header(response, "ETag"));
            assertEquals(MODIFIED_HTTP, header(response, "Last-Modified"));
            assertFalse(response.headers().firstValue("Content-Length").isPresent());
        }
        var changed = send(request("/static/notes.txt").header("If-None-Match", "\"other\""));
        assertEquals(200, changed.statusCode());
        assertEquals(36, changed.body().length());
    }

    @Test
    void answersNotModifiedForADateNotBeforeTheFile() throws Exception {
        assertEquals(304, send(request("/static/notes.txt").header("If-Modified-Since", MODIFIED_HTTP)).statusCode());
        assertEquals(304, send(request("/static/notes.txt")
                .header("If-Modified-Since", "Fri, 03 Jan 2020 00:00:00 GMT")).statusCode());
        var earlier = send(request("/static/notes.txt").header("If-Modified-Since", "Thu, 02 Jan 2020 03:04:04 GMT"));
        assertEquals(200, earlier.statusCode());
        assertEquals(36, earlier.body().length());
        assertEquals(200, send(request("/static/notes.txt").header("If-Modified-Since", "yesterday")).statusCode());
    }

    @Test
    void letsIfNoneMatchOverruleIfModifiedSince() throws Exception {
        var response = send(request("/static/notes.txt")
                .header("If-None-Match", "\"other\"")
                .header("If-Modified-Since", MODIFIED_HTTP));
        assertEquals(200, response.statusCode());
    }

    @Test
    void answersHeadConditionallyToo() throws Exception {
        var response = send(request("/static/notes.txt").method("HEAD", BodyPublishers.noBody())
                .header("If-Modified-Since", MODIFIED_HTTP));
        assertEquals(304, response.statusCode());
    }

    // ---- ranges ----

    @Test
    void servesTheFirstBytes() throws Exception {
        var response = send(request("/static/notes.txt").header("Range", "bytes=0-9"));
        assertEquals(206, response.statusCode());
        assertEquals("0123456789", response.body());
        assertEquals("bytes 0-9/36", header(response, "Content-Range"));
        assertEquals("10", header(response, "Content-Length"));
        assertEquals("text/plain; charset=utf-8", header(response, "Content-Type"));
        assertNotNull(header(response, "ETag"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bytes=-6      | uvwxyz                               | bytes 30-35/36",
        "bytes=30-     | uvwxyz                               | bytes 30-35/36",
        "bytes=10-12   | abc                                  | bytes 10-12/36",
        "bytes=34-1000 | yz                                   | bytes 34-35/36",
        "bytes=-100    | 0123456789abcdefghijklmnopqrstuvwxyz | bytes 0-35/36",
    })
    void servesSuffixAndOpenRanges(String range, String body, String contentRange) throws Exception {
        var response = send(request("/static/notes.txt").header("Range", range));
        assertEquals(206, response.statusCode());
        assertEquals(body, response.body());
        assertEquals(contentRange, header(response, "Content-Range"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=36-", "bytes=100-200", "bytes=-0"})
    void answersRangeNotSatisfiable(String range) throws Exception {
        var response = send(request("/static/notes.txt").header("Range", range));
        assertEquals(416, response.statusCode());
        assertEquals("bytes */36", header(response, "Content-Range"));
        assertEquals("", response.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "bytes=5-1", "bytes=abc", "pages=1-2", "bytes 0-5"})
    void servesTheWholeFileForSeveralOrMalformedRanges(String range) throws Exception {
        var response = send(request("/static/notes.txt").header("Range", range));
        assertEquals(200, response.statusCode());
        assertEquals(36, response.body().length());
        assertFalse(response.headers().firstValue("Content-Range").isPresent());
    }

    @Test
    void ignoresRangeOnHead() throws Exception {
        var response = send(request("/static/notes.txt").method("HEAD", BodyPublishers.noBody()).header("Range", "bytes=0-9"));
        assertEquals(200, response.statusCode());
        assertEquals("36", header(response, "Content-Length"));
    }

    @Test
    void honoursIfRangeOnlyForTheCurrentFile() throws Exception {
        String etag = header(get("/static/notes.txt"), "ETag");
        assertEquals(206, ifRange(etag).statusCode());
        assertEquals(206, ifRange(MODIFIED_HTTP).statusCode());
        for (String stale : List.of("\"other\"", "W/" + etag, "Thu, 02 Jan 2020 03:04:04 GMT", "Thu, 02 Jan 2020 03:04:06 GMT", "garbage")) {
            var response = ifRange(stale);
            assertEquals(200, response.statusCode(), stale);
            assertEquals(36, response.body().length(), stale);
        }
    }

    @Test
    void trustsNoIfRangeDateNotBeforeTheCurrentSecond() throws Exception {
        // A file modified this second (or stamped later) may change again under the same Last-Modified.
        Files.setLastModifiedTime(site.resolve("notes.txt"), FileTime.from(Instant.now().plusSeconds(3600)));
        String lastModified = header(get("/static/notes.txt"), "Last-Modified");
        assertEquals(200, ifRange(lastModified).statusCode());
    }

    private java.net.http.HttpResponse<String> ifRange(String value) throws Exception {
        return send(request("/static/notes.txt").header("Range", "bytes=0-9").header("If-Range", value));
    }

    // ---- a large file, from the file to the socket ----

    @Test
    void sendsALargeFileWhole() throws Exception {
        byte[] data = new byte[8 * 1024 * 1024 + 123];
        new Random(42).nextBytes(data);
        Files.write(site.resolve("big.bin"), data);
        var response = client.send(request("/static/big.bin").build(), BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        assertEquals(String.valueOf(data.length), header(response, "Content-Length"));
        assertEquals(data.length, response.body().length);
        assertArrayEquals(sha256(data), sha256(response.body()));

        var part = client.send(request("/static/big.bin").header("Range", "bytes=3000000-5999999").build(),
                BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertArrayEquals(sha256(Arrays.copyOfRange(data, 3_000_000, 6_000_000)), sha256(part.body()));
    }

    // ---- nothing outside the root ----

    @ParameterizedTest
    @ValueSource(strings = {
        "/static/../secret.txt",
        "/static/css/../../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E/secret.txt",
        "/static/.%2e/secret.txt",
        "/static/%2e./secret.txt",
        "/static/%2e%2e%2fsecret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/..%2fsecret.txt",
        "/static/..%5csecret.txt",
        "/static/%2e%2e%5Csecret.txt",
        "/static/%C0%AE%C0%AE/secret.txt",
        "/static/..%c0%afsecret.txt",
        "/static/%00",
        "/static/notes.txt%00.html",
        "/static/index.html%00",
        "/static//secret.txt",
        "/static/%2Fsecret.txt",
        "/static/%2f..%2fsecret.txt",
        "/static/C:%5Csecret.txt",
        "/static/../site-private/secret.txt",
        "/static/%2e%2e/site-private/secret.txt",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "//secret.txt",
        "/.%2e/outside/secret.txt",
        "/static/.hidden",
        "/static/.git/config",
        "/static/%2egit/config",
        "/static/docs/.env",
        "/.hidden",
        "http://localhost/static/../secret.txt",
        "http://localhost/static/%2e%2e/secret.txt",
    })
    void servesNothingOutsideTheRoot(String target) throws Exception {
        String response = rawExchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertFalse(response.contains(SECRET), response);
        assertEquals(404, status(response), target + " answered " + response);
    }

    /** Targets the decoder refuses (RFC 3986): 400 before any file is looked up. */
    @ParameterizedTest
    @ValueSource(strings = {"/static/..\\secret.txt", "/static/css\\..\\..\\secret.txt", "/static/%zz", "/static/%2", "/static/%"})
    void refusesMalformedTargetsBeforeLookingForAFile(String target) throws Exception {
        String response = rawExchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertFalse(response.contains(SECRET), response);
        assertEquals(400, status(response), target + " answered " + response);
    }

    @Test
    void refusesLinksLeadingOutOfTheRoot() throws Exception {
        symlink(site.resolve("leak.txt"), dir.resolve("secret.txt"));
        symlink(site.resolve("leak-dir"), dir.resolve("outside"));
        symlink(site.resolve("private"), dir.resolve("site-private"));
        symlink(site.resolve("inside.css"), site.resolve("css/site.css"));
        symlink(site.resolve("styles"), site.resolve("css"));
        for (String path : List.of("/static/leak.txt", "/static/leak-dir/secret.txt", "/static/leak-dir/",
                "/static/private/secret.txt", "/leak.txt")) {
            var response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertFalse(response.body().contains(SECRET), path);
        }
        // A link that stays inside the root is followed.
        assertEquals("body { color: teal }", get("/static/inside.css").body());
        assertEquals("body { color: teal }", get("/static/styles/site.css").body());
    }

    @Test
    void followsARootThatIsALink() throws Exception {
        Path link = dir.resolve("site-link");
        symlink(link, site);
        StaticFiles files = StaticFiles.from(link);
        assertEquals(site.toRealPath(), files.root());
        HttpResponse response = files.handle(HttpRequest.of("GET", "/notes.txt", new HttpHeaders(), new byte[0]));
        assertEquals(200, response.status());
    }

    // ---- the API ----

    @Test
    void refusesARootThatIsNoDirectory() {
        assertThrows(IllegalArgumentException.class, () -> StaticFiles.from(dir.resolve("missing")));
        assertThrows(IllegalArgumentException.class, () -> StaticFiles.from(dir.resolve("secret.txt")));
    }

    @Test
    void refusesIndexNamesThatAreNoPlainFileName() {
        StaticFiles files = StaticFiles.from(site);
        for (String name : List.of("", "a/b", "../index.html", ".index", "index.html/", "%41.html")) {
            assertThrows(IllegalArgumentException.class, () -> files.index(name), name);
        }
        assertEquals(files.root(), files.index("default.htm").root());
    }

    @Test
    void refusesBadHeaderValues() {
        StaticFiles files = StaticFiles.from(site);
        assertThrows(IllegalArgumentException.class, () -> files.cacheControl("max-age=1\r\nX-Evil: 1"));
        assertThrows(IllegalArgumentException.class, () -> files.contentType("md", "text/plain\nX: y"));
        assertThrows(IllegalArgumentException.class, () -> files.param(""));
    }

    // ---- helpers ----

    private void write(String name, String content) throws IOException {
        Path file = site.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void symlink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            Assumptions.abort("symbolic links cannot be made here: " + e);
        }
    }

    private java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(WAIT);
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return send(request(path));
    }

    private static java.net.http.HttpResponse<String> send(java.net.http.HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), BodyHandlers.ofString(UTF_8));
    }

    private static String header(java.net.http.HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Writes {@code request} as it is and reads the answer until the server closes. */
    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) WAIT.toMillis());
            socket.getOutputStream().write(request.getBytes(US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(answer);
            return answer.toString(UTF_8);
        }
    }

    private static int status(String response) {
        assertTrue(response.startsWith("HTTP/1.1 "), response);
        return Integer.parseInt(response.substring(9, 12));
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
