package io.eddy.http.client;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Series;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool's figures over real sockets: connections open and idle, requests waiting and refused. */
class PoolMetricsTest {

    private EventLoop serverLoop;
    private EventLoop clientLoop;
    private HttpServer server;
    private final CompletableFuture<HttpResponse> gate = new CompletableFuture<>();
    private final MetricRegistry metrics = MetricRegistry.create();

    @BeforeEach
    void start() throws Exception {
        serverLoop = EventLoop.start("pool-metrics-server");
        clientLoop = EventLoop.start("pool-metrics-client");
        server = HttpServer.on(serverLoop).bind("127.0.0.1", 0)
                .routeAsync("GET", "/held", request -> gate)
                .start();
    }

    @AfterEach
    void stop() {
        serverLoop.close();
        clientLoop.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/held";
    }

    /** The value of {@code name} for the client {@code api} on the client's loop; null when not registered. */
    private Double figure(String name) {
        for (MetricFamily family : metrics.collect()) {
            if (family.prometheusName().equals(name)) {
                for (Series s : family.series()) {
                    if (s.labelValues().equals(List.of("api", clientLoop.name()))) {
                        return s.value().getAsDouble();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void countsOpenIdleWaitingAndRefusedThenGoesAwayWithTheClient() {
        HttpClient client = HttpClient.on(clientLoop).metrics(metrics).name("api")
                .maxConnectionsPerOrigin(2).maxWaiting(1).build();
        assertEquals(0.0, figure("eddy_http_client_connections_open"));

        List<CompletableFuture<Response>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(client.send(Request.get(url())));
        }
        await().atMost(10, SECONDS).until(() -> figure("eddy_http_client_connections_open") == 2.0
                && figure("eddy_http_client_requests_waiting") == 1.0);
        assertEquals(0.0, figure("eddy_http_client_connections_idle"));

        CompletionException full = assertThrows(CompletionException.class, () -> client.send(Request.get(url())).join());
        assertEquals(Kind.POOL_FULL, ((HttpClientException) full.getCause()).kind());
        assertEquals(1.0, figure("eddy_http_client_requests_refused_total"));

        gate.complete(HttpResponse.text("released"));
        for (CompletableFuture<Response> each : held) {
            assertEquals("released", each.join().text());
        }
        await().atMost(10, SECONDS).until(() -> figure("eddy_http_client_connections_idle") == 2.0);
        assertEquals(2.0, figure("eddy_http_client_connections_open"));
        assertEquals(0.0, figure("eddy_http_client_requests_waiting"));

        client.close();
        assertEquals(null, figure("eddy_http_client_connections_open"), "the figures leave with the client");
        assertTrue(metrics.prometheusText().indexOf("eddy_http_client") < 0, metrics.prometheusText());
    }

    @Test
    void twoClientsReportSideBySideUnderTheirNames() {
        try (HttpClient first = HttpClient.on(clientLoop).metrics(metrics).name("api").build();
             HttpClient second = HttpClient.on(clientLoop).metrics(metrics).name("billing").build()) {
            assertTrue(metrics.prometheusText().contains("client=\"billing\""), metrics.prometheusText());
            assertThrows(IllegalArgumentException.class,
                    () -> HttpClient.on(clientLoop).metrics(metrics).name("api").build(), "one name, one client");
        }
    }
}
