package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ReportTest {

    private static final List<Report.Metric> METRICS = List.of(
            new Report.Metric("rate", "requests/s", true), new Report.Metric("p99", "p99 µs", false));

    @Test
    void medianOfAnOddCountIsTheMiddleAndOfAnEvenCountTheMeanOfTheMiddleTwo() {
        assertEquals(3.0, Report.median(List.of(9.0, 1.0, 3.0)));
        assertEquals(2.5, Report.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(Report.median(List.of())));
    }

    @Test
    void tableHoldsMediansAndTheRatioOfEddyToNetty() {
        Report report = sample();
        String table = report.table();
        assertTrue(table.contains("| 16 conn | Eddy | 3 | 200 | 10 |"), table);
        assertTrue(table.contains("| 16 conn | Netty NIO | 2 | 100 | 20 |"), table);
        assertTrue(table.contains("| 16 conn | **Eddy / Netty NIO** | | **2.00×** | **0.50×** |"), table);
    }

    @Test
    void withSeveralPairsEachGetsItsRatioRow() {
        Report report = new Report("http-paced", "paced", METRICS, LoopCounts.pairs(List.of(1, 2)));
        report.add("25k req/s", "Eddy 1 loop", Map.of("rate", 100.0, "p99", 10.0));
        report.add("25k req/s", "Netty NIO 1 thread", Map.of("rate", 100.0, "p99", 20.0));
        report.add("25k req/s", "Eddy 2 loops", Map.of("rate", 100.0, "p99", 30.0));
        report.add("25k req/s", "Netty NIO 2 threads", Map.of("rate", 50.0, "p99", 20.0));
        String table = report.table();
        assertTrue(table.contains("| 25k req/s | **Eddy 1 loop / Netty NIO 1 thread** | | **1.00×** | **0.50×** |"), table);
        assertTrue(table.contains("| 25k req/s | **Eddy 2 loops / Netty NIO 2 threads** | | **2.00×** | **1.50×** |"), table);
        assertFalse(table.contains("**Eddy / Netty NIO**"), table);
    }

    @Test
    void chartIsWellFormedSvgWithOneBarPerServerAndScenario() throws Exception {
        Report report = sample();
        report.add("64 conn", "Eddy", Map.of("rate", 400.0, "p99", 30.0));
        report.add("64 conn", "Netty NIO", Map.of("rate", 300.0, "p99", 40.0));
        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(report.chart(METRICS.get(0)).getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", svg.getDocumentElement().getTagName());
        // A background, two legend swatches, four bars.
        assertEquals(7, svg.getElementsByTagName("rect").getLength());
        assertEquals(4, svg.getElementsByTagName("title").getLength());
    }

    @Test
    void writesThePageAndAChartPerChartedMetric(@TempDir Path dir) throws Exception {
        sample().writeTo(dir, "Load http --no-pin", Machine.describe(false));
        String page = Files.readString(dir.resolve("http.md"));
        assertTrue(page.contains("`Load http --no-pin`"), page);
        assertTrue(page.contains("(no pinning: --no-pin)"), page);
        assertFalse(page.contains("pinned to core 0"), page);
        assertTrue(page.contains("![requests/s](http-rate.svg)"), page);
        assertTrue(Files.exists(dir.resolve("http-rate.svg")));
        assertTrue(Files.notExists(dir.resolve("http-p99.svg")));
    }

    @Test
    void writesSeveralReportsAsOnePageWithASectionEach(@TempDir Path dir) throws Exception {
        Report other = new Report("tls-bulk", "Bulk", List.of(new Report.Metric("rate", "MiB/s", true)),
                List.of(Report.Pair.DEFAULT, new Report.Pair("Eddy", "nginx")))
                .ratios("Ratios are Eddy / Netty NIO and Eddy / nginx.");
        other.add("1 MiB", "Eddy", Map.of("rate", 300.0));
        other.add("1 MiB", "Netty NIO", Map.of("rate", 200.0));
        other.add("1 MiB", "nginx", Map.of("rate", 600.0));
        Report.writePage(dir, "tls", "TLS", "Load tls", Machine.describe(false), List.of(sample(), other),
                List.of("A note for the page."));
        String page = Files.readString(dir.resolve("tls.md"));
        assertTrue(page.startsWith("# TLS\n"), page);
        assertTrue(page.contains("A note for the page."), page);
        assertTrue(page.contains("\n## HTTP <plaintext>\n"), page);
        assertTrue(page.contains("\n## Bulk\n"), page);
        assertTrue(page.contains("| 1 MiB | **Eddy / nginx** | | **0.50×** |"), page);
        assertTrue(page.contains("Ratios are Eddy / Netty NIO and Eddy / nginx."), page);
        assertTrue(page.contains("![MiB/s](tls-bulk-rate.svg)"), page);
        assertTrue(Files.exists(dir.resolve("http-rate.svg")));
        assertTrue(Files.exists(dir.resolve("tls-bulk-rate.svg")));
        assertTrue(Files.notExists(dir.resolve("http.md")));
    }

    private static Report sample() {
        Report report = new Report("http", "HTTP <plaintext>", METRICS);
        report.add("16 conn", "Eddy", Map.of("rate", 100.0, "p99", 12.0));
        report.add("16 conn", "Eddy", Map.of("rate", 300.0, "p99", 8.0));
        report.add("16 conn", "Eddy", Map.of("rate", 200.0, "p99", 10.0));
        report.add("16 conn", "Netty NIO", Map.of("rate", 90.0, "p99", 20.0));
        report.add("16 conn", "Netty NIO", Map.of("rate", 110.0, "p99", 20.0));
        return report;
    }
}
