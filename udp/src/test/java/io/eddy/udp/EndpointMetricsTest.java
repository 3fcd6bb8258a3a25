package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Series;
import io.eddy.udp.codec.TextDatagramCodec;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An endpoint's counters, registered as figures while it is open. */
class EndpointMetricsTest {

    private final EventLoop loop = EventLoop.start("udp-figures");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private static double value(MetricRegistry registry, String name, String... labels) {
        for (MetricFamily family : registry.collect()) {
            if (family.prometheusName().equals(name)) {
                for (Series series : family.series()) {
                    if (series.labelValues().equals(List.of(labels))) {
                        return series.value().getAsDouble();
                    }
                }
            }
        }
        return Double.NaN;
    }

    @Test
    void countsDatagramsAndBytesEachWayUntilClosed() throws Exception {
        MetricRegistry metrics = MetricRegistry.create();
        UdpEndpoint<String, String> echo = UdpEndpoint.on(loop).bind(HOST, 0).metrics(metrics)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), datagram.payload()))
                .start();
        String label = HOST + ":" + echo.port();
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            client.setSoTimeout((int) WAIT.toMillis());
            byte[] hello = "hello".getBytes(UTF_8);
            client.send(new DatagramPacket(hello, hello.length, new InetSocketAddress(HOST, echo.port())));
            DatagramPacket answer = new DatagramPacket(new byte[64], 64);
            client.receive(answer);
        }
        await().atMost(WAIT).until(() -> value(metrics, "eddy_udp_datagrams_sent_total", label, "udp-figures") == 1.0);
        assertEquals(1.0, value(metrics, "eddy_udp_datagrams_received_total", label, "udp-figures"));
        assertEquals(5.0, value(metrics, "eddy_udp_received_bytes_total", label, "udp-figures"));
        assertEquals(5.0, value(metrics, "eddy_udp_sent_bytes_total", label, "udp-figures"));
        assertEquals(0.0, value(metrics, "eddy_udp_datagrams_dropped_total", label, "udp-figures", "malformed"));
        echo.close();
        echo.closeFuture().join();
        assertTrue(metrics.collect().isEmpty(), "taken away once closed");
    }
}
