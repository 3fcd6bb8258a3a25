package io.eddy.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory loop: tasks, timers and cycle-end work run when the test says, in virtual time. */
class TestLoopTest {

    private final TestLoop loop = new TestLoop();
    private final EventLoop eventLoop = loop.eventLoop();
    private final List<String> ran = new ArrayList<>();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void aTaskExecutedFromTheTestThreadRunsAtTheNextStepOnTheLoop() {
        eventLoop.execute(() -> ran.add("task; current is the loop: " + (EventLoop.current() == eventLoop)));
        assertEquals(List.of(), ran, "nothing runs until the test says so");

        loop.runPendingTasks();

        assertEquals(List.of("task; current is the loop: true"), ran);
        assertNull(EventLoop.current(), "between steps the test thread is no loop's thread");
        assertTrue(eventLoop.inEventLoop(), "but connection calls from the test run at once");
    }

    @Test
    void aTimerFiresAtItsDeadlineAndReadsItsOwnDeadlineAsTheTime() {
        long start = eventLoop.nanoTime();
        List<Long> firedAt = new ArrayList<>();
        eventLoop.schedule(Duration.ofSeconds(5), () -> {
            firedAt.add(eventLoop.nanoTime() - start);
            eventLoop.schedule(Duration.ofSeconds(2), () -> firedAt.add(eventLoop.nanoTime() - start));
        });

        loop.advance(Duration.ofMillis(4_999));
        assertEquals(List.of(), firedAt);
        assertEquals(Optional.of(Duration.ofMillis(1)), loop.nextTimerDelay());

        loop.advance(Duration.ofSeconds(10));
        assertEquals(List.of(Duration.ofSeconds(5).toNanos(), Duration.ofSeconds(7).toNanos()), firedAt,
                "each timer ran at its own deadline, the one armed on the way too");
        assertEquals(Duration.ofMillis(14_999).toNanos(), eventLoop.nanoTime() - start);
        assertEquals(Optional.empty(), loop.nextTimerDelay());
    }

    @Test
    void aCancelledTimerNeverRuns() {
        ScheduledTask timer = eventLoop.schedule(Duration.ofSeconds(1), () -> ran.add("timer"));
        timer.cancel();
        loop.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), ran);
    }

    @Test
    void endOfCycleWorkRunsAfterTheCyclesTasksAndTimers() {
        eventLoop.execute(() -> {
            eventLoop.atCycleEnd(() -> ran.add("cycle end"));
            ran.add("task");
        });
        eventLoop.schedule(Duration.ZERO, () -> ran.add("timer"));
        loop.runPendingTasks();
        assertEquals(List.of("task", "timer", "cycle end"), ran);
    }

    @Test
    void workHandedInFromAnotherThreadWaitsForTheTestsNextStep() throws Exception {
        CompletableFuture.runAsync(() -> {
            eventLoop.execute(() -> ran.add("task from elsewhere"));
            eventLoop.schedule(Duration.ofSeconds(1), () -> ran.add("timer from elsewhere"));
        }).get();
        assertEquals(List.of(), ran);

        loop.advance(Duration.ofSeconds(1));

        assertEquals(List.of("task from elsewhere", "timer from elsewhere"), ran);
    }

    @Test
    void movingTheSharedTimeSourceDirectlyRunsWhatBecameDueAtTheNextStep() {
        eventLoop.schedule(Duration.ofSeconds(3), () -> ran.add("timer"));
        loop.time().advance(Duration.ofSeconds(3));
        assertEquals(List.of(), ran);
        loop.runPendingTasks();
        assertEquals(List.of("timer"), ran);
    }

    @Test
    void workThatNeverStopsComingIsReportedInsteadOfHangingTheTest() {
        boolean[] stop = new boolean[1];
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            if (!stop[0]) {
                eventLoop.execute(again[0]);
            }
        };
        eventLoop.execute(again[0]);
        IllegalStateException stuck = assertThrows(IllegalStateException.class, loop::runPendingTasks);
        assertTrue(stuck.getMessage().contains("re-queues itself"), stuck.getMessage());
        stop[0] = true;
    }

    @Test
    void onlyTheThreadThatMadeTheLoopDrivesIt() throws Exception {
        CompletableFuture<Throwable> refused = CompletableFuture.supplyAsync(() -> {
            try {
                loop.runPendingTasks();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertTrue(refused.get() instanceof IllegalStateException);
        assertFalse(CompletableFuture.supplyAsync(eventLoop::inEventLoop).get());
    }

    @Test
    void closingTerminatesTheLoopAfterItsQueuedTasks() {
        eventLoop.execute(() -> ran.add("queued before close"));
        loop.close();
        assertEquals(List.of("queued before close"), ran);
        assertTrue(eventLoop.terminationFuture().isDone());
        assertThrows(RejectedExecutionException.class, () -> eventLoop.execute(() -> { }));
    }
}
