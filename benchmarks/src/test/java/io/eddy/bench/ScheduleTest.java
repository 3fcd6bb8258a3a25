package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The open-loop timetable, driven with made-up times: no clock, no sockets. */
class ScheduleTest {

    private static final long START = 5_000_000_000L;

    @Test
    void requestsAreDueEveryOneOverRateFromTheStart() {
        Schedule schedule = new Schedule(25_000, START);
        assertEquals(START, schedule.dueAt(0));
        assertEquals(START + 40_000, schedule.dueAt(1));
        assertEquals(START + 1_000_000_000L, schedule.dueAt(25_000));
    }

    @Test
    void dueTimesDoNotDriftWhenTheIntervalIsNotWholeNanoseconds() {
        Schedule schedule = new Schedule(3, START);
        assertEquals(START + 333_333_333, schedule.dueAt(1));
        assertEquals(START + 666_666_666, schedule.dueAt(2));
        assertEquals(START + 3_000_000_000L, schedule.dueAt(9));
    }

    @Test
    void dispatchSendsEveryDueRequestWithItsScheduledTimeAndNoMore() throws Exception {
        Schedule schedule = new Schedule(1_000, START);
        Deque<String> free = new ArrayDeque<>(List.of("a", "b", "c", "d"));
        List<String> sent = new ArrayList<>();
        // 2.5 ms in: requests 0, 1 and 2 are due, 3 is not yet.
        assertEquals(3, schedule.dispatch(START + 2_500_000, free, (c, due) -> sent.add(c + "@" + (due - START))));
        assertEquals(List.of("a@0", "b@1000000", "c@2000000"), sent);
        assertEquals(3, schedule.scheduled());
        assertEquals(START + 3_000_000, schedule.nextDue());
        assertEquals(0, schedule.dispatch(START + 2_999_999, free, (c, due) -> sent.add(c)));
        assertEquals(List.of("d"), List.copyOf(free));
    }

    @Test
    void aRequestDueWithNoFreeConnectionIsCountedNotSentAndNotQueued() throws Exception {
        Schedule schedule = new Schedule(1_000, START);
        Deque<String> free = new ArrayDeque<>(List.of("a", "b"));
        List<Long> dueTimes = new ArrayList<>();
        assertEquals(2, schedule.dispatch(START + 4_000_000, free, (c, due) -> dueTimes.add(due - START)));
        assertEquals(List.of(0L, 1_000_000L), dueTimes);
        assertEquals(5, schedule.scheduled());
        assertEquals(3, schedule.unsent());

        // A connection freed later takes the next request due, not one of those missed.
        free.add("a");
        assertEquals(1, schedule.dispatch(START + 5_000_000, free, (c, due) -> dueTimes.add(due - START)));
        assertEquals(5_000_000L, dueTimes.get(2));
        assertEquals(3, schedule.unsent());
        assertEquals(schedule.scheduled(), dueTimes.size() + schedule.unsent());
    }

    @Test
    void nothingIsDueBeforeTheStart() throws Exception {
        Schedule schedule = new Schedule(1_000, START);
        assertEquals(0, schedule.dispatch(START - 1, new ArrayDeque<>(List.of("a")), (c, due) -> {
            throw new AssertionError("sent before the start");
        }));
        assertEquals(0, schedule.scheduled());
    }

    @Test
    void refusesARateBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new Schedule(0, START));
        assertEquals(START, new Schedule(1, START).nextDue());
    }
}
