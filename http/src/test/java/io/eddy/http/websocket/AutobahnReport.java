package io.eddy.http.websocket;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conformance suite's summary for one side (server or client): cases passed of cases run, by
 * section, with every verdict that was not OK listed by case id. Printed when the test class ends
 * and kept in {@code target/conformance/}. Threading: safe from any thread (JUnit may run cases in parallel).
 */
final class AutobahnReport {

    private final String side;
    private final List<AutobahnPeer.Result> results = new ArrayList<>();

    AutobahnReport(String side) {
        this.side = side;
    }

    synchronized void add(AutobahnPeer.Result result) {
        results.add(result);
    }

    /** The summary: a line per section, then every case not graded OK. */
    synchronized String text() {
        Map<Integer, int[]> bySection = new TreeMap<>(); // passed, run, non-strict, unimplemented
        List<String> notOk = new ArrayList<>();
        for (AutobahnPeer.Result result : results) {
            int[] counts = bySection.computeIfAbsent(result.testCase().section(), section -> new int[4]);
            counts[1]++;
            switch (result.verdict()) {
                case OK -> counts[0]++;
                case NON_STRICT -> {
                    counts[0]++;
                    counts[2]++;
                }
                case UNIMPLEMENTED -> counts[3]++;
                case FAILED -> { }
            }
            if (result.verdict() != AutobahnPeer.Verdict.OK) {
                notOk.add("  case " + result);
            }
        }
        StringBuilder text = new StringBuilder("Autobahn|Testsuite cases against Eddy's " + side + "\n");
        int passed = 0;
        int run = 0;
        for (Map.Entry<Integer, int[]> section : bySection.entrySet()) {
            int[] counts = section.getValue();
            passed += counts[0];
            run += counts[1];
            String name = AutobahnCases.SECTIONS.stream().filter(s -> s.startsWith(section.getKey() + " ")).findFirst()
                    .orElse(String.valueOf(section.getKey()));
            text.append(String.format("  %-28s %3d of %3d passed", name, counts[0], counts[1]));
            if (counts[2] > 0) {
                text.append(", ").append(counts[2]).append(" non-strict");
            }
            if (counts[3] > 0) {
                text.append(", ").append(counts[3]).append(" unimplemented");
            }
            text.append('\n');
        }
        text.append(String.format("  %-28s %3d of %3d passed%n", "all", passed, run));
        notOk.sort(null);
        for (String line : notOk) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    /** Prints the summary and keeps it in {@code target/conformance/websocket-<side>.txt}. */
    void publish() throws IOException {
        String text = text();
        System.out.print(text);
        Path dir = Path.of("target", "conformance");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("websocket-" + side + ".txt"), text);
    }
}
