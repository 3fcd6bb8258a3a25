package io.eddy.micrometer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.HistogramSnapshot;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.TcpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Eddy's figures as Micrometer meters: the same values, names, units and tags, following registrations. */
class EddyMetricsTest {

    @Test
    void bindsALoopAndAServerOverRealSockets() throws Exception {
        MetricRegistry metrics = MetricRegistry.create();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new EddyMetrics(metrics, Tags.of("app", "test")).bindTo(meters); // before anything is registered
        try (EventLoop loop = EventLoop.builder().name("bound").metrics(metrics).start()) {
            TcpServer<String, String> server = TcpServer.on(loop).bind("127.0.0.1", 0).metrics(metrics)
                    .codec(LineCodec::new).handler((connection, line) -> connection.write(line)).start();
            String label = "127.0.0.1:" + server.port();
            try (Socket client = new Socket("127.0.0.1", server.port())) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("hello", in.readLine());
            }
            FunctionCounter sent = meters.get("eddy.tcp.server.sent").tags("server", label, "app", "test").functionCounter();
            // Counted once the write has returned on the loop, which may be just after the client read it.
            await().atMost(Duration.ofSeconds(10)).until(() -> sent.count() == 6.0);
            assertEquals("bytes", sent.getId().getBaseUnit());
            FunctionCounter closed = meters.get("eddy.tcp.server.connections.closed")
                    .tags("server", label, "reason", "peer_closed").functionCounter();
            await().atMost(Duration.ofSeconds(10)).until(() -> closed.count() == 1.0);
            Gauge busy = meters.get("eddy.loop.busy.ratio").tag("loop", "bound").gauge();
            assertEquals(loop.busyRatio() >= 0, busy.value() >= 0);

            server.close();
            assertNull(meters.find("eddy.tcp.server.sent").functionCounter(), "removed when the server closes");
        }
        assertNull(meters.find("eddy.loop.busy.ratio").gauge(), "removed when the loop terminates");
    }

    @Test
    void aHistogramInSecondsIsAFunctionTimerAndLateBindingSeesWhatIsThere() {
        MetricRegistry metrics = MetricRegistry.create();
        AtomicLong count = new AtomicLong(3);
        Metrics.Registration registration = metrics.register(List.of(
                MetricFamily.histogram("eddy.http.server.request.duration", "seconds", "Latency.", "route")
                        .histogramSeries(() -> new HistogramSnapshot(new double[] {0.1}, new long[] {count.get(), 1}, 0.5), "/a")
                        .build()));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new EddyMetrics(metrics).bindTo(meters); // after: it still sees the histogram
        FunctionTimer timer = meters.get("eddy.http.server.request.duration").tag("route", "/a").functionTimer();
        assertEquals(4.0, timer.count());
        assertEquals(500.0, timer.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        count.set(9);
        assertEquals(10.0, timer.count(), "read when Micrometer reads, not copied");
        registration.close();
        assertNull(meters.find("eddy.http.server.request.duration").functionTimer());

        metrics.register(List.of(MetricFamily.histogram("eddy.sizes", "bytes", "Not a time.")
                .histogramSeries(() -> new HistogramSnapshot(new double[0], new long[1], 0)).build()));
        assertNull(meters.find("eddy.sizes").meter(), "no Micrometer meter reads it: left out");
    }

    @Test
    void micrometersPrometheusNamesAreEddysOwn() throws Exception {
        MetricRegistry metrics = MetricRegistry.create();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new EddyMetrics(metrics).bindTo(prometheus);
        try (EventLoop loop = EventLoop.builder().name("named").metrics(metrics).start()) {
            TcpServer.on(loop).bind("127.0.0.1", 0).metrics(metrics).codec(LineCodec::new)
                    .handler((connection, line) -> { }).start();
            metrics.register(List.of(MetricFamily.histogram("eddy.http.server.request.duration", "seconds", "Latency.", "route")
                    .histogramSeries(() -> new HistogramSnapshot(new double[] {0.1}, new long[] {1, 0}, 0.05), "/a").build()));
            String scrape = prometheus.scrape();
            for (MetricFamily family : metrics.collect()) {
                String name = family.prometheusName();
                String sample = family.type() == MetricFamily.Type.HISTOGRAM ? name + "_count{" : name + "{";
                assertTrue(scrape.contains("\n" + sample), name + " is not in Micrometer's scrape:\n" + scrape);
            }
        }
    }
}

