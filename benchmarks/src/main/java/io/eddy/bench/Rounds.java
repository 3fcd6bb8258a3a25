package io.eddy.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a load family fairly: every server started once, each in its own pinned JVM; per scenario a
 * warm-up of each server, then rounds that alternate between the servers (A B, then B A), so drift
 * in the machine's state hits each server alike. Each run records the load's results and the
 * server's CPU seconds, for rates per CPU second.
 *
 * <p>Threading: the runner's thread.
 */
final class Rounds {

    /** Runs one scenario's load against a server; {@code R} is what the load measured. */
    @FunctionalInterface
    interface Load<R> {
        R run(ServerProcess server, Scenario scenario, Duration duration) throws Exception;
    }

    /** Turns one run's load result and the server's CPU seconds into the values its report holds. */
    @FunctionalInterface
    interface Values<R> {
        Map<String, Double> of(R result, double cpuSeconds);
    }

    /** The metrics every closed-loop family reports, {@code rate} headed {@code rateHeader}. */
    static List<Report.Metric> metrics(String rateHeader, String perCpuHeader, String errorsHeader) {
        return List.of(new Report.Metric("rate", rateHeader, true),
                new Report.Metric("p50", "p50 µs", false),
                new Report.Metric("p99", "p99 µs", false),
                new Report.Metric("cpu", "server CPU s", false),
                new Report.Metric("perCpu", perCpuHeader, true),
                new Report.Metric("errors", errorsHeader, false));
    }

    private Rounds() {
    }

    /** Runs every scenario against every server and adds each measured run's {@link #metrics} to {@code report}. */
    static Report run(Report report, List<ServerProcess.Spec> specs, List<Scenario> scenarios, Load<LoadResult> load,
                      LoadOptions options) throws Exception {
        return run(report, specs, scenarios, load, Rounds::values, options);
    }

    /** Runs every scenario against every server and adds each measured run's {@code values} to {@code report}. */
    static Report run(Report report, List<ServerProcess.Spec> specs, List<Scenario> scenarios, Load<LoadResult> load,
                      Values<LoadResult> values, LoadOptions options) throws Exception {
        return run(report, specs, scenarios, load, result -> result, values, options);
    }

    /**
     * As {@link #run(Report, List, List, Load, Values, LoadOptions)} for a load that measures more
     * than a {@link LoadResult}: {@code summary} gives the part every run logs.
     */
    static <R> Report run(Report report, List<ServerProcess.Spec> specs, List<Scenario> scenarios, Load<R> load,
                          Function<R, LoadResult> summary, Values<R> values, LoadOptions options) throws Exception {
        List<ServerProcess> servers = new ArrayList<>();
        try {
            for (ServerProcess.Spec spec : specs) {
                servers.add(spec.start(options.pin(), options.serverJvmFlags(report.family(), spec.name())));
            }
            for (Scenario scenario : scenarios) {
                for (ServerProcess server : servers) {
                    log(report, scenario, server, "warm-up", summary.apply(load.run(server, scenario, options.warmup())));
                }
                for (int round = 0; round < options.rounds(); round++) {
                    List<ServerProcess> order = new ArrayList<>(servers);
                    if (round % 2 == 1) {
                        Collections.reverse(order);
                    }
                    for (ServerProcess server : order) {
                        double cpuBefore = server.cpuSeconds();
                        R result = load.run(server, scenario, options.duration());
                        double cpu = server.cpuSeconds() - cpuBefore;
                        server.checkAlive();
                        log(report, scenario, server, "round " + (round + 1), summary.apply(result));
                        report.add(scenario.label(), server.name(), values.of(result, cpu));
                    }
                }
            }
            return report;
        } finally {
            servers.forEach(ServerProcess::close);
        }
    }

    private static Map<String, Double> values(LoadResult result, double cpuSeconds) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rate", result.rate());
        values.put("p50", result.p50Micros());
        values.put("p99", result.p99Micros());
        values.put("cpu", cpuSeconds);
        values.put("perCpu", cpuSeconds > 0 ? result.messages() / cpuSeconds : Double.NaN);
        values.put("errors", (double) result.errors());
        return values;
    }

    private static void log(Report report, Scenario scenario, ServerProcess server, String what, LoadResult result)
            throws IOException {
        server.checkAlive();
        // A paced run's "errors" are requests that came due with every connection busy.
        System.out.printf("%s %-28s %-12s %-9s %12.0f/s  p50 %8.0f µs  p99 %8.0f µs  %s %d%n", report.family(),
                scenario.label(), server.name(), what, result.rate(), result.p50Micros(), result.p99Micros(),
                scenario.rate() > 0 ? "not sent" : "errors", result.errors());
    }
}
