package io.eddy.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The busy ratio from given select times, without waiting for a window to pass. */
class BusyMeterTest {

    private static final long WINDOW = BusyMeter.WINDOW_NANOS;

    @Test
    void aWindowIsTheShareOfTimeOutsideSelect() {
        long start = System.nanoTime() - WINDOW;
        BusyMeter meter = new BusyMeter(start);
        meter.selected(start, start + WINDOW / 4);
        assertEquals(0.0, meter.ratio(false), "nothing published before a window ends");
        meter.selected(start + WINDOW / 2, start + WINDOW);
        assertEquals(0.25, meter.ratio(false), 1e-9);
    }

    @Test
    void aFigureOlderThanTwoWindowsSaysWhetherTheLoopSleepsOrIsHeld() {
        BusyMeter meter = new BusyMeter(System.nanoTime() - 3 * WINDOW);
        assertEquals(0.0, meter.ratio(true));
        assertEquals(1.0, meter.ratio(false));
    }
}
