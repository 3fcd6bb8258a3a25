package io.eddy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of one row family (HTTP, line echo, UDP, memory): every run's values per scenario
 * and server, reduced to medians, with the ratio of the subject (Eddy) to the baseline (Netty
 * NIO) under each scenario, or of each {@link Pair} given (the same at each loop count); written
 * as a markdown table and SVG bar charts.
 *
 * <p>Threading: one thread adds and writes.
 */
final class Report {

    /** Eddy's name in every table. */
    static final String SUBJECT = "Eddy";
    /** The yardstick the ratios are taken against. */
    static final String BASELINE = "Netty NIO";

    /**
     * A value measured in each run.
     *
     * @param key    its name in the values a run gives
     * @param header its column header
     * @param charted whether it gets a chart of its own
     */
    record Metric(String key, String header, boolean charted) {
    }

    /**
     * Two servers whose ratio the table shows under each scenario where both ran.
     *
     * @param subject  the numerator, an Eddy server
     * @param baseline the denominator, its Netty yardstick
     */
    record Pair(String subject, String baseline) {
        /** Eddy over Netty NIO, both on one loop. */
        static final Pair DEFAULT = new Pair(SUBJECT, BASELINE);
    }

    private final String family;
    private final String title;
    private final List<Metric> metrics;
    private final List<Pair> pairs;
    private final List<String> notes = new ArrayList<>();
    /** What the ratio rows are, when not the default sentence; null for that. */
    private String ratios;
    /** scenario, then server, then one value map per run. */
    private final Map<String, Map<String, List<Map<String, Double>>>> runs = new LinkedHashMap<>();

    Report(String family, String title, List<Metric> metrics) {
        this(family, title, metrics, List.of(Pair.DEFAULT));
    }

    Report(String family, String title, List<Metric> metrics, List<Pair> pairs) {
        this.family = family;
        this.title = title;
        this.metrics = List.copyOf(metrics);
        this.pairs = List.copyOf(pairs);
    }

    /** Says what the ratios compare, in place of "Eddy / Netty NIO", for a family whose pairs are others. */
    Report ratios(String sentence) {
        this.ratios = sentence;
        return this;
    }

    /** Adds a paragraph to the page, after the table: how the rows were measured, what to read into them. */
    Report note(String paragraph) {
        notes.add(paragraph);
        return this;
    }

    String family() {
        return family;
    }

    String title() {
        return title;
    }

    /** Adds one run's values of {@code server} under {@code scenario}. */
    void add(String scenario, String server, Map<String, Double> values) {
        runs.computeIfAbsent(scenario, s -> new LinkedHashMap<>()).computeIfAbsent(server, s -> new ArrayList<>()).add(values);
    }

    /** The median of {@code metric} over the runs of {@code server} under {@code scenario}; NaN if none. */
    double median(String scenario, String server, String metric) {
        List<Map<String, Double>> serverRuns = runs.getOrDefault(scenario, Map.of()).getOrDefault(server, List.of());
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> run : serverRuns) {
            Double value = run.get(metric);
            if (value != null && !value.isNaN()) {
                values.add(value);
            }
        }
        return median(values);
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN if empty. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The table: medians per scenario and server, then the subject-to-baseline ratios. */
    String table() {
        StringBuilder table = new StringBuilder("| scenario | server | runs |");
        StringBuilder rule = new StringBuilder("|---|---|---:|");
        for (Metric metric : metrics) {
            table.append(' ').append(metric.header()).append(" |");
            rule.append("---:|");
        }
        table.append('\n').append(rule).append('\n');
        for (var scenario : runs.entrySet()) {
            for (var server : scenario.getValue().entrySet()) {
                table.append("| ").append(scenario.getKey()).append(" | ").append(server.getKey()).append(" | ")
                        .append(server.getValue().size()).append(" |");
                for (Metric metric : metrics) {
                    table.append(' ').append(cell(median(scenario.getKey(), server.getKey(), metric.key()))).append(" |");
                }
                table.append('\n');
            }
            for (Pair pair : pairs) {
                if (scenario.getValue().containsKey(pair.subject()) && scenario.getValue().containsKey(pair.baseline())) {
                    ratioRow(table, scenario.getKey(), pair);
                }
            }
        }
        return table.toString();
    }

