package io.eddy.examples;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.http.server.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** hello-http's {@code /status} (a live page over server-sent events) and {@code /metrics}, as a person and Prometheus see them. */
@Timeout(120)
class StatusPageTest {

    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dir;

    private final MetricRegistry metrics = MetricRegistry.create();
    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        loop = EventLoop.builder().name("status-test").metrics(metrics).start();
        server = HelloHttp.start(loop, HOST, 0, HelloHttp.bundledStaticFiles(), metrics);
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void streamsASampleASecondAndEndsTheStreamWhenTheLoopCloses() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /status/events HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                head.add(line);
            }
            assertEquals("HTTP/1.1 200 OK", head.get(0));
            assertTrue(head.contains("Content-Type: text/event-stream; charset=utf-8"), head.toString());
            List<String> samples = new ArrayList<>();
            while (samples.size() < 2) {
                String line = in.readLine();
                if (line.startsWith("data: ")) {
                    samples.add(line.substring(6));
                }
            }
            assertTrue(samples.get(1).matches("\\{\"requestsPerSecond\":[0-9.]+,\"requests\":\\d+,\"loops\":\\[\\{\"name\":"
                    + "\"status-test\",\"busy\":[0-9.]+,\"connections\":1,\"pendingTasks\":\\d+,\"wakeups\":\\d+}]}"),
                    samples.get(1));
            loop.shutdown(Duration.ofSeconds(30));
            // The stream ends (a closing loop waits for no open page), so the connection does too.
            while (in.readLine() != null) {
                // the rest of the stream, up to its end
            }
            assertTrue(loop.awaitTermination(Duration.ofSeconds(30)), "the loop closed before its deadline");
        }
    }

    @Test
    void theShowcasesMetricsPassPromtool() throws Exception {
        MetricRegistry all = MetricRegistry.create();
        try (EventLoop showcaseLoop = EventLoop.builder().name("showcase-test").metrics(all).start()) {
            Examples.Showcase showcase = Examples.showcase(showcaseLoop, HOST, Examples.Ports.ANY, all);
            assertEquals(200, status(get(showcase.http().port(), "/hello")));
            String text = body(get(showcase.http().port(), "/metrics"));
            for (String figure : List.of("eddy_loop_busy_ratio{loop=\"showcase-test\"}", "eddy_tcp_server_connections{server=\"127.0.0.1:"
                    + showcase.greeting().port() + "\"}", "eddy_tcp_server_connections{server=\"127.0.0.1:" + showcase.chat().port()
                    + "\"}", "eddy_udp_datagrams_received_total{endpoint=\"127.0.0.1:" + showcase.udp().port(),
                    "eddy_http_server_requests_total{server=\"127.0.0.1:" + showcase.http().port()
                            + "\",method=\"GET\",route=\"/hello\",status=\"2xx\"} 1",
                    "eddy_http_server_request_duration_seconds_bucket{")) {
                assertTrue(text.contains(figure), figure + " missing from\n" + text);
            }
            Optional<String> promtool = Optional.of("promtool").filter(StatusPageTest::runs);
            assumeTrue(promtool.isPresent(), "promtool (Debian's prometheus package) is not installed: /metrics is not"
                    + " checked by Prometheus' own tool here");
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, text);
            Process check = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(check.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, check.exitValue(), said + "\n" + text);
            assertEquals("", said.strip());
        }
    }

    @Test
    void aBrowserDrawsTheLoopsWorkUnderALittleLoad() throws Exception {
        Optional<String> chromium = HeadlessChromium.find();
        assumeTrue(chromium.isPresent(), "neither chromium nor chromium-browser is installed: the browser test cannot run here");
        ScheduledExecutorService load = Executors.newScheduledThreadPool(3);
        AtomicLong answered = new AtomicLong();
        List<Socket> clients = new ArrayList<>();
        try {
            // A little load: three kept-alive connections, a request on one of them every 2 ms.
            for (int i = 0; i < 3; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.port());
                client.setSoTimeout(20_000);
                clients.add(client);
                load.scheduleAtFixedRate(() -> hello(client, answered), i, 6, TimeUnit.MILLISECONDS);
            }
            try (HeadlessChromium browser = HeadlessChromium.open(chromium.get(), "http://" + HOST + ":" + server.port() + "/status",
                    dir)) {
                // Three samples, the last ones with requests per second above zero and the load's connections.
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    String[] seen = browser.evaluate("typeof samples === 'undefined' ? '0,0,0' : samples + ',' + "
                            + "Math.max(0, ...history.rate.server) + ',' + Math.max(0, ...Object.values(history.connections).flat())")
                            .split(",");
                    return Integer.parseInt(seen[0]) >= 3 && Double.parseDouble(seen[1]) > 0 && Double.parseDouble(seen[2]) >= 3;
                });
                // The charts are drawn: pixels of the first line colour on the requests chart and the busy chart.
                String drawn = browser.evaluate("['rate', 'busy'].map(id => { const c = document.getElementById(id);"
                        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                        + " for (let i = 0; i < d.length; i += 4) if (d[i] === 11 && d[i + 1] === 110 && d[i + 2] === 153) n++;"
                        + " return n; }).join(',')");
                String[] pixels = drawn.split(",");
                assertTrue(Integer.parseInt(pixels[0]) > 50, "the requests chart has a line: " + drawn);
                assertTrue(Integer.parseInt(pixels[1]) > 50, "the busy chart has a line: " + drawn);
                String rows = browser.evaluate("document.getElementById('loops').textContent");
                assertTrue(rows.startsWith("status-test"), rows);
                byte[] png = browser.screenshot();
                assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "a PNG screenshot");
                Files.write(dir.resolve("status.png"), png);
                // Kept where a person can look at it after the build.
                Path kept = Path.of("target", "status-page.png");
                Files.createDirectories(kept.getParent());
                Files.write(kept, png);
            }
        } finally {
            load.shutdownNow();
            for (Socket client : clients) {
                client.close();
            }
        }
        assertTrue(answered.get() > 0);
    }

    /** One {@code GET /hello} on a kept-alive connection: the load. */
    private static void hello(Socket client, AtomicLong answered) {
        try {
            synchronized (client) {
                OutputStream out = client.getOutputStream();
                out.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = client.getInputStream();
                byte[] tail = "hello world".getBytes(StandardCharsets.US_ASCII);
                int matched = 0;
                while (matched < tail.length) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = b == tail[matched] ? matched + 1 : b == tail[0] ? 1 : 0;
                }
                answered.incrementAndGet();
            }
        } catch (IOException e) {
            // the test is over and closed the socket; the schedule is being shut down
        }
    }

    private static boolean runs(String program) {
        try {
            Process p = new ProcessBuilder(program, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String get(int port, String path) throws IOException {
        return HelloHttpTest.get(port, path);
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
}
