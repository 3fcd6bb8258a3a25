package io.eddy.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.WebSocketRequest;
import io.eddy.http.server.HttpServer;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * hello-http's {@code /chat} beside the TCP chat server, one room: TCP clients and WebSockets (a
 * headless Chromium on the page, and Eddy's own client) see each other's lines; and
 * {@code /ws/echo} with its 16 MiB limit.
 */
@Timeout(180)
class WebChatTest {

    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private EventLoop loop;
    private ChatServer chat;
    private HttpServer http;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("webchat-test");
        chat = ChatServer.start(loop, HOST, 0, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        http = HelloHttp.start(loop, HOST, 0, HelloHttp.bundledStaticFiles(), MetricRegistry.create(), chat.browsers());
        client = HttpClient.on(loop).build();
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
        chat.close();
        loop.close();
    }

    /** What a WebSocket heard. */
    private static final class Heard implements WebSocketHandler {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<Integer> binaries = new CopyOnWriteArrayList<>();
        volatile int closeCode;

        @Override
        public void onText(WebSocket socket, String text) {
            texts.add(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            binaries.add(data.remaining());
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            closeCode = code;
        }
    }

    @Test
    void aTcpClientAndAWebSocketSeeEachOthersLines() throws Exception {
        Heard heard = new Heard();
        WebSocket socket = client.websocket("ws://" + HOST + ":" + http.port() + "/chat", heard).get(20, TimeUnit.SECONDS);
        try (Socket tcp = new Socket(HOST, chat.port())) {
            tcp.setSoTimeout(20_000);
            BufferedReader lines = new BufferedReader(new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8));
            String tcpName = HOST + ":" + tcp.getLocalPort();
            await().atMost(WAIT).until(() -> heard.texts.stream().anyMatch(t -> t.contains(tcpName + " (tcp)")));
            tcp.getOutputStream().write("hello from tcp\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("got: hello from tcp", lines.readLine());
            await().atMost(WAIT).until(() -> heard.texts.contains("[" + tcpName + "] hello from tcp"));
            socket.sendText("hello from the web \u00e9");
            String webName = HOST + ":" + socket.connection().localAddress().toString().replaceAll(".*:", "");
            assertEquals("[" + webName + "] hello from the web \u00e9", lines.readLine());
            await().atMost(WAIT).until(() -> heard.texts.contains("got: hello from the web \u00e9"));
        }
        await().atMost(WAIT).until(() -> heard.texts.get(heard.texts.size() - 1).startsWith("{\"who\": [\"" + HOST)
                && !heard.texts.get(heard.texts.size() - 1).contains("(tcp)"));
    }

    @Test
    void theEchoTakes16MiBAndClosesLargerWith1009() throws Exception {
        Heard heard = new Heard();
        WebSocket socket = client.websocket(WebSocketRequest.to("ws://" + HOST + ":" + http.port() + "/ws/echo")
                .options(WebSocketOptions.defaults().withMaxMessageSize(WebSocketEcho.MAX_MESSAGE)
                        .withMaxFrameSize(WebSocketEcho.MAX_MESSAGE)), heard).get(20, TimeUnit.SECONDS);
        socket.sendText("echo me");
        socket.sendBinary(new byte[WebSocketEcho.MAX_MESSAGE]);
        await().atMost(WAIT).until(() -> heard.binaries.size() == 1);
        assertEquals(List.of("echo me"), heard.texts);
        assertEquals(WebSocketEcho.MAX_MESSAGE, heard.binaries.get(0));
        socket.sendBinary(new byte[WebSocketEcho.MAX_MESSAGE + 1]);
        await().atMost(WAIT).until(() -> heard.closeCode != 0);
        assertEquals(1009, heard.closeCode);
    }

    @Test
    void aBrowserOnTheChatPageAndATcpClientTalk() throws Exception {
        Optional<String> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "neither chromium nor chromium-browser is installed: the browser test cannot run here");
        try (Socket tcp = new Socket(HOST, chat.port());
             HeadlessChromium browser = HeadlessChromium.open(chromium.get(), "http://" + HOST + ":" + http.port() + "/chat", dir)) {
            tcp.setSoTimeout(20_000);
            BufferedReader lines = new BufferedReader(new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8));
            String tcpName = HOST + ":" + tcp.getLocalPort();
            // The page shows both members once its socket is open (until it has loaded, there is no list).
            await().atMost(WAIT).until(() -> {
                String who = browser.evaluate("(document.getElementById('members') || {}).textContent || ''");
                return who.contains(tcpName + " (tcp)") && who.contains("(browser)");
            });
            tcp.getOutputStream().write("hello browser\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("got: hello browser", lines.readLine());
            await().atMost(WAIT).until(() -> browser.evaluate("document.getElementById('lines').textContent")
                    .contains("[" + tcpName + "] hello browser"));
            browser.evaluate("(document.getElementById('text').value = 'hello tcp', "
                    + "document.getElementById('say').requestSubmit(), 'sent')");
            String relayed = lines.readLine();
            assertTrue(relayed.startsWith("[" + HOST + ":") && relayed.endsWith("] hello tcp"), relayed);
            await().atMost(WAIT).until(() -> browser.evaluate("document.getElementById('lines').textContent")
                    .contains("got: hello tcp"));
            byte[] png = browser.screenshot();
            assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
            // Kept where a person can look at it after the build.
            Path kept = Path.of("target", "chat-page.png");
            Files.createDirectories(kept.getParent());
            Files.write(kept, png);
        }
    }
}
