package io.eddy.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Registering, merging and taking away families; the names Prometheus sees. */
class MetricRegistryTest {

    private static MetricFamily sent(String server, AtomicLong value) {
        return MetricFamily.counter("eddy.tcp.server.sent", "bytes", "Bytes sent.", "server")
                .series(value::get, server).build();
    }

    @Test
    void namesFollowPrometheusConventions() {
        assertEquals("eddy_tcp_server_sent_bytes_total", sent("a", new AtomicLong()).prometheusName());
        assertEquals("eddy_loop_busy_ratio",
                MetricFamily.gauge("eddy.loop.busy.ratio", null, "h").build().prometheusName());
        assertEquals("eddy_http_server_request_duration_seconds",
                MetricFamily.histogram("eddy.http.server.request.duration", "seconds", "h").build().prometheusName());
        assertEquals("eddy_x_seconds", MetricFamily.gauge("eddy.x.seconds", "seconds", "h").build().prometheusName());
    }

    @Test
    void refusesBadNamesLabelsAndSeries() {
        assertThrows(IllegalArgumentException.class, () -> MetricFamily.gauge("Eddy.x", null, "h"). build());
        assertThrows(IllegalArgumentException.class, () -> MetricFamily.gauge("eddy..x", null, "h").build());
        assertThrows(IllegalArgumentException.class, () -> MetricFamily.gauge("eddy.x", null, "h", "Bad-Label").build());
        assertThrows(IllegalArgumentException.class, () -> MetricFamily.histogram("eddy.x", "seconds", "h", "le").build());
        assertThrows(IllegalArgumentException.class, () -> MetricFamily.gauge("eddy.x", null, "h", "a").series(() -> 1).build());
        assertThrows(IllegalArgumentException.class, () -> MetricFamily.histogram("eddy.x", "seconds", "h").series(() -> 1).build());
    }

    @Test
    void mergesFamiliesOfOneNameAndTakesThemAwayWhenClosed() {
        MetricRegistry registry = MetricRegistry.create();
        AtomicLong a = new AtomicLong(1);
        AtomicLong b = new AtomicLong(2);
        Metrics.Registration first = registry.register(List.of(sent("a", a)));
        registry.register(List.of(sent("b", b)));
        List<MetricFamily> families = registry.collect();
        assertEquals(1, families.size());
        assertEquals(2, families.get(0).series().size());
        a.set(5);
        assertEquals(5.0, families.get(0).series().get(0).value().getAsDouble(), "read when read, not when collected");

        first.close();
        first.close();
        assertEquals(List.of("b"), registry.collect().get(0).series().get(0).labelValues());
        registry.register(List.of(sent("a", a))); // free again
    }

    @Test
    void refusesASeriesTwiceAndFamiliesThatDisagree() {
        MetricRegistry registry = MetricRegistry.create();
        registry.register(List.of(sent("a", new AtomicLong())));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> registry.register(List.of(sent("a", new AtomicLong()))));
        assertTrue(twice.getMessage().contains("eddy_tcp_server_sent_bytes_total[a]"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.register(List.of(
                MetricFamily.counter("eddy.tcp.server.sent", "bytes", "Other words.", "server").series(() -> 0, "b").build())));
        assertThrows(IllegalArgumentException.class, () -> registry.register(List.of(
                sent("c", new AtomicLong()), sent("c", new AtomicLong()))));
        assertEquals(1, registry.collect().get(0).series().size(), "a refused registration leaves nothing behind");
    }

    @Test
    void aListenerHearsOfWhatIsThereAndOfWhatComesAndGoes() throws Exception {
        MetricRegistry registry = MetricRegistry.create();
        registry.register(List.of(sent("a", new AtomicLong())));
        List<String> heard = new ArrayList<>();
        AutoCloseable listening = registry.listen(new MetricRegistry.Listener() {
            @Override
            public void added(List<MetricFamily> families) {
                heard.add("+" + families.get(0).series().get(0).labelValues());
            }

            @Override
            public void removed(List<MetricFamily> families) {
                heard.add("-" + families.get(0).series().get(0).labelValues());
            }
        });
        registry.register(List.of(sent("b", new AtomicLong()))).close();
        listening.close();
        registry.register(List.of(sent("c", new AtomicLong())));
        assertEquals(List.of("+[a]", "+[b]", "-[b]"), heard);
    }

    @Test
    void noneKeepsNothing() {
        assertFalse(Metrics.none().isEnabled());
        Metrics.none().register(List.of(sent("a", new AtomicLong()))).close();
    }

    @Test
    void loopCountersAddUpPerIndex() {
        LoopCounters one = new LoopCounters(2);
        LoopCounters two = new LoopCounters(2);
        one.increment(0);
        one.add(1, 40);
        two.add(1, 2);
        assertEquals(1, one.get(0));
        assertEquals(42, LoopCounters.sum(List.of(one, two), 1));
        assertThrows(IllegalArgumentException.class, () -> new LoopCounters(0));
    }
}