    private void ratioRow(StringBuilder table, String scenario, Pair pair) {
        table.append("| ").append(scenario).append(" | **").append(pair.subject()).append(" / ").append(pair.baseline())
                .append("** | |");
        for (Metric metric : metrics) {
            double ratio = median(scenario, pair.subject(), metric.key()) / median(scenario, pair.baseline(), metric.key());
            table.append(" **").append(Double.isNaN(ratio) || Double.isInfinite(ratio) ? "–"
                    : String.format(Locale.ROOT, "%.2f×", ratio)).append("** |");
        }
        table.append('\n');
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "–" : SvgChart.number(value);
    }

    /** The chart of {@code metric}: a group per scenario, a bar per server. */
    String chart(Metric metric) {
        List<String> scenarios = new ArrayList<>(runs.keySet());
        List<String> servers = new ArrayList<>();
        for (Map<String, List<Map<String, Double>>> byServer : runs.values()) {
            for (String server : byServer.keySet()) {
                if (!servers.contains(server)) {
                    servers.add(server);
                }
            }
        }
        double[][] values = new double[scenarios.size()][servers.size()];
        for (int g = 0; g < scenarios.size(); g++) {
            for (int s = 0; s < servers.size(); s++) {
                values[g][s] = median(scenarios.get(g), servers.get(s), metric.key());
            }
        }
        return new SvgChart(title + ": " + metric.header() + " (medians)", metric.header(), scenarios, servers, values).render();
    }

    /**
     * Writes {@code FAMILY.md} and one {@code FAMILY-METRIC.svg} per charted metric into {@code dir};
     * {@code machine} is {@link Machine#describe} for the run.
     */
    void writeTo(Path dir, String command, String machine) throws IOException {
        Files.createDirectories(dir);
        StringBuilder page = header(title, command, machine);
        page.append(body(dir));
        Files.writeString(dir.resolve(family + ".md"), page.toString());
    }

    /**
     * Writes several reports of one run as one page, {@code PAGE.md}, headed {@code title}: each
     * report a section headed by its own title, with its table, notes and charts ({@code FAMILY-METRIC.svg}
     * files beside the page), for rows whose units differ and so cannot share a table.
     */
    static void writePage(Path dir, String page, String title, String command, String machine, List<Report> sections,
                          List<String> notes) throws IOException {
        Files.createDirectories(dir);
        StringBuilder text = header(title, command, machine);
        for (String note : notes) {
            text.append(note).append("\n\n");
        }
        for (int i = 0; i < sections.size(); i++) {
            text.append(i == 0 ? "" : "\n").append("## ").append(sections.get(i).title).append("\n\n")
                    .append(sections.get(i).body(dir));
        }
        Files.writeString(dir.resolve(page + ".md"), text.toString());
    }

    private static StringBuilder header(String title, String command, String machine) {
        return new StringBuilder("# ").append(title).append("\n\n")
                .append("Measured ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).withNano(0))).append(" UTC with `").append(command).append("`.\n\n")
                .append(machine).append('\n');
    }

    /** The table, the ratios' sentence, the notes and the charts, each chart written into {@code dir}. */
    private String body(Path dir) throws IOException {
        StringBuilder page = new StringBuilder(table()).append('\n');
        if (ratios != null) {
            page.append(ratios).append('\n');
        } else {
            page.append("Ratios are ").append(SUBJECT).append(" / ").append(BASELINE)
                    .append(pairs.size() > 1 ? " at equal loop counts" : "")
                    .append(": above 1 is better for rates, below 1 for latencies, CPU per request and memory.\n");
        }
        for (String note : notes) {
            page.append('\n').append(note).append('\n');
        }
        for (Metric metric : metrics) {
            if (metric.charted()) {
                String file = family + "-" + metric.key() + ".svg";
                Files.writeString(dir.resolve(file), chart(metric));
                page.append("\n![").append(metric.header()).append("](").append(file).append(")\n");
            }
        }
        return page.toString();
    }
}
