package io.eddy.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text exposition format, line by line. */
class PrometheusTextTest {

    @Test
    void writesHelpTypeAndSamplesEscapingWhatMustBe() {
        MetricRegistry registry = MetricRegistry.create();
        registry.register(List.of(
                MetricFamily.counter("eddy.tcp.server.sent", "bytes", "Bytes sent\\read,\nall of them.", "server")
                        .series(() -> 1234, "127.0.0.1:80").series(() -> 0, "a \"quoted\\\" \n name").build(),
                MetricFamily.gauge("eddy.loop.busy.ratio", null, "Busy.", "loop").series(() -> 0.25, "main").build(),
                MetricFamily.gauge("eddy.empty", null, "No series: left out.").build(),
                MetricFamily.gauge("eddy.odd", null, "Odd values.").series(() -> Double.NaN).build()));
        assertEquals("""
                # HELP eddy_tcp_server_sent_bytes_total Bytes sent\\\\read,\\nall of them.
                # TYPE eddy_tcp_server_sent_bytes_total counter
                eddy_tcp_server_sent_bytes_total{server="127.0.0.1:80"} 1234
                eddy_tcp_server_sent_bytes_total{server="a \\"quoted\\\\\\" \\n name"} 0
                # HELP eddy_loop_busy_ratio Busy.
                # TYPE eddy_loop_busy_ratio gauge
                eddy_loop_busy_ratio{loop="main"} 0.25
                # HELP eddy_odd Odd values.
                # TYPE eddy_odd gauge
                eddy_odd NaN
                """, registry.prometheusText());
    }

    @Test
    void writesAHistogramCumulatedWithSumAndCount() {
        MetricRegistry registry = MetricRegistry.create();
        registry.register(List.of(MetricFamily.histogram("eddy.http.server.request.duration", "seconds", "Latency.", "route")
                .histogramSeries(() -> new HistogramSnapshot(new double[] {0.005, 0.5, 1}, new long[] {3, 2, 0, 1}, 3.75), "/a")
                .build()));
        assertEquals("""
                # HELP eddy_http_server_request_duration_seconds Latency.
                # TYPE eddy_http_server_request_duration_seconds histogram
                eddy_http_server_request_duration_seconds_bucket{route="/a",le="0.005"} 3
                eddy_http_server_request_duration_seconds_bucket{route="/a",le="0.5"} 5
                eddy_http_server_request_duration_seconds_bucket{route="/a",le="1"} 5
                eddy_http_server_request_duration_seconds_bucket{route="/a",le="+Inf"} 6
                eddy_http_server_request_duration_seconds_sum{route="/a"} 3.75
                eddy_http_server_request_duration_seconds_count{route="/a"} 6
                """, registry.prometheusText());
    }

    @Test
    void aSnapshotHasOneCountMoreThanBoundsAndAscendingBounds() {
        assertThrows(IllegalArgumentException.class, () -> new HistogramSnapshot(new double[] {1}, new long[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> new HistogramSnapshot(new double[] {2, 1}, new long[3], 0));
        assertEquals(6, new HistogramSnapshot(new double[] {1}, new long[] {2, 4}, 0).count());
    }
}
