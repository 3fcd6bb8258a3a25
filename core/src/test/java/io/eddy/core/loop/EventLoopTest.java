package io.eddy.core.loop;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eddy.core.testing.LogCapture;
import io.eddy.core.testing.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The event loop's tasks and life cycle: cross-thread execute, failing tasks, embedding, termination. */
class EventLoopTest {

    private static final int THREADS = 8;
    private static final int TASKS_PER_THREAD = 10_000;

    @Test
    void runsEveryTaskFromEightThreadsExactlyOnceOnTheLoopThreadInEachSendersOrder() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("execute-test").daemon(true).start()) {
            AtomicIntegerArray runs = new AtomicIntegerArray(THREADS * TASKS_PER_THREAD);
            AtomicInteger offLoop = new AtomicInteger();
            AtomicInteger outOfOrder = new AtomicInteger();
            int[] lastSeen = new int[THREADS];          // loop thread only
            Arrays.fill(lastSeen, -1);
            CountDownLatch done = new CountDownLatch(THREADS * TASKS_PER_THREAD);
            CyclicBarrier go = new CyclicBarrier(THREADS);

            Thread[] senders = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                int sender = t;
                senders[t] = new Thread(() -> {
                    await(go);
                    for (int i = 0; i < TASKS_PER_THREAD; i++) {
                        int seq = i;
                        loop.execute(() -> {
                            if (!loop.inEventLoop()) {
                                offLoop.incrementAndGet();
                            }
                            if (seq != lastSeen[sender] + 1) {
                                outOfOrder.incrementAndGet();
                            }
                            lastSeen[sender] = seq;
                            runs.incrementAndGet(sender * TASKS_PER_THREAD + seq);
                            done.countDown();
                        });
                    }
                }, "sender-" + t);
                senders[t].start();
            }
            assertTrue(done.await(20, SECONDS), "tasks left: " + done.getCount());
            for (Thread sender : senders) {
                sender.join(5_000);
            }
            for (int i = 0; i < runs.length(); i++) {
                assertEquals(1, runs.get(i), "task " + i);
            }
            assertEquals(0, offLoop.get());
            assertEquals(0, outOfOrder.get());
        }
    }

    @Test
    void logsATaskThatThrowsAndGoesOn() throws Exception {
        try (LogCapture logs = LogCapture.of(EventLoop.class);
             EventLoop loop = EventLoop.builder().name("throwing-task").daemon(true).start()) {
            CountDownLatch after = new CountDownLatch(1);
            loop.execute(() -> {
                throw new IllegalStateException("task failure for the test");
            });
            loop.execute(after::countDown);
            assertTrue(after.await(5, SECONDS));

            List<ILoggingEvent> errors = logs.events(Level.ERROR, "throwing-task");
            assertEquals(1, errors.size());
            assertEquals("task failure for the test", errors.get(0).getThrowableProxy().getMessage());
            assertTrue(loop.isRunning());
        }
    }

    @Test
    void logsATimerThatThrowsAndRunsTheNextOne() throws Exception {
        try (LogCapture logs = LogCapture.of(EventLoop.class);
             EventLoop loop = EventLoop.builder().name("throwing-timer").daemon(true).start()) {
            CountDownLatch next = new CountDownLatch(1);
            loop.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("timer failure for the test");
            });
            loop.schedule(Duration.ZERO, next::countDown);
            assertTrue(next.await(5, SECONDS));
            assertEquals(1, logs.events(Level.ERROR, "timer").size());
        }
    }

    @Test
    void runsOnTheCallersOwnThreadUntilShutdown() throws Exception {
        EventLoop loop = EventLoop.builder().name("embedded").build();
        CompletableFuture<Thread> taskThread = new CompletableFuture<>();
        CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
        loop.execute(() -> {                            // queued before the loop runs
            taskThread.complete(Thread.currentThread());
            inLoop.complete(loop.inEventLoop());
        });
        Thread owner = new Thread(loop::run, "application-thread");
        owner.start();

        assertSame(owner, taskThread.get(5, SECONDS));
        assertTrue(inLoop.get());
        assertFalse(loop.inEventLoop());
        assertTrue(loop.isRunning());

        loop.shutdown(Duration.ofSeconds(1));
        assertTrue(loop.awaitTermination(Duration.ofSeconds(5)));
        owner.join(5_000);
        assertFalse(owner.isAlive(), "run() returned");
        assertFalse(loop.isRunning());
    }

    @Test
    void refusesToRunTwice() throws Exception {
        EventLoop loop = EventLoop.builder().name("run-twice").build();
        Thread owner = new Thread(loop::run, "first-runner");
        owner.start();
        CountDownLatch running = new CountDownLatch(1);
        loop.execute(running::countDown);
        assertTrue(running.await(5, SECONDS));
        assertThrows(IllegalStateException.class, loop::run);
        loop.close();
        owner.join(5_000);
        assertFalse(owner.isAlive());
    }

    @Test
    void startRunsOnAThreadNamedAfterTheLoop() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("named-loop").daemon(true).start()) {
            CompletableFuture<String> name = new CompletableFuture<>();
            loop.execute(() -> name.complete(Thread.currentThread().getName()));
            assertEquals("named-loop", name.get(5, SECONDS));
            assertEquals("named-loop", loop.name());
        }
    }

    @Test
    void executeAfterTerminationThrowsRejectedExecutionException() throws Exception {
        EventLoop loop = EventLoop.builder().name("terminated").daemon(true).start();
        loop.close();
        assertTrue(loop.terminationFuture().isDone());
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        assertThrows(RejectedExecutionException.class, () -> loop.schedule(Duration.ZERO, () -> { }));
    }

    @Test
    void shutdownOfALoopThatNeverRanTerminatesAtOnce() throws Exception {
        EventLoop loop = EventLoop.builder().name("never-ran").build();
        loop.shutdown(Duration.ofSeconds(1));
        assertTrue(loop.awaitTermination(Duration.ofSeconds(1)));
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        IllegalStateException refused = assertThrows(IllegalStateException.class, loop::run);
        assertTrue(refused.getMessage().contains("terminated"), refused.getMessage());
    }

    @Test
    void aNeverRunLoopShutDownFromAnotherLoopEndsAtOnceAndLeavesThatLoopCurrent() throws Exception {
        EventLoop neverRun = EventLoop.builder().name("never-run").build();
        List<String> handedIn = new ArrayList<>();      // written by whichever thread runs it
        neverRun.execute(() -> handedIn.add("ran; current is " + EventLoop.current().name()));
        try (EventLoop outer = EventLoop.builder().name("outer").daemon(true).start()) {
            CompletableFuture<List<Object>> seen = new CompletableFuture<>();
            outer.execute(() -> {
                neverRun.shutdown(Duration.ofSeconds(5));
                seen.complete(Arrays.asList(neverRun.terminationFuture().isDone(), EventLoop.current(),
                        neverRun.inEventLoop(), outer.inEventLoop()));
            });
            assertEquals(Arrays.asList(true, outer, false, true), seen.get(5, SECONDS),
                    "terminated within shutdown; the outer loop is still current and still owns its thread");
        }
        assertEquals(List.of("ran; current is never-run"), handedIn, "work handed in is not dropped");
        IllegalStateException refused = assertThrows(IllegalStateException.class, neverRun::run);
        assertTrue(refused.getMessage().contains("has terminated"), refused.getMessage());
    }

    @Test
    void runningLoopsMayNestWithoutLosingTheOuterLoop() throws Exception {
        try (EventLoop outer = EventLoop.builder().name("outer").daemon(true).start()) {
            CompletableFuture<EventLoop> afterInner = new CompletableFuture<>();
            outer.execute(() -> {
                EventLoop inner = EventLoop.builder().name("inner").build();
                inner.execute(() -> inner.shutdown(Duration.ZERO));
                inner.run();                            // an application may embed one loop in another's task
                afterInner.complete(EventLoop.current());
            });
            assertSame(outer, afterInner.get(5, SECONDS));
        }
    }

    @Test
    void closeFromATaskOnTheLoopThreadEndsTheLoop() throws Exception {
        EventLoop loop = EventLoop.builder().name("self-closing").daemon(true).start();
        loop.execute(loop::close);
        assertTrue(loop.awaitTermination(Duration.ofSeconds(5)));
    }

    @Test
    void runsTasksQueuedBeforeShutdown() throws Exception {
        EventLoop loop = EventLoop.builder().name("drain-on-shutdown").daemon(true).start();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.execute(ran::incrementAndGet);
        }
        loop.close();
        assertEquals(1000, ran.get());
    }

    @Test
    void closedRightAfterStartStillRunsWhatItAccepted() throws Exception {
        // The window between start() and the new thread entering run() is short: try it often.
        for (int i = 0; i < 50; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            EventLoop loop = EventLoop.builder().name("closed-at-once-" + i).daemon(true).start();
            loop.execute(ran::countDown);
            loop.shutdown(Duration.ofSeconds(1));
            assertTrue(loop.awaitTermination(Duration.ofSeconds(5)));
            assertEquals(0, ran.getCount(), "an accepted task was dropped, round " + i);
        }
    }

    @Test
    void endOfCycleWorkIsLoopThreadOnly() throws Exception {
        try (EventLoop loop = EventLoop.builder().name("cycle-end").daemon(true).start()) {
            assertThrows(IllegalStateException.class, () -> loop.atCycleEnd(() -> { }));
            CompletableFuture<List<String>> order = new CompletableFuture<>();
            List<String> steps = new ArrayList<>();
            loop.execute(() -> {
                loop.atCycleEnd(() -> {
                    steps.add("cycle end");
                    order.complete(steps);
                });
                steps.add("task");
            });
            assertEquals(List.of("task", "cycle end"), order.get(5, SECONDS));
        }
    }

    @Test
    void nanoTimeReadsTheInjectedTimeSource() {
        var time = new ManualTimeSource();
        EventLoop loop = EventLoop.builder().timeSource(time).build();
        long before = loop.nanoTime();
        time.advance(Duration.ofSeconds(3));
        assertEquals(Duration.ofSeconds(3).toNanos(), loop.nanoTime() - before);
        loop.shutdown(Duration.ZERO);
    }

    /** Waits for every sender, so they all execute at once. */
    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
