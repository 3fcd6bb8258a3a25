package io.eddy.examples;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * Headless Chromium driven over its DevTools protocol, for pages that never finish loading (a
 * stream of server-sent events keeps one request open, so {@code --screenshot} alone would shoot
 * too early or wait for ever): open a page, evaluate script in it as it runs, take a screenshot.
 * The browser runs as a separate process with a profile of its own, and is killed on close.
 *
 * <p>Threading: one test thread; replies arrive on the WebSocket's thread.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern PAGE_SOCKET = Pattern.compile("\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"");

    private final Process browser;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> replies = new ConcurrentHashMap<>();

    private HeadlessChromium(Process browser, WebSocket socket) {
        this.browser = browser;
        this.socket = socket;
    }

    /** The first of {@code chromium}, {@code chromium-browser} on the path, or empty. */
    static Optional<String> find() {
        return Stream.of("chromium", "chromium-browser").filter(HeadlessChromium::onPath).findFirst();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(entry -> Files.isExecutable(Path.of(entry, program)));
    }

    /** Starts {@code chromium} on {@code url}, with its profile and logs in {@code dir}, and attaches to the page. */
    static HeadlessChromium open(String chromium, String url, Path dir) throws Exception {
        Path profile = dir.resolve("profile");
        Process browser = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=1000,700", url)
                .redirectErrorStream(true).redirectOutput(dir.resolve("browser.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            HttpClient http = HttpClient.newHttpClient();
            String[] page = new String[1];
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!browser.isAlive()) {
                    throw new IOException("the browser ended: " + Files.readString(dir.resolve("browser.log")));
                }
                if (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                    return false; // still starting
                }
                String port = Files.readAllLines(portFile).get(0).strip();
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = PAGE_SOCKET.matcher(list);
                page[0] = m.find() ? m.group(1) : null;
                return page[0] != null;
            });
            StringBuilder partial = new StringBuilder();
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page[0]), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        self[0].received(partial.toString());
                        partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(browser, socket);
            return self[0];
        } catch (Exception | Error e) {
            kill(browser);
            throw e;
        }
    }

    private void received(String message) {
        Matcher id = Pattern.compile("^\\{\"id\":(\\d+)").matcher(message);
        if (id.find()) {
            CompletableFuture<String> reply = replies.remove(Integer.parseInt(id.group(1)));
            if (reply != null) {
                reply.complete(message);
            }
        }
    }

    /** Sends a DevTools command with its parameters as JSON, and returns the reply's JSON. */
    private String call(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true);
        return reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Evaluates {@code expression} in the page; its value, which must be a string without quotes or backslashes. */
    String evaluate(String expression) throws Exception {
        String reply = call("Runtime.evaluate", "{\"expression\":" + quoted(expression) + ",\"returnByValue\":true}");
        Matcher value = Pattern.compile("\"value\":\"([^\"\\\\]*)\"").matcher(reply);
        if (!value.find()) {
            throw new IllegalStateException("no string value from " + expression + ": " + reply);
        }
        return value.group(1);
    }

    /** A PNG of the page as it is now. */
    byte[] screenshot() throws Exception {
        String reply = call("Page.captureScreenshot", "{\"format\":\"png\"}");
        Matcher data = Pattern.compile("\"data\":\"([A-Za-z0-9+/=]+)\"").matcher(reply);
        if (!data.find()) {
            throw new IllegalStateException("no screenshot: " + reply.substring(0, Math.min(200, reply.length())));
        }
        return Base64.getDecoder().decode(data.group(1));
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    @Override
    public void close() {
        socket.abort();
        kill(browser);
    }

    private static void kill(Process browser) {
        List<ProcessHandle> children = browser.descendants().toList();
        browser.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
