package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
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
 * A real browser, headless Chromium, opens a page served by Eddy: the page pulls a style sheet
 * and a script from other routes, and the script fetches {@code /hello} and writes it into the
 * page. The DOM Chromium dumps once the page has settled shows all of it worked. Skipped where
 * Chromium is not installed.
 */
class BrowserTest {

    private static final String PAGE = """
            <!DOCTYPE html>
            <html>
            <head>
            <title>Eddy in a browser</title>
            <link rel="stylesheet" href="/style.css">
            <script src="/app.js" defer></script>
            </head>
            <body>
            <h1 id="title">Served by Eddy</h1>
            <p id="greeting">waiting for /hello</p>
            <p id="title-color"></p>
            </body>
            </html>
            """;

    private static final String STYLE = """
            h1 { color: rgb(12, 34, 56); }
            """;

    private static final String SCRIPT = """
            fetch('/hello')
                .then(response => response.text())
                .then(text => {
                    document.getElementById('greeting').textContent = 'fetched: ' + text;
                    const title = document.getElementById('title');
                    document.getElementById('title-color').textContent = 'title color: ' + getComputedStyle(title).color;
                });
            """;

    @TempDir
    Path dir;

    private String chromium;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        Optional<String> found = ExternalClient.find("chromium", "chromium-browser");
        assumeTrue(found.isPresent(), "neither chromium nor chromium-browser is installed: the browser test cannot run here");
        chromium = found.get();
        server = TestServer.start((test, router) -> {
            router.get("/", test.recorded(request -> HttpResponse.html(PAGE)));
            router.get("/style.css", test.recorded(request -> HttpResponse.bytes(TestServer.utf8(STYLE), "text/css; charset=utf-8")));
            router.get("/app.js", test.recorded(request -> HttpResponse.bytes(TestServer.utf8(SCRIPT), "text/javascript; charset=utf-8")));
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pageStyleSheetScriptAndFetchAllArrive() throws Exception {
        Path screenshot = dir.resolve("page.png");

        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60), List.of(chromium,
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"),
                // Virtual time runs out only once the page is idle: its script and fetch are done.
                "--virtual-time-budget=10000",
                "--window-size=800,600", "--screenshot=" + screenshot,
                "--dump-dom", server.url("/")));

        assertEquals(0, result.status(), result.toString());
        String dom = result.stdout();
        assertTrue(dom.contains("<h1 id=\"title\">Served by Eddy</h1>"), "the page arrived\n" + result);
        assertTrue(dom.contains("<p id=\"greeting\">fetched: hello world</p>"), "the script fetched /hello\n" + result);
        assertTrue(dom.contains("<p id=\"title-color\">title color: rgb(12, 34, 56)</p>"), "the style sheet applied\n" + result);
        List<String> paths = server.seen().stream().map(TestServer.Seen::path).toList();
        assertTrue(paths.containsAll(List.of("/", "/style.css", "/app.js", "/hello")), paths.toString());
        // A PNG of the window's size: its signature, then the IHDR chunk's width and height.
        ByteBuffer png = ByteBuffer.wrap(Files.readAllBytes(screenshot));
        assertEquals(0x89504e470d0a1a0aL, png.getLong(0), "a PNG screenshot\n" + result);
        assertEquals(800, png.getInt(16));
        assertEquals(600, png.getInt(20));
    }
}
