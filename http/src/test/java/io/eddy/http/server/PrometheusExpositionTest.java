package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} over a real socket, checked by Prometheus' own {@code promtool}. */
@Timeout(60)
class PrometheusExpositionTest {

    @TempDir
    Path dir;

    @Test
    void servesTheRegistryInTheTextFormatThatPromtoolAccepts() throws Exception {
        MetricRegistry metrics = MetricRegistry.create();
        try (EventLoopGroup group = EventLoopGroup.builder().name("scraped").loops(2).metrics(metrics).start()) {
            HttpServer server = HttpServer.on(group).bind("127.0.0.1", 0).metrics(metrics).latencyHistogram(true)
                    .get("/hello", req -> HttpResponse.text("hello"))
                    .get("/users/{id}", req -> HttpResponse.text(req.pathParam("id")))
                    .get("/metrics", PrometheusHandler.of(metrics))
                    .start();
            String label = "127.0.0.1:" + server.port();
            try (WireClient client = WireClient.connect(server.port())) {
                for (String path : new String[] {"/hello", "/users/1", "/users/2", "/missing"}) {
                    client.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                }
                client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").read(); // counted on the next scrape
                WireClient.Response scrape = client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertEquals(200, scrape.status());
                assertEquals(PrometheusText.CONTENT_TYPE, scrape.header("Content-Type"));
                String text = new String(scrape.body(), StandardCharsets.UTF_8);
                assertTrue(text.contains("eddy_http_server_requests_total{server=\"" + label
                        + "\",method=\"GET\",route=\"/users/{id}\",status=\"2xx\"} 2\n"), text);
                assertTrue(text.contains("eddy_http_server_requests_total{server=\"" + label
                        + "\",method=\"GET\",route=\"/metrics\",status=\"2xx\"} 1\n"), text);
                assertTrue(text.contains("eddy_http_server_request_duration_seconds_count{server=\"" + label
                        + "\",method=\"GET\",route=\"/hello\"} 1\n"), text);
                assertTrue(text.contains("eddy_loop_busy_ratio{loop=\"scraped-1\"} "), text);
                assertTrue(text.contains("eddy_tcp_server_connections{server=\"" + label + "\"} 1\n"), text);

                Optional<String> promtool = ExternalClient.find("promtool");
                assumeTrue(promtool.isPresent(), "promtool (Debian's prometheus package) is not installed:"
                        + " the exposition is not checked by Prometheus' own tool here");
                Path file = dir.resolve("metrics.txt");
                Files.write(file, scrape.body());
                Process check = new ProcessBuilder(promtool.get(), "check", "metrics").redirectInput(file.toFile())
                        .redirectErrorStream(true).start();
                String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
                // Exit 0 and no lint complaint (promtool prints one per problem, and exits 3 for lint).
                assertEquals(0, check.exitValue(), said + "\n--- the exposition:\n" + text);
                assertEquals("", said.strip(), said);
            }
            server.close();
        }
    }
}
