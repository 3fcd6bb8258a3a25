package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PacedRowTest {

    @Test
    void oneScenarioPerRateOnSixtyFourConnectionsWithoutPipelining() {
        List<Scenario> scenarios = PacedRow.scenarios(List.of(25_000L, 500L));
        assertEquals(new Scenario("25.0k req/s", 64, 1, 25_000), scenarios.get(0));
        assertEquals(new Scenario("500 req/s", 64, 1, 500), scenarios.get(1));
    }

    @Test
    void cpuPerRequestIsServerCpuMicrosecondsOverAnswers() {
        assertEquals(4.0, PacedRow.cpuMicrosPerRequest(0.2, 50_000), 1e-9);
        assertTrue(Double.isNaN(PacedRow.cpuMicrosPerRequest(0.2, 0)));
        assertTrue(Double.isNaN(PacedRow.cpuMicrosPerRequest(Double.NaN, 10)));
    }

    @Test
    void valuesCarryTheRunAndCountRequestsNotSentAsErrors() {
        Map<String, Double> values = PacedRow.values(new LoadResult(100_000, 4.0, 80, 300, 7), 0.5);
        assertEquals(25_000.0, values.get("rate"));
        assertEquals(80.0, values.get("p50"));
        assertEquals(300.0, values.get("p99"));
        assertEquals(0.5, values.get("cpu"));
        assertEquals(5.0, values.get("cpuPerRequest"), 1e-9);
        assertEquals(7.0, values.get("errors"));
        for (Report.Metric metric : PacedRow.metrics()) {
            // The server's allocation is read around the run by Rounds, not from the load's result.
            assertTrue(values.containsKey(metric.key()) || metric.key().equals(Rounds.ALLOCATED), metric::key);
        }
    }

    @Test
    void theRatioOfCpuPerRequestIsEddyOverNettyLowerBeingBetter() {
        Report report = new Report("http-paced", "paced", PacedRow.metrics());
        report.add("25.0k req/s", Report.SUBJECT, PacedRow.values(new LoadResult(100_000, 4.0, 80, 300, 0), 0.3));
        report.add("25.0k req/s", Report.BASELINE, PacedRow.values(new LoadResult(100_000, 4.0, 90, 400, 0), 0.4));
        String table = report.table();
        assertTrue(table.contains("| 25.0k req/s | **Eddy / Netty NIO** | | **1.00×** | **0.89×** | **0.75×** | **0.75×** | **0.75×** | **–** | **–** |"),
                table);
    }
}
