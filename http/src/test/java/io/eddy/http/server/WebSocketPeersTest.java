package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.http.websocket.PeerServer;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketOptions;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSocket clients nobody here wrote against Eddy's server over loopback: Python's
 * {@code websockets} and Node's {@code ws} (src/test/resources/ws_peer.py and ws_peer.js) print
 * what they saw and this test judges it. Each is skipped, saying why, where its library is missing.
 */
class WebSocketPeersTest {

    /** An echo of every message, compression agreed when offered. */
    static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    };

    @TempDir
    Path dir;

    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("ws-peers");
        server = HttpServer.on(loop).bind(TestServer.HOST, 0).bindTls(TestServer.HOST, 0, TestCertificates.get().serverTls())
                .router(routes(new Router())).start();
    }

    /** The routes the peers' scripts expect. */
    static Router routes(Router router) {
        return router
                .websocket("/ws/echo", WebSocketRoute.of(ECHO).options(WebSocketOptions.defaults().withCompression(true)))
                .websocket("/ws/close", new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocket socket) {
                        socket.close(4002, "bye");
                    }
                });
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

    private String url() {
        return "ws://" + TestServer.HOST + ":" + server.port();
    }

    private List<String> python(String scenario, String... more) throws Exception {
        assumeTrue(PeerServer.pythonAvailable(),
                "Python's websockets library is not installed (python3-websockets): the Python WebSocket tests cannot run here");
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script("ws_peer.py"), "client", url(), scenario));
        command.addAll(List.of(more));
        return run(command);
    }

    private List<String> node(String scenario) throws Exception {
        assumeTrue(PeerServer.nodeAvailable(), "node or its ws library (node-ws) is not installed: the Node WebSocket tests cannot run here");
        return run(PeerServer.nodeCommand(script("ws_peer.js"), "client", url(), scenario));
    }

    private List<String> run(List<String> command) throws Exception {
        ExternalClient.Result result = ExternalClient.run(dir, Duration.ofSeconds(60), command);
        assertEquals(0, result.status(), result.toString());
        return result.stdoutLines();
    }

    private String script(String name) throws Exception {
        Path script = dir.resolve(name);
        if (!Files.exists(script)) {
            try (InputStream source = getClass().getResourceAsStream("/" + name)) {
                Files.copy(source, script);
            }
        }
        return script.toString();
    }

    @Test
    void pythonEchoesTextBinaryFragmentsPingAndLargeMessages() throws Exception {
        assertEquals(List.of("text h\u00e9llo \uD83C\uDF0D", "binary 000102ff", "fragmented fragmented \u00e9", "pong",
                "big 300000", "closed 1000"), python("echo"));
    }

    @Test
    void pythonAgreesPermessageDeflate() throws Exception {
        assertEquals(List.of("extensions permessage-deflate", "echoed True", "echoed True", "echoed True",
                "fragmented 10000", "closed 1000"), python("compressed"));
    }

    @Test
    void pythonReadsTheCodeTheServerClosesWith() throws Exception {
        assertEquals(List.of("closed 4002 bye"), python("server-closes"));
    }

    @Test
    void pythonIsClosedWith1009ForAMessageOverTheLimit() throws Exception {
        assertEquals(List.of("closed 1009"), python("too-big"));
    }

    @Test
    void pythonOverTls() throws Exception {
        String wss = "wss://localhost:" + server.tlsPort();
        assumeTrue(PeerServer.pythonAvailable(), "Python's websockets library is not installed (python3-websockets)");
        assertEquals(List.of("text over tls", "fragmented tls fragments", "closed 1000"),
                run(List.of("/usr/bin/python3", script("ws_peer.py"), "client", wss, "wss",
                        TestCertificates.get().caPem().toString())));
    }

    /** Opens the echo, sends text and binary, then opens a socket the server closes with 4002. */
    static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>ws</title></head><body>
            <p id="log">waiting</p>
            <script>
            const log = [];
            function done() { fetch('/report', {method: 'POST', body: log.join(' | ')}); }
            const echo = new WebSocket('ws://' + location.host + '/ws/echo');
            echo.binaryType = 'arraybuffer';
            echo.onopen = () => { echo.send('h\u00e9llo browser'); echo.send(new Uint8Array([7, 8, 9])); };
            echo.onmessage = (e) => {
              if (typeof e.data === 'string') { log.push('text ' + e.data); }
              else { log.push('binary ' + Array.from(new Uint8Array(e.data)).join(',')); echo.close(1000, 'thanks'); }
            };
            echo.onclose = (e) => {
              log.push('echo closed ' + e.code + ' ' + e.wasClean);
              const closing = new WebSocket('ws://' + location.host + '/ws/close');
              closing.onclose = (c) => { log.push('server closed ' + c.code + ' ' + c.reason + ' ' + c.wasClean); done(); };
            };
            </script></body></html>
            """;

    @Test
    void chromiumSendsAndReceivesTextAndBinaryAndReadsTheServersCloseCode() throws Exception {
        var found = ExternalClient.find("chromium", "chromium-browser");
        assumeTrue(found.isPresent(), "neither chromium nor chromium-browser is installed: the browser test cannot run here");
        server.close();
        var report = new java.util.concurrent.CompletableFuture<String>();
        server = HttpServer.on(loop).bind(TestServer.HOST, 0).router(routes(new Router())
                .get("/", request -> HttpResponse.html(PAGE))
                .post("/report", request -> {
                    report.complete(request.bodyText());
                    return HttpResponse.text("ok");
                })).start();
        // The page reports over HTTP once its sockets have closed; the browser runs until then.
        Process browser = new ProcessBuilder(found.get(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + dir.resolve("profile"), "http://" + TestServer.HOST + ":" + server.port() + "/")
                .redirectErrorStream(true).redirectOutput(dir.resolve("browser.log").toFile()).start();
        try {
            String seen = report.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals("text h\u00e9llo browser | binary 7,8,9 | echo closed 1000 true | server closed 4002 bye true", seen);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            browser.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void nodeEchoesTextBinaryFragmentsAndPing() throws Exception {
        List<String> lines = node("echo");
        assertEquals("extensions ", lines.get(0));
        assertTrue(lines.containsAll(List.of("text h\u00e9llo", "binary 000102ff", "big 200000", "text fragmented",
                "pong p1", "closed 1000 done")), lines.toString());
    }

    @Test
    void nodeAgreesPermessageDeflate() throws Exception {
        List<String> lines = node("compressed");
        assertEquals("extensions permessage-deflate", lines.get(0));
        assertTrue(lines.containsAll(List.of("text h\u00e9llo", "binary 000102ff", "big 200000", "text fragmented",
                "closed 1000 done")), lines.toString());
    }

    @Test
    void nodeReadsTheCodeTheServerClosesWith() throws Exception {
        assertEquals(List.of("closed 4002 bye"), node("server-closes"));
    }
}
