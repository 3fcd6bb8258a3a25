package io.eddy.bench;

import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WebSocket row family ({@code Load websocket}): Eddy's {@link WebSocketEchoServer} beside
 * Netty's {@link NettyWebSocketEchoServer} ({@code WebSocketServerProtocolHandler}), on two rows:
 * echo of {@value WebSocketWire#ECHO_BYTES}-byte text messages over 64 connections, 16 in flight
 * on each ({@link TcpLoad} with {@link WebSocketWire#echo()}), and a broadcast from one sender to
 * {@code --receivers} sockets ({@link BroadcastLoad} with {@link WebSocketWire#BROADCAST}). Each run also asks the server what
 * its loop threads allocated, before and after, for bytes allocated per message (per delivery on
 * the broadcast row), which does not depend on the machine's load.
 *
 * <p>Threading: the runner's thread.
 */
final class WebSocketRows {

    static final Scenario ECHO = new Scenario("echo, 64 conn, 16 in flight", 64, 16);

    static final String NOTE = "Echo: each of 64 connections sends 16 masked text messages of " + WebSocketWire.ECHO_BYTES
            + " bytes in one write, and the next 16 once all 16 are back, checked byte for byte. Broadcast: as the"
            + " broadcast page's rows, each message a text message of " + BroadcastWire.MESSAGE_BYTES + " bytes sent by one"
            + " socket and broadcast to all the others; `--duration` and `--warmup` do not apply to it. Bytes allocated"
            + " are the server's loop threads' own counters (`ThreadMXBean#getThreadAllocatedBytes`), asked over a socket"
            + " of its own before and after each run, divided by the messages echoed (deliveries, for the broadcast);"
            + " pooled direct memory does not count, on either side. Eddy: `router.websocket(...)` with a handler that"
            + " sends each message back, and a `ConnectionGroup` with `WebSocketBroadcast` for the broadcast. Netty:"
            + " `HttpServerCodec`, `HttpObjectAggregator`, `WebSocketServerProtocolHandler`, and a handler that writes"
            + " each frame back as it was read (flushing once per read), or to a `ChannelGroup` (a retained duplicate per"
            + " member, void promises): Netty's best cases. Neither compresses.";

    /** What one echo run measured: the load's result and the server's bytes allocated meanwhile (-1: unknown). */
    record EchoResult(LoadResult load, long allocatedBytes) {
    }

    private WebSocketRows() {
    }

    /** Eddy's server and Netty's (NIO). */
    static List<ServerProcess.Spec> servers() {
        return List.of(new ServerProcess.Spec(Report.SUBJECT, WebSocketEchoServer.class.getName(), List.of()),
                new ServerProcess.Spec(Report.BASELINE, NettyWebSocketEchoServer.class.getName(), List.of("--transport", "nio")));
    }

    static List<Report.Metric> metrics() {
        return List.of(new Report.Metric("rate", "messages/s (broadcast: delivered)", true),
                new Report.Metric("allocated", "server bytes allocated per message (broadcast: per delivery)", true),
                new Report.Metric("p50", "p50 µs", false),
                new Report.Metric("p99", "p99 µs", false),
                new Report.Metric("cpu", "server CPU s", false),
                new Report.Metric("cpuPerMessage", "server CPU µs per message (broadcast: per delivery)", true));
    }

    /** Both rows against every server of {@code options}' loop counts. */
    static Report run(Report report, LoadOptions options) throws Exception {
        MemoryProbe.checkOpenFilesLimit(options.receivers());
        List<ServerProcess.Spec> servers = LoopCounts.expand(servers(), options.loops());
        Rounds.run(report.note(NOTE), servers, List.of(ECHO), WebSocketRows::echo, EchoResult::load,
                (result, cpu) -> values(result.load(), result.allocatedBytes(), cpu), options);
        return Rounds.run(report, servers, List.of(BroadcastRow.scenario(options.receivers())), (server, scenario, duration) ->
                        new BroadcastLoad(server.address(), scenario.connections(), scenario.depth(), WebSocketWire.BROADCAST)
                                .run(options.messages()),
                BroadcastLoad.Result::asLoadResult,
                (result, cpu) -> values(result.asLoadResult(), result.allocatedBytes(), cpu), options);
    }

    /** One echo run, with the server's allocation asked before and after over a socket of its own. */
    static EchoResult echo(ServerProcess server, Scenario scenario, Duration duration) throws Exception {
        try (Socket probe = new Socket()) {
            probe.connect(server.address(), (int) BroadcastLoad.STALL_MILLIS);
            probe.setSoTimeout((int) BroadcastLoad.STALL_MILLIS);
            WebSocketWire.handshake(probe, "/echo");
            long before = WebSocketWire.allocated(probe);
            LoadResult load = new TcpLoad(server.address(), WebSocketWire.echo(), scenario.connections(), scenario.depth())
                    .run(duration);
            long after = WebSocketWire.allocated(probe);
            return new EchoResult(load, before < 0 || after < 0 ? -1 : after - before);
        }
    }

    private static Map<String, Double> values(LoadResult load, long allocatedBytes, double cpuSeconds) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rate", load.rate());
        values.put("allocated", allocatedBytes < 0 || load.messages() == 0 ? Double.NaN : allocatedBytes / (double) load.messages());
        values.put("p50", load.p50Micros());
        values.put("p99", load.p99Micros());
        values.put("cpu", cpuSeconds);
        values.put("cpuPerMessage", load.messages() > 0 ? cpuSeconds * 1e6 / load.messages() : Double.NaN);
        return values;
    }
}
