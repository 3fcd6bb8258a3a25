package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HistogramTest {

    @Test
    void percentilesAreTheRecordedValuesAtTheirRank() {
        Histogram histogram = new Histogram();
        for (int micros = 1; micros <= 100; micros++) {
            histogram.record(micros * 1000L);
        }
        assertEquals(100, histogram.count());
        assertEquals(50, histogram.percentileMicros(50));
        assertEquals(99, histogram.percentileMicros(99));
        assertEquals(100, histogram.percentileMicros(100));
        assertEquals(1, histogram.percentileMicros(0));
    }

    @Test
    void latenciesBeyondTheExactRangeReportTheSlowestSeen() {
        Histogram histogram = new Histogram();
        histogram.record(5_000);
        histogram.record(2_000_000_000L);
        assertEquals(5, histogram.percentileMicros(50));
        assertEquals(2_000_000, histogram.percentileMicros(99));
    }

    @Test
    void anEmptyHistogramHasNoPercentiles() {
        assertTrue(Double.isNaN(new Histogram().percentileMicros(50)));
        assertThrows(IllegalArgumentException.class, () -> new Histogram().percentileMicros(101));
    }
}
