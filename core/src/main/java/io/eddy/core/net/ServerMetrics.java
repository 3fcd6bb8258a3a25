package io.eddy.core.net;

import io.eddy.core.internal.ConnectionCounters;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.metrics.Labels;
import io.eddy.core.metrics.MetricFamily;
import io.eddy.core.metrics.Metrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * A TCP server's figures: its counters on each of its loops, and their families, labelled
 * {@code server} with the address it listens on. Open connections and refusals are what the
 * server counts anyway; the rest is counted per loop only because metrics are on.
 *
 * <p>Threading: the per-loop counters are written by their loops; everything else is fixed at
 * start and read by any thread.
 */
final class ServerMetrics {

    private final Map<EventLoop, ConnectionCounters> byLoop = new IdentityHashMap<>();
    private final Metrics.Registration registration;

    ServerMetrics(Metrics metrics, InetSocketAddress address, List<EventLoop> loops, IntSupplier open,
                  LongSupplier refused) {
        for (EventLoop loop : loops) {
            byLoop.put(loop, new ConnectionCounters());
        }
        this.registration = metrics.register(families(Labels.address(address), open, refused));
    }

    /** The counters of {@code loop}, one of the server's. */
    ConnectionCounters on(EventLoop loop) {
        return byLoop.get(loop);
    }

    void close() {
        registration.close();
    }

    private List<MetricFamily> families(String server, IntSupplier open, LongSupplier refused) {
        Collection<ConnectionCounters> loops = byLoop.values();
        List<MetricFamily> families = new ArrayList<>();
        families.add(MetricFamily.gauge("eddy.tcp.server.connections", null,
                "Connections open now (TLS ones from their accept, handshake included).", "server")
                .series(open::getAsInt, server).build());
        families.add(MetricFamily.counter("eddy.tcp.server.connections.accepted", null,
                "Connections accepted and given a slot.", "server")
                .series(() -> sum(loops, c -> c.get(ConnectionCounters.ACCEPTED)), server).build());
        families.add(MetricFamily.counter("eddy.tcp.server.connections.refused", null,
                "Connections accepted past maxConnections and closed at once with a reset.", "server")
                .series(refused::getAsLong, server).build());
        families.add(MetricFamily.counter("eddy.tcp.server.received", "bytes",
                "Bytes read from the server's connections (TLS: after decryption).", "server")
                .series(() -> sum(loops, c -> c.get(ConnectionCounters.RECEIVED)), server).build());
        families.add(MetricFamily.counter("eddy.tcp.server.sent", "bytes",
                "Bytes the server's connections handed to their sockets (TLS: before encryption).", "server")
                .series(() -> sum(loops, c -> c.get(ConnectionCounters.SENT)), server).build());
        families.add(MetricFamily.counter("eddy.tcp.server.decode.errors", null,
                "Connections closed because their bytes broke the codec's rules or limits.", "server")
                .series(() -> sum(loops, c -> c.get(ConnectionCounters.DECODE_ERRORS)), server).build());
        MetricFamily.Builder closed = MetricFamily.counter("eddy.tcp.server.connections.closed", null,
                "Connections closed, by the reason they closed.", "server", "reason");
        for (CloseReason.Kind kind : CloseReason.Kind.values()) {
            int index = ConnectionCounters.closed(kind);
            closed.series(() -> sum(loops, c -> c.get(index)), server, kind.name().toLowerCase(Locale.ROOT));
        }
        families.add(closed.build());
        return families;
    }

    private static double sum(Collection<ConnectionCounters> loops, ToLongFunction<ConnectionCounters> counter) {
        long sum = 0;
        for (ConnectionCounters c : loops) {
            sum += counter.applyAsLong(c);
        }
        return sum;
    }
}
