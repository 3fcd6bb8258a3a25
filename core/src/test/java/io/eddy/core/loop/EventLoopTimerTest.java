package io.eddy.core.loop;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An event loop's timers, on a clock the test moves: deadline order, ties, cancellation, other threads. */
class EventLoopTimerTest {

    private final ManualTimeSource time = new ManualTimeSource();
    private final List<String> fired = new CopyOnWriteArrayList<>();
    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.builder().name("timer-test").timeSource(time).daemon(true).start();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void firesTimersInDeadlineOrder() throws Exception {
        loop.schedule(Duration.ofMillis(30), record("c"));
        loop.schedule(Duration.ofMillis(10), record("a"));
        loop.schedule(Duration.ofMillis(20), record("b"));

        advanceAndFinishACycle(Duration.ofMillis(30));
        assertEquals(List.of("a", "b", "c"), fired);
    }

    @Test
    void firesNoTimerBeforeItsDeadline() throws Exception {
        loop.schedule(Duration.ofMillis(10), record("a"));
        loop.schedule(Duration.ofMillis(20), record("b"));

        advanceAndFinishACycle(Duration.ofMillis(9));
        assertEquals(List.of(), fired);
        advanceAndFinishACycle(Duration.ofMillis(1));
        assertEquals(List.of("a"), fired);
        advanceAndFinishACycle(Duration.ofMillis(15));
        assertEquals(List.of("a", "b"), fired);
    }

    @Test
    void runsTimersWithEqualDeadlinesInSchedulingOrder() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add("t" + i);
            loop.schedule(Duration.ofMillis(5), record("t" + i));
        }
        advanceAndFinishACycle(Duration.ofMillis(5));
        assertEquals(expected, fired);
    }

    @Test
    void neverRunsACancelledTimer() throws Exception {
        loop.schedule(Duration.ofMillis(10), record("a"));
        ScheduledTask b = loop.schedule(Duration.ofMillis(20), record("b"));
        loop.schedule(Duration.ofMillis(30), record("c"));

        assertTrue(b.cancel());
        assertFalse(b.cancel(), "a second cancel does nothing");
        assertTrue(b.isCancelled());
        advanceAndFinishACycle(Duration.ofMillis(30));
        assertEquals(List.of("a", "c"), fired);
    }

    @Test
    void timerCancelledByAnEarlierTimerOfTheSameCycleDoesNotRun() throws Exception {
        CompletableFuture<ScheduledTask> victim = new CompletableFuture<>();
        loop.schedule(Duration.ofMillis(10), () -> {
            fired.add("canceller");
            victim.join().cancel();
        });
        victim.complete(loop.schedule(Duration.ofMillis(10), record("victim")));
        loop.schedule(Duration.ofMillis(10), record("after"));

        advanceAndFinishACycle(Duration.ofMillis(10));
        assertEquals(List.of("canceller", "after"), fired);
    }

    @Test
    void runsOnlyTheLiveTimerAmongManyCancelledOnes() throws Exception {
        List<ScheduledTask> cancelled = IntStream.range(0, 1000)
                .mapToObj(i -> loop.schedule(Duration.ofMillis(1 + i % 50), record("cancelled " + i)))
                .toList();
        loop.schedule(Duration.ofMillis(25), record("live"));
        cancelled.forEach(ScheduledTask::cancel);

        advanceAndFinishACycle(Duration.ofMillis(50));
        assertEquals(List.of("live"), fired);
    }

    @Test
    void schedulesFromAnotherThreadAndRunsOnTheLoopThread() throws Exception {
        CompletableFuture<Boolean> ranInLoop = new CompletableFuture<>();
        Thread other = new Thread(() -> loop.schedule(Duration.ofSeconds(1),
                () -> ranInLoop.complete(loop.inEventLoop())), "scheduler");
        other.start();
        other.join(5_000);
        assertFalse(other.isAlive());

        advanceAndFinishACycle(Duration.ofSeconds(1));
        assertTrue(ranInLoop.getNow(false));
    }

    @Test
    void schedulesFromTheLoopThread() throws Exception {
        loop.execute(() -> loop.schedule(Duration.ofMillis(10), record("from the loop")));
        advanceAndFinishACycle(Duration.ZERO);
        assertEquals(List.of(), fired);
        advanceAndFinishACycle(Duration.ofMillis(10));
        assertEquals(List.of("from the loop"), fired);
    }

    @Test
    void wakesForATimerOnTheSystemClockWithoutBeingPoked() throws Exception {
        try (EventLoop real = EventLoop.builder().name("timer-system-clock").daemon(true).start()) {
            CountDownLatch fired = new CountDownLatch(1);
            real.schedule(Duration.ofMillis(20), fired::countDown);
            assertTrue(fired.await(10, SECONDS));
        }
    }

    private Runnable record(String name) {
        return () -> fired.add(name);
    }

    /**
     * Moves the clock, wakes the loop, and returns once the cycle that saw the new time has ended:
     * its due timers have run by then, as they run before the end-of-cycle work.
     */
    private void advanceAndFinishACycle(Duration by) throws Exception {
        time.advance(by);
        CompletableFuture<Void> cycleEnded = new CompletableFuture<>();
        loop.execute(() -> loop.atCycleEnd(() -> cycleEnded.complete(null)));
        cycleEnded.get(5, SECONDS);
    }
}
