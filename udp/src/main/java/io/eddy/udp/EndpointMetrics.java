package io.eddy.udp;

import io.eddy.core.metrics.Labels;
import io.eddy.core.metrics.MetricFamily;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * An endpoint's figures, labelled {@code endpoint} (its local address) and {@code loop}: read from
 * the counters it keeps anyway ({@link UdpEndpoint#counters()}), so they cost the endpoint nothing
 * more. On a group with {@code reusePort}, each loop's endpoint shares the address and is told
 * apart by its loop.
 *
 * <p>Threading: the readers are thread-safe, as {@code counters()} is.
 */
final class EndpointMetrics {

    private EndpointMetrics() {
    }

    static List<MetricFamily> families(UdpEndpoint<?, ?> endpoint) {
        String address = Labels.address(endpoint.localAddress());
        String loop = endpoint.loop().name();
        MetricFamily.Builder dropped = MetricFamily.counter("eddy.udp.datagrams.dropped", null,
                "Datagrams dropped: the send queue was full, the codec could not decode one received,"
                        + " or one was never sent.", "endpoint", "loop", "reason");
        dropped.series(read(endpoint, UdpCounters::droppedQueueFull), address, loop, "queue_full");
        dropped.series(read(endpoint, UdpCounters::droppedMalformed), address, loop, "malformed");
        dropped.series(read(endpoint, UdpCounters::droppedUnsent), address, loop, "unsent");
        return List.of(
                counter("eddy.udp.datagrams.received", null, "Datagrams received (malformed ones included).",
                        endpoint, UdpCounters::datagramsIn, address, loop),
                counter("eddy.udp.received", "bytes", "Payload bytes received.",
                        endpoint, UdpCounters::bytesIn, address, loop),
                counter("eddy.udp.datagrams.sent", null, "Datagrams handed to the operating system.",
                        endpoint, UdpCounters::datagramsOut, address, loop),
                counter("eddy.udp.sent", "bytes", "Payload bytes handed to the operating system.",
                        endpoint, UdpCounters::bytesOut, address, loop),
                dropped.build(),
                counter("eddy.udp.unreachable", null, "Reports that an earlier datagram found no receiver (ICMP).",
                        endpoint, UdpCounters::unreachable, address, loop),
                counter("eddy.udp.handler.failures", null, "Times the endpoint's handler threw.",
                        endpoint, UdpCounters::handlerFailures, address, loop));
    }

    private static MetricFamily counter(String name, String unit, String help, UdpEndpoint<?, ?> endpoint,
                                        ToLongFunction<UdpCounters> figure, String address, String loop) {
        return MetricFamily.counter(name, unit, help, "endpoint", "loop")
                .series(read(endpoint, figure), address, loop).build();
    }

    private static DoubleSupplier read(UdpEndpoint<?, ?> endpoint, ToLongFunction<UdpCounters> figure) {
        return () -> figure.applyAsLong(endpoint.counters());
    }
}
