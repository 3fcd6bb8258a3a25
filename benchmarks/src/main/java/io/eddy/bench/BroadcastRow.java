package io.eddy.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broadcast row family: one sender, many receivers, a fixed number of messages from
 * {@link BroadcastLoad}, each server broadcasting every message to all receivers. The values
 * compared are messages delivered per second and the server's bytes allocated per delivered
 * message (lower is better).
 *
 * <p>Threading: stateless.
 */
final class BroadcastRow {

    /** Messages on their way at once: enough to keep the server busy, few enough that no queue grows. */
    static final int WINDOW = 16;

    /** How the row is measured, for its page. */
    static final String NOTE = "Each run connects the receivers afresh, sends the messages (" + BroadcastWire.MESSAGE_BYTES
            + " bytes each, at most " + WINDOW + " on their way at once), and checks that every receiver got every message,"
            + " in order. The warm-up is one such run per server; `--duration` and `--warmup` do not apply. Bytes"
            + " allocated are the server JVM's own per-thread counters (`com.sun.management.ThreadMXBean"
            + "#getThreadAllocatedBytes`) summed over its event loop threads, read by the server when the sender asks,"
            + " before the first message and after the last: every heap allocation counts (as in JMH's `-prof gc`), pooled"
            + " direct memory does not, on either side. Eddy broadcasts with `ConnectionGroup.broadcastExcept` (each line"
            + " decoded to a string, encoded once); Netty with `ChannelGroup.writeAndFlush(frame, isNot(sender), true)`,"
            + " the frame as it was read (no decoding, a retained duplicate per member, void promises): Netty's best case.";

    private BroadcastRow() {
    }

    /** The one scenario: {@code receivers} receivers. */
    static Scenario scenario(int receivers) {
        return new Scenario(SvgChart.number(receivers) + " receivers, " + BroadcastWire.MESSAGE_BYTES + " B messages",
                receivers, WINDOW);
    }

    /** The row's columns; deliveries per second and bytes allocated per delivery are charted. */
    static List<Report.Metric> metrics() {
        return List.of(new Report.Metric("rate", "messages delivered/s", true),
                new Report.Metric("allocatedPerDelivery", "server bytes allocated per delivered message", true),
                new Report.Metric("p50", "p50 µs to the last receiver", false),
                new Report.Metric("p99", "p99 µs to the last receiver", false),
                new Report.Metric("cpu", "server CPU s", false),
                new Report.Metric("perCpu", "deliveries per server CPU-s", false));
    }

    /** One run's values. */
    static Map<String, Double> values(BroadcastLoad.Result result, double cpuSeconds) {
        LoadResult summary = result.asLoadResult();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rate", summary.rate());
        values.put("allocatedPerDelivery", result.allocatedPerDelivery());
        values.put("p50", summary.p50Micros());
        values.put("p99", summary.p99Micros());
        values.put("cpu", cpuSeconds);
        values.put("perCpu", cpuSeconds > 0 ? result.delivered() / cpuSeconds : Double.NaN);
        return values;
    }
}
