package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The soak's verdicts, on made-up samples; and the soak's options. */
class SoakVerdictTest {

    /** Samples whose heap is {@code heaps}, one every ten seconds. */
    private static List<SoakSample> heaps(long... heaps) {
        List<SoakSample> samples = new ArrayList<>();
        for (int i = 0; i < heaps.length; i++) {
            samples.add(new SoakSample(10.0 * (i + 1), heaps[i], 0, 0, 0, 0, 0, 0, 0));
        }
        return samples;
    }

    @Test
    void aSeriesThatMovesNoMoreThanItsFirstThirdDidIsFlat() {
        SoakVerdict verdict = SoakVerdict.of("heap", heaps(100, 140, 120, 150, 110, 130, 125, 135, 139), SoakSample::heap, 0);
        assertEquals(120, verdict.first());
        assertEquals(135, verdict.last());
        assertEquals(40, verdict.tolerance(), "the first third's highest less its lowest");
        assertTrue(verdict.flat());
    }

    @Test
    void aSeriesThatKeepsGrowingIsNotFlat() {
        SoakVerdict verdict = SoakVerdict.of("heap", heaps(100, 101, 102, 110, 111, 112, 120, 121, 122), SoakSample::heap, 5);
        assertEquals(20, verdict.growth());
        assertEquals(5, verdict.tolerance(), "the floor, above the first third's spread of 2");
        assertFalse(verdict.flat());
    }

    @Test
    void tooFewSamplesOrUnreadableOnesAreNotJudged() {
        assertFalse(SoakVerdict.of("heap", heaps(1, 1), SoakSample::heap, 1).flat());
        assertFalse(SoakVerdict.of("heap", heaps(1, -1, 1, 1), SoakSample::heap, 1).flat());
    }

    @Test
    void theRunJudgesOnlyTheSamplesAfterItsWarmUp() {
        Soak.Run run = new Soak.Run(Duration.ofSeconds(30),
                heaps(900, 900, 100, 100, 100, 100, 100, 100, 100), new SoakLoad.Tally());
        assertEquals(7, run.judged().size());
        assertTrue(run.verdicts().get(0).flat(), "the warm-up's high start is not growth");
        assertTrue(run.answeredRight());
    }

    @Test
    void optionsTakeMinutesOrSecondsAndRefuseARunNoLongerThanItsWarmUp() {
        assertEquals(Duration.ofMinutes(30), Soak.Options.parse("soak").duration());
        assertEquals(Duration.ofSeconds(20), Soak.Options.parse("soak", "--seconds", "20", "--warmup", "0").duration());
        assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse("soak", "--seconds", "5"));
        assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse("soak", "--minutes", "1", "--warmup", "60"));
        assertThrows(IllegalArgumentException.class, () -> Soak.Options.parse("soak", "--hours", "1"));
    }
}
