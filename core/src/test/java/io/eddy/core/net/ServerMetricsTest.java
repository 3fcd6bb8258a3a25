package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Series;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server's and its loops' figures, counted over real sockets and read from the registry. */
@Timeout(30)
class ServerMetricsTest {

    private final MetricRegistry metrics = MetricRegistry.create();
    private EventLoop loop;

    @AfterEach
    void closeLoop() {
        if (loop != null) {
            loop.close();
        }
    }

    /** The value of the series of {@code prometheusName} with {@code labels}, or NaN when there is none. */
    static double value(MetricRegistry registry, String prometheusName, String... labels) {
        for (MetricFamily family : registry.collect()) {
            if (family.prometheusName().equals(prometheusName)) {
                for (Series series : family.series()) {
                    if (series.labelValues().equals(List.of(labels))) {
                        return series.value().getAsDouble();
                    }
                }
            }
        }
        return Double.NaN;
    }

    private TcpServer<String, String> echoServer(EventLoop on, int maxConnections) throws IOException {
        return TcpServer.on(on).bind(HOST, 0).maxConnections(maxConnections).metrics(metrics)
                .codec(() -> new LineCodec(16, UTF_8))
                .handler((connection, line) -> connection.write(line))
                .start();
    }

    @Test
    void countsConnectionsBytesDecodeErrorsAndClosesByReason() throws Exception {
        loop = EventLoop.builder().name("figures").metrics(metrics).start();
        TcpServer<String, String> server = echoServer(loop, 1);
        String label = HOST + ":" + server.port();
        try (Socket client = Loopback.connect(server.port())) {
            OutputStream out = client.getOutputStream();
            out.write("hello\n".getBytes(UTF_8));
            BufferedReader in = Loopback.reader(client);
            assertEquals("hello", in.readLine());
            assertEquals(1.0, value(metrics, "eddy_tcp_server_connections", label));
            assertEquals(1.0, value(metrics, "eddy_loop_connections", "figures"));
            // One over maxConnections: refused, and not counted as accepted. The server resets it
            // as soon as it accepts it, which a busy client may hear before connect() returns.
            try (Socket refused = Loopback.connect(server.port())) {
                await().atMost(WAIT).until(() -> value(metrics, "eddy_tcp_server_connections_refused_total", label) == 1.0);
            } catch (SocketException resetBeforeConnectReturned) {
                await().atMost(WAIT).until(() -> value(metrics, "eddy_tcp_server_connections_refused_total", label) == 1.0);
            }
            assertEquals(6.0, value(metrics, "eddy_tcp_server_received_bytes_total", label));
            // Counted once the write has returned on the loop, which may be just after the client read it.
            await().atMost(WAIT).until(() -> value(metrics, "eddy_tcp_server_sent_bytes_total", label) == 6.0);
        }
        await().atMost(WAIT).until(() -> value(metrics, "eddy_tcp_server_connections", label) == 0.0);
        try (Socket client = Loopback.connect(server.port())) {
            client.getOutputStream().write("a line far longer than sixteen bytes\n".getBytes(UTF_8));
            assertEquals(-1, client.getInputStream().read(), "closed for its decode error");
        }
        await().atMost(WAIT).until(() -> value(metrics, "eddy_tcp_server_connections_closed_total", label, "decode_error") == 1.0);
        assertEquals(1.0, value(metrics, "eddy_tcp_server_decode_errors_total", label));
        assertEquals(1.0, value(metrics, "eddy_tcp_server_connections_closed_total", label, "peer_closed"));
        assertEquals(0.0, value(metrics, "eddy_tcp_server_connections_closed_total", label, "idle_timeout"));
        assertEquals(2.0, value(metrics, "eddy_tcp_server_connections_accepted_total", label));
        assertTrue(value(metrics, "eddy_loop_wakeups_total", "figures") > 0);
        assertEquals(0.0, value(metrics, "eddy_loop_stalls_total", "figures"));

        server.close();
        assertTrue(Double.isNaN(value(metrics, "eddy_tcp_server_connections", label)), "taken away at close");
        loop.close();
        assertTrue(metrics.collect().isEmpty(), "the loop's figures go when it terminates: " + metrics.collect());
    }

    @Test
    void aServerOnAGroupSumsItsLoops() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.builder().name("pair").loops(2).metrics(metrics).start()) {
            TcpServer<String, String> server = TcpServer.on(group).bind(HOST, 0).metrics(metrics)
                    .codec(LineCodec::new).handler((connection, line) -> connection.write(line)).start();
            String label = HOST + ":" + server.port();
            for (int i = 0; i < 4; i++) {
                try (Socket client = Loopback.connect(server.port())) {
                    client.getOutputStream().write("hi\n".getBytes(UTF_8));
                    assertEquals("hi", Loopback.reader(client).readLine());
                }
            }
            await().atMost(WAIT).until(() -> value(metrics, "eddy_tcp_server_connections_closed_total", label, "peer_closed") == 4.0);
            assertEquals(12.0, value(metrics, "eddy_tcp_server_received_bytes_total", label));
            assertEquals(4.0, value(metrics, "eddy_tcp_server_connections_accepted_total", label));
            assertFalse(Double.isNaN(value(metrics, "eddy_loop_busy_ratio", "pair-0")));
            assertFalse(Double.isNaN(value(metrics, "eddy_loop_tasks_pending", "pair-1")));
        }
    }

    @Test
    void withoutMetricsNothingIsRegisteredAndTwoLoopsOfOneNameAreRefused() throws Exception {
        loop = EventLoop.builder().name("plain").start();
        TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).handler((connection, line) -> { }).start();
        assertTrue(metrics.collect().isEmpty());
        EventLoop.Builder twin = EventLoop.builder().name("twin").metrics(metrics);
        twin.build().shutdown(java.time.Duration.ZERO);
        EventLoop first = twin.build();
        assertThrows(IllegalArgumentException.class, twin::build);
        first.shutdown(java.time.Duration.ZERO);
    }
}
