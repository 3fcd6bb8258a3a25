package io.eddy.bench;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The load benchmark runner: starts Eddy's and Netty's servers, each in its own JVM pinned to core
 * 0 (with {@code --loops}, servers of several loops pinned to as many cores), loads them from core
 * 1, alternates between them, and writes medians, Eddy/Netty ratios and SVG charts per row family. See {@link LoadOptions#USAGE} for the commands and options.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load all
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load http --duration 5 --rounds 3 --generator java
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load http-paced --rates 10k,20k
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load http-paced --loops 1,2
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load metrics --rates 10k,25k
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load tls --rounds 3
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.Load smoke
 * </pre>
 *
 * <p>Threading: everything runs on the main thread; the Java load generators are single-threaded,
 * so the load takes one core, as the servers do.
 */
public final class Load {

    private static final List<Scenario> HTTP = List.of(
            new Scenario("16 conn", 16, 1),
            new Scenario("64 conn", 64, 1),
            new Scenario("256 conn", 256, 1),
            new Scenario("256 conn, pipelined 16", 256, 16));
    /** Batches (every read of the server holds 16 lines), then a window (reads of a few lines each). */
    private static final List<Scenario> LINE = List.of(new Scenario("64 conn, batches of 16 lines", 64, 16),
            new Scenario("64 conn, 16 lines in flight", 64, 16, 0, true),
            new Scenario("256 conn, 16 lines in flight", 256, 16, 0, true));
    private static final List<Scenario> UDP = List.of(new Scenario("32 in flight", 32, 1),
            new Scenario("256 in flight", 256, 1));

    /** The metrics rows' servers beside plain Eddy. */
    static final String METRICS_ON = "Eddy, metrics";
    static final String METRICS_HISTOGRAM = "Eddy, metrics + histogram";
    private static final String NETTY_EPOLL = "Netty epoll";

    private Load() {
    }

    /** Runs the command in {@code args}; exits 0 when it succeeded, 1 when not, 2 on a usage error. */
    public static void main(String[] args) {
        Machine.cores(); // counted before the runner pins itself to one core
        if (args.length > 0 && args[0].equals("soak")) {
            System.exit(Soak.command(args)); // options of its own: see Soak.USAGE
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(run(options, "java -cp benchmarks/target/benchmarks.jar " + Load.class.getName() + " "
                    + String.join(" ", args)) ? 0 : 1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static boolean run(LoadOptions options, String commandLine) throws Exception {
        if (options.command().equals("smoke")) {
            return Smoke.run(System.out);
        }
        if (options.pin() && Programs.canPin()) {
            pinSelf();
        }
        String machine = Machine.describe(options.pin(), options.maxLoops());
        System.out.print(machine);
        if (options.jfr() != null) {
            Files.createDirectories(options.jfr());
        }
        List<Report> reports = new ArrayList<>();
        List<Report> tls = new ArrayList<>();
        List<String> tlsNotes = new ArrayList<>();
        String command = options.command();
        boolean all = command.equals("all");
        if (all || command.equals("http")) {
            reports.add(http(options));
        }
        if (all || command.equals("http-paced")) {
            reports.add(httpPaced(options));
        }
        if (command.equals("metrics")) {
            reports.add(metricsCost(options));
        }
        if (all || command.equals("line")) {
            reports.add(Rounds.run(Ceiling.addTo(report("line", "TCP line echo",
                            Rounds.metrics("lines/s", "lines per server CPU-s", "errors",
                            "server B allocated per line"), options), options),
                    LoopCounts.expand(lineServers(), options.loops()), LINE,
                    (server, scenario, duration) -> new TcpLoad(server.address(), Protocol.lineEcho(),
                            scenario.connections(), scenario.depth(), scenario.window()).run(duration),
                    options));
        }
        if (all || command.equals("udp")) {
            // Several loops: one SO_REUSEPORT socket per loop on both sides, the kernel spreading senders.
            reports.add(Rounds.run(Ceiling.addTo(report("udp", "UDP echo",
                            Rounds.metrics("datagrams/s", "datagrams per server CPU-s", "lost",
                            "server B allocated per datagram"), options), options)
                            .note(UdpLoad.LOSS_NOTE),
                    LoopCounts.expand(udpServers(), options.loops()), UDP,
                    (server, scenario, duration) -> new UdpLoad(server.address(), scenario.connections()).run(duration),
                    options));
        }
        if (all || command.equals("memory")) {
            reports.add(memory(options));
        }
        if (all || command.equals("broadcast")) {
            reports.add(broadcast(options));
        }
        if (all || command.equals("tls")) {
            tls.addAll(TlsRows.run(options, tlsNotes));
        }
        if (all || command.equals("websocket")) {
            reports.add(WebSocketRows.run(report("websocket", "WebSocket echo and broadcast", WebSocketRows.metrics(), options),
                    options));
        }
        for (Report report : reports) {
            report.writeTo(options.out(), commandLine, machine);
            System.out.println();
            System.out.print(report.table());
        }
        if (!tls.isEmpty()) {
            Report.writePage(options.out(), TlsRows.PAGE, "TLS: Eddy and Netty's SslHandler on the JDK's engine",
                    commandLine, machine, tls, tlsNotes);
            for (Report report : tls) {
                System.out.println();
                System.out.print(report.table());
            }
        }
        System.out.println("\nresults written to " + options.out().toAbsolutePath());
        return true;
    }

    private static Report http(LoadOptions options) throws Exception {
        boolean wrk = options.generator().equals("wrk");
        if (!wrk && !Wrk.installed()) {
            System.out.println("HTTP load from the built-in Java generator; " + Wrk.INSTALL_HINT.replace(", or pass --generator java", ""));
        }
        Report report = Ceiling.addTo(report("http", "HTTP plaintext (load from " + (wrk ? "wrk" : "the built-in Java generator") + ")",
                Rounds.metrics("requests/s", "requests per server CPU-s", "errors", "server B allocated per request"),
                options), options);
        return Rounds.run(report, LoopCounts.expand(httpServers(), options.loops()), HTTP, (server, scenario, duration) -> wrk
                ? Wrk.run(server.address(), scenario.connections(), scenario.depth(), duration, Programs.pinnedTo(1, options.pin()))
                : new TcpLoad(server.address(), Protocol.plaintext("127.0.0.1:" + server.address().getPort()),
                        scenario.connections(), scenario.depth()).run(duration), options);
    }

    /**
     * Open-loop HTTP rows: every server gets the same requests at the same fixed rates, below what
     * it can serve, so the rows compare the server CPU each request costs rather than the load
     * generator's speed.
     */
    private static Report httpPaced(LoadOptions options) throws Exception {
        Report report = Ceiling.addTo(report("http-paced", "HTTP plaintext at fixed rates (open loop, " + PacedRow.CONNECTIONS
                + " connections, load from the built-in Java generator)", PacedRow.metrics(), options), options);
        return Rounds.run(report, LoopCounts.expand(httpServers(), options.loops()), PacedRow.scenarios(options.rates()), (server, scenario, duration) ->
                new PacedLoad(server.address(), Protocol.plaintext("127.0.0.1:" + server.address().getPort()),
                        scenario.connections(), scenario.rate()).run(duration).asLoadResult(), PacedRow::values, options);
    }

    /**
     * The cost of metrics: the open-loop rows, one Eddy server with its metrics off, one with them
     * on, one with the latency histogram too, all given the same requests at the same rates, so the
     * ratios are the server CPU each request costs more with metrics.
     */
    private static Report metricsCost(LoadOptions options) throws Exception {
        Report report = new Report("metrics", "The cost of metrics: HTTP plaintext at fixed rates (open loop, "
                + PacedRow.CONNECTIONS + " connections, load from the built-in Java generator)", PacedRow.metrics(),
                List.of(new Report.Pair(METRICS_ON, Report.SUBJECT), new Report.Pair(METRICS_HISTOGRAM, Report.SUBJECT)))
                .ratios("Ratios are each server with metrics over " + Report.SUBJECT + " without (metrics off):"
                        + " CPU per request 1.03× is 3% more.")
                .note("`" + METRICS_ON + "`: the loop's and the server's figures and the requests by route and status"
                        + " class (`--metrics on`); `" + METRICS_HISTOGRAM + "`: those and the latency histogram"
                        + " (`--metrics histogram`). The load never asks for `/metrics`.");
        return Rounds.run(report, metricsServers(), PacedRow.scenarios(options.rates()), (server, scenario, duration) ->
                new PacedLoad(server.address(), Protocol.plaintext("127.0.0.1:" + server.address().getPort()),
                        scenario.connections(), scenario.rate()).run(duration).asLoadResult(), PacedRow::values, options);
    }

    /**
     * Broadcast rows: one sender, {@code --receivers} receivers, {@code --messages} messages a run,
     * every message to every receiver; deliveries a second and the server's bytes allocated per delivery.
     */
    private static Report broadcast(LoadOptions options) throws Exception {
        MemoryProbe.checkOpenFilesLimit(options.receivers());
        Report report = report("broadcast", "Broadcast, one sender to " + SvgChart.number(options.receivers())
                + " receivers (" + SvgChart.number(options.messages()) + " messages a run)", BroadcastRow.metrics(), options)
                .note(BroadcastRow.NOTE);
        return Rounds.run(report, LoopCounts.expand(broadcastServers(), options.loops()),
                List.of(BroadcastRow.scenario(options.receivers())), (server, scenario, duration) ->
                        new BroadcastLoad(server.address(), scenario.connections(), scenario.depth()).run(options.messages()),
                BroadcastLoad.Result::asLoadResult, BroadcastRow::values, options);
    }

    /**
     * A family's report, its ratios taken at each loop count of the run; with several loops a
     * note says which cores the servers had, as their rows are read differently then.
     */
    private static Report report(String family, String title, List<Report.Metric> metrics, LoadOptions options) {
        Report report = new Report(family, title, metrics, LoopCounts.pairs(options.loops()));
        if (options.maxLoops() > 1) {
            report.note(options.pin() && Programs.canPin()
                    ? "Servers with one loop run on core 0, the load generator on core 1. A server with "
                            + options.maxLoops() + " loops is pinned to cores " + Programs.serverCores(options.maxLoops())
                            + ", so it shares the load generator's core: its throughput and latency are contended,"
                            + " and its CPU per request includes what sharing a core costs. Compare Eddy and Netty"
                            + " at the same loop count."
                    : "Servers and the load generator are not pinned: with more than one loop they share every"
                            + " core, so throughput and latency are contended. Compare Eddy and Netty at the same loop count.");
        }
        return report;
    }

    /** Memory rows: each server fresh per round, rounds alternating, a warm-up load before measuring. */
    private static Report memory(LoadOptions options) throws Exception {
        MemoryProbe.checkOpenFilesLimit(options.connections());
        // The ceiling's connections show what the JDK's socket objects alone take.
        Report report = Ceiling.addTo(report("memory", "Memory per idle connection (" + options.connections() + " connections)",
                MemoryProbe.metrics(), options), options);
        List<ServerProcess.Spec> http = new ArrayList<>(httpServers());
        http.removeIf(spec -> spec.name().equals(NETTY_EPOLL));
        List<List<ServerProcess.Spec>> families = List.of(LoopCounts.expand(http, options.loops()),
                LoopCounts.expand(lineServers(), options.loops()));
        List<String> labels = List.of("HTTP, after one request", "line echo, after one line");
        for (int round = 0; round < options.rounds(); round++) {
            for (int family = 0; family < families.size(); family++) {
                List<ServerProcess.Spec> specs = new ArrayList<>(families.get(family));
                if (round % 2 == 1) {
                    Collections.reverse(specs);
                }
                for (ServerProcess.Spec spec : specs) {
                    try (ServerProcess server = spec.start(options.pin())) {
                        Protocol protocol = family == 0 ? Protocol.plaintext("127.0.0.1:" + server.address().getPort())
                                : Protocol.lineEcho();
                        var values = MemoryProbe.measure(server, protocol, options.connections(), options.warmup());
                        System.out.printf("memory %-26s %-10s round %d: heap %.0f B/conn, RSS %.0f B/conn%n",
                                labels.get(family), spec.name(), round + 1, values.get("heapPerConnection"),
                                values.get("rssPerConnection"));
                        report.add(labels.get(family), spec.name(), values);
                    }
                }
            }
        }
        return report;
    }

    /** Pins this JVM's threads, and so the Java load generators, to core 1. */
    private static void pinSelf() throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", "1", String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (taskset.waitFor() != 0) {
            System.err.println("could not pin the load generator to core 1; it runs unpinned");
        }
    }

    /** Eddy, Netty NIO, Netty epoll where its native transport loads, and the hand-written ceiling. */
    static List<ServerProcess.Spec> httpServers() {
        List<ServerProcess.Spec> servers = new ArrayList<>(List.of(
                new ServerProcess.Spec(Report.SUBJECT, PlaintextServer.class.getName(), List.of()),
                new ServerProcess.Spec(Report.BASELINE, NettyPlaintextServer.class.getName(), List.of("--transport", "nio"))));
        if (Epoll.isAvailable()) {
            servers.add(new ServerProcess.Spec(NETTY_EPOLL, NettyPlaintextServer.class.getName(), List.of("--transport", "epoll")));
        }
        servers.add(Ceiling.spec(NioCeilingServer.class));
        return servers;
    }

    /** Eddy's plaintext server with its metrics off, on, and on with the latency histogram. */
    static List<ServerProcess.Spec> metricsServers() {
        return List.of(new ServerProcess.Spec(Report.SUBJECT, PlaintextServer.class.getName(), List.of()),
                new ServerProcess.Spec(METRICS_ON, PlaintextServer.class.getName(), List.of("--metrics", "on")),
                new ServerProcess.Spec(METRICS_HISTOGRAM, PlaintextServer.class.getName(), List.of("--metrics", "histogram")));
    }

    static List<ServerProcess.Spec> lineServers() {
        return List.of(new ServerProcess.Spec(Report.SUBJECT, LineEchoServer.class.getName(), List.of()),
                new ServerProcess.Spec(Report.BASELINE, NettyLineEchoServer.class.getName(), List.of("--transport", "nio")),
                Ceiling.spec(NioCeilingLineEchoServer.class));
    }

    static List<ServerProcess.Spec> broadcastServers() {
        return List.of(new ServerProcess.Spec(Report.SUBJECT, BroadcastServer.class.getName(), List.of()),
                new ServerProcess.Spec(Report.BASELINE, NettyBroadcastServer.class.getName(), List.of("--transport", "nio")));
    }

    static List<ServerProcess.Spec> udpServers() {
        return List.of(new ServerProcess.Spec(Report.SUBJECT, UdpEchoServer.class.getName(), List.of()),
                new ServerProcess.Spec(Report.BASELINE, NettyUdpEchoServer.class.getName(), List.of("--transport", "nio")),
                Ceiling.spec(NioCeilingUdpEchoServer.class));
    }
}
