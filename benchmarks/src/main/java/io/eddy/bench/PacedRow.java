package io.eddy.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open-loop HTTP row family: {@value #CONNECTIONS} kept-alive connections at fixed request
 * rates from {@link PacedLoad}, every server given the same requests at the same times, so what
 * differs is the server CPU time each request costs. Rows per rate; server CPU microseconds per
 * request is the value compared (lower is better), with latency at that rate beside it.
 *
 * <p>Threading: stateless.
 */
final class PacedRow {

    /** Connections the requests are spread over, as in the closed-loop 64-connection row. */
    static final int CONNECTIONS = 64;

    private PacedRow() {
    }

    /** One scenario per rate, labelled like {@code 25k req/s}. */
    static List<Scenario> scenarios(List<Long> rates) {
        List<Scenario> scenarios = new ArrayList<>();
        for (long rate : rates) {
            scenarios.add(new Scenario(SvgChart.number(rate) + " req/s", CONNECTIONS, 1, rate));
        }
        return scenarios;
    }

    /** The row's columns; CPU per request and p99 latency are charted. */
    static List<Report.Metric> metrics() {
        return List.of(new Report.Metric("rate", "requests/s achieved", false),
                new Report.Metric("p50", "p50 µs", false),
                new Report.Metric("p99", "p99 µs", true),
                new Report.Metric("cpu", "server CPU s", false),
                new Report.Metric("cpuPerRequest", "server CPU µs per request", true),
                new Report.Metric("errors", "not sent (no free connection)", false),
                new Report.Metric(Rounds.ALLOCATED, "server B allocated per request", false));
    }

    /** One run's values: {@code result} from {@link PacedLoad.Result#asLoadResult}, its errors the requests not sent. */
    static Map<String, Double> values(LoadResult result, double cpuSeconds) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rate", result.rate());
        values.put("p50", result.p50Micros());
        values.put("p99", result.p99Micros());
        values.put("cpu", cpuSeconds);
        values.put("cpuPerRequest", cpuMicrosPerRequest(cpuSeconds, result.messages()));
        values.put("errors", (double) result.errors());
        return values;
    }

    /** Server CPU microseconds per request answered; NaN when either is missing. */
    static double cpuMicrosPerRequest(double cpuSeconds, long requests) {
        return requests > 0 && cpuSeconds >= 0 ? cpuSeconds * 1e6 / requests : Double.NaN;
    }
}
