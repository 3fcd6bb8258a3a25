package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.metrics.HistogramSnapshot;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Series;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests counted by route template and status class, and their latency, in memory and in virtual time. */
class RouteMetricsTest {

    private final MetricRegistry metrics = MetricRegistry.create();
    private final CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
    private InMemoryHttp http;

    @AfterEach
    void close() {
        if (http != null) {
            http.close();
        }
    }

    private InMemoryHttp start(boolean histogram) {
        http = new InMemoryHttp(server -> server.metrics(metrics).latencyHistogram(histogram)
                .get("/users/{id}", req -> HttpResponse.text("user " + req.pathParam("id")))
                .get("/fails", req -> {
                    throw new IllegalStateException("handler bug");
                })
                .routeAsync("GET", "/slow", req -> slow));
        return http;
    }

    private Series series(String prometheusName, String... labels) {
        for (MetricFamily family : metrics.collect()) {
            if (family.prometheusName().equals(prometheusName)) {
                for (Series s : family.series()) {
                    if (s.labelValues().equals(List.of(labels))) {
                        return s;
                    }
                }
            }
        }
        throw new AssertionError("no series " + prometheusName + List.of(labels) + " in " + metrics.prometheusText());
    }

    private double requests(String method, String route, String status) {
        return series("eddy_http_server_requests_total", "in-memory", method, route, status).value().getAsDouble();
    }

    @Test
    void countsByRouteTemplateNeverByPath() {
        InMemoryHttp server = start(false);
        InMemoryHttp.Client client = server.connect();
        for (int id = 1; id <= 3; id++) {
            assertEquals(200, client.send("GET /users/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        }
        assertEquals(404, client.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        assertEquals(405, client.send("POST /users/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read().status());
        assertEquals(500, client.send("GET /fails HTTP/1.1\r\nHost: x\r\n\r\n").read().status());
        assertEquals(400, server.connect().send("GET /users/1 HTTP/1.1\r\n\r\n").read().status(), "no Host");

        assertEquals(3.0, requests("GET", "/users/{id}", "2xx"));
        assertEquals(0.0, requests("GET", "/users/{id}", "4xx"));
        assertEquals(2.0, requests("any", "unmatched", "4xx"));
        assertEquals(1.0, requests("GET", "/fails", "5xx"));
        assertEquals(1.0, requests("any", "invalid", "4xx"));
        String text = metrics.prometheusText();
        assertTrue(!text.contains("/users/1") && !text.contains("/nowhere"), "no path requested is a label:\n" + text);
        assertTrue(!text.contains("request_duration"), "no histogram unless asked for");
    }

    @Test
    void aLatencyHistogramPutsEachExchangeInItsBucket() {
        InMemoryHttp server = start(true);
        InMemoryHttp.Client client = server.connect();
        client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        server.advance(Duration.ofMillis(30));
        slow.complete(HttpResponse.text("at last"));
        server.runPendingTasks();
        assertEquals(200, client.read().status());
        assertEquals(200, client.send("GET /users/9 HTTP/1.1\r\nHost: x\r\n\r\n").read().status());

        HistogramSnapshot slowOnes = series("eddy_http_server_request_duration_seconds", "in-memory", "GET", "/slow")
                .histogram().get();
        long[] expected = new long[RouteMetrics.BOUNDS.length + 1];
        expected[6] = 1; // 0.025 s < 30 ms <= 0.05 s
        assertArrayEquals(expected, slowOnes.bucketCounts());
        assertEquals(0.030, slowOnes.sum(), 1e-9);
        HistogramSnapshot quick = series("eddy_http_server_request_duration_seconds", "in-memory", "GET", "/users/{id}")
                .histogram().get();
        assertEquals(1, quick.bucketCounts()[0], "no virtual time passed: the first bucket");
        assertEquals(1.0, requests("GET", "/slow", "2xx"));
    }
}
