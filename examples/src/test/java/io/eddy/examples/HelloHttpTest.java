package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.PemFiles;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import io.eddy.http.server.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hello-http example over loopback: its routes, its static files, the same over https, and a
 * real browser on its page over http and over https.
 */
class HelloHttpTest {

    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dir;

    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        loop = EventLoop.start("hello-http-test");
        server = HelloHttp.start(loop, HOST, 0, HelloHttp.bundledStaticFiles());
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    /** One request over a fresh connection that the request closes; the whole response as text. */
    static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String get(int port, String path) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void answersHelloWorldAsTheTutorialMeantIt() throws IOException {
        String response = get(server.port(), "/hello");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("\r\nContent-Length: 11\r\n"), response);
        assertTrue(response.endsWith("\r\n\r\nhello world"), response);
    }

    @Test
    void servesItsPageAndTheStaticFilesThePageUses() throws IOException {
        String page = get(server.port(), "/");
        assertTrue(page.contains("Content-Type: text/html; charset=utf-8"), page);
        for (String name : HelloHttp.BUNDLED) {
            assertTrue(page.contains("/static/" + name), name + " is used by the page");
            String file = get(server.port(), "/static/" + name);
            assertTrue(file.startsWith("HTTP/1.1 200 OK\r\n"), file);
        }
        assertTrue(get(server.port(), "/static/style.css").contains("Content-Type: text/css"));
        assertTrue(get(server.port(), "/static/../pom.xml").startsWith("HTTP/1.1 404 "));
    }

    @Test
    void echoesAPostedBody() throws IOException {
        String response = exchange(server.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"say\":\"hi\"}\n");
        assertTrue(response.contains("Content-Type: application/json"), response);
        assertTrue(response.endsWith("\r\n\r\n{\"say\":\"hi\"}\n"), response);
        String form = exchange(server.port(), "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\ntext=hello");
        assertTrue(form.contains("Content-Type: text/plain; charset=utf-8"), form);
        assertTrue(form.endsWith("text=hello"), form);
    }

    @Test
    void servesAnotherStaticDirectoryWhenToldTo() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "from a directory of my own");
        try (EventLoop other = EventLoop.start("hello-http-dir")) {
            int port = HelloHttp.start(other, HOST, 0, dir).port();
            assertTrue(get(port, "/static/notes.txt").endsWith("from a directory of my own"));
        }
    }

    /** The test certificates' localhost pair, EC and RSA, as a server given {@code --cert} and {@code --key} gets them. */
    private static ServerTls testTls() {
        TestCertificates certificates = TestCertificates.get();
        return ServerTls.builder().certificate(certificates.serverEcChain(), certificates.serverEcKey())
                .certificate(certificates.serverRsaChain(), certificates.serverRsaKey()).build();
    }

    @Test
    void servesTheSameRoutesOverHttpsBesideHttp() throws Exception {
        try (EventLoop other = EventLoop.start("hello-https");
             EventLoop clientLoop = EventLoop.start("hello-https-client");
             HttpClient client = HttpClient.on(clientLoop).tls(TestCertificates.get().clientTls()).build()) {
            HttpServer both = HelloHttp.start(other, HOST, 0, 0, testTls(), HelloHttp.bundledStaticFiles());
            String https = "https://localhost:" + both.tlsPort();

            assertEquals("hello world", client.send(Request.get(https + "/hello")).join().text());
            Response page = client.send(Request.get(https + "/")).join();
            assertTrue(page.text().contains("Hello from Eddy"), page.text());
            // A static file goes through TLS from a file region, read a few kilobytes at a time.
            Response style = client.send(Request.get(https + "/static/style.css")).join();
            assertEquals(200, style.status());
            assertTrue(style.header("Content-Type").startsWith("text/css"), style.headers().toString());
            Response echo = client.send(Request.post(https + "/echo", "{\"over\":\"tls\"}", "application/json")).join();
            assertEquals("{\"over\":\"tls\"}", echo.text());
            assertTrue(get(both.port(), "/hello").endsWith("\r\n\r\nhello world"), "and over http, as before");
        }
    }

    @Test
    void tlsOptionsComeTogether() throws IOException {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not read");
        for (String[] args : new String[][] {
                {"hello-http", "--port", "0", "--tls-port", "0"},
                {"hello-http", "--port", "0", "--cert", cert.toString()},
                {"hello-http", "--port", "0", "--cert", dir.resolve("missing.pem").toString(), "--key", cert.toString()}}) {
            Output err = new Output();
            assertEquals(2, Examples.run(args, new Output().stream(), err.stream()), err.text());
            assertTrue(err.contains("--cert") || err.contains("--key"), err.text());
        }
    }

    @Test
    void aBrowserShowsThePageWithItsStyleAndTheAnswerItFetched() throws Exception {
        browse("http://" + HOST + ":" + server.port() + "/", List.of());
    }

    @Test
    void aBrowserShowsThePageOverHttpsTrustingTheTestCertificates() throws Exception {
        try (EventLoop other = EventLoop.start("hello-https-browser")) {
            HttpServer both = HelloHttp.start(other, HOST, 0, 0, testTls(), HelloHttp.bundledStaticFiles());
            // Chromium trusts what its user trusts: told the test certificates' public keys, it
            // takes the server's certificate; everything else about TLS it checks as ever.
            TestCertificates certificates = TestCertificates.get();
            String keys = spkiSha256(certificates.serverEcChain()) + "," + spkiSha256(certificates.serverRsaChain());
            browse("https://localhost:" + both.tlsPort() + "/", List.of("--ignore-certificate-errors-spki-list=" + keys));
        }
    }

    /** The base64 SHA-256 of the public key (SubjectPublicKeyInfo) of the first certificate in {@code chainPem}. */
    private static String spkiSha256(Path chainPem) throws Exception {
        byte[] spki = PemFiles.certificates(chainPem).get(0).getPublicKey().getEncoded();
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
    }

    /** Headless Chromium opens {@code url}: the page, its style, and what its script fetched all show. */
    private void browse(String url, List<String> moreOptions) throws Exception {
        Optional<String> chromium = Stream.of("chromium", "chromium-browser")
                .filter(HelloHttpTest::onPath).findFirst();
        assumeTrue(chromium.isPresent(), "neither chromium nor chromium-browser is installed: the browser test cannot run here");
        Path screenshot = dir.resolve("page.png");
        List<String> command = new ArrayList<>(List.of(chromium.get(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + dir.resolve("profile"),
                // Virtual time runs out only once the page is idle: its script and fetch are done.
                "--virtual-time-budget=10000", "--window-size=800,600", "--screenshot=" + screenshot));
        command.addAll(moreOptions);
        command.addAll(List.of("--dump-dom", url));
        Process browser = new ProcessBuilder(command)
                .redirectError(dir.resolve("browser.err").toFile())
                .redirectOutput(dir.resolve("dom.html").toFile())
                .start();
        try {
            assertTrue(browser.waitFor(60, TimeUnit.SECONDS), "the browser did not finish within 60 s");
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
        String dom = Files.readString(dir.resolve("dom.html"));
        String diagnostics = "DOM:\n" + dom + "\nstderr:\n" + Files.readString(dir.resolve("browser.err"));
        assertEquals(0, browser.exitValue(), diagnostics);
        assertTrue(dom.contains("Hello from Eddy</h1>"), diagnostics);
        assertTrue(dom.contains("The server says: hello world"), "the page's script fetched /hello\n" + diagnostics);
        byte[] png = Files.readAllBytes(screenshot);
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
    }
}
