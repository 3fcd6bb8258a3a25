package io.eddy.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestLoop;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockingWork} on a test loop, with an executor the test runs by hand: what runs where,
 * and when, is decided by the test, not by a scheduler.
 */
class BlockingWorkTest {

    private final TestLoop loop = new TestLoop();
    /** Calls handed to the executor, run when the test says. */
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final Executor byHand = queued::add;

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Runs the oldest queued call on a thread of its own, as a pool would, and waits for it. */
    private void runOneOffTheLoop() throws InterruptedException {
        Thread worker = new Thread(queued.remove(), "worker");
        worker.start();
        worker.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(worker.isAlive());
    }

    @Test
    void runsTheCallOffTheLoopAndCompletesOnTheLoopThread() throws InterruptedException {
        BlockingWork work = BlockingWork.using(byHand, 4);
        String[] ranOn = new String[1];
        AtomicBoolean callbackOnLoop = new AtomicBoolean();
        CompletableFuture<String> answer = work.submit(loop.eventLoop(), () -> {
            ranOn[0] = Thread.currentThread().getName();
            return "done";
        }).toCompletableFuture();
        answer.thenRun(() -> callbackOnLoop.set(loop.eventLoop().inEventLoop()));

        runOneOffTheLoop();
        assertEquals("worker", ranOn[0]);
        assertFalse(answer.isDone(), "the answer waits for the loop");
        loop.runPendingTasks();
        assertEquals("done", answer.join());
        assertTrue(callbackOnLoop.get());
    }

    @Test
    void refusesAtOnceBeyondMaxTasksAndTakesMoreOnceOneIsDone() throws InterruptedException {
        BlockingWork work = BlockingWork.using(byHand, 2);
        work.submit(loop.eventLoop(), () -> 1);
        work.submit(loop.eventLoop(), () -> 2);
        assertEquals(2, work.inFlight());

        WorkRejectedException refused = assertThrows(WorkRejectedException.class,
                () -> work.submit(loop.eventLoop(), () -> 3));
        assertEquals(2, refused.maxTasks());
        assertEquals(2, queued.size(), "a refused call is never queued");

        runOneOffTheLoop();
        assertEquals(1, work.inFlight(), "a finished call frees its slot before its answer reaches the loop");
        assertNotNull(work.submit(loop.eventLoop(), () -> 3));
    }

    @Test
    void failsTheStageWithWhatTheCallThrew() throws InterruptedException {
        BlockingWork work = BlockingWork.using(byHand, 1);
        IOException thrown = new IOException("database down");
        CompletableFuture<Object> answer = work.submit(loop.eventLoop(), () -> {
            throw thrown;
        }).toCompletableFuture();
        runOneOffTheLoop();
        loop.runPendingTasks();
        CompletionException failed = assertThrows(CompletionException.class, answer::join);
        assertSame(thrown, failed.getCause());
        assertEquals(0, work.inFlight());
    }

    @Test
    void turnsTheExecutorsRefusalIntoARejectionAndFreesTheSlot() {
        RejectedExecutionException poolFull = new RejectedExecutionException("pool full");
        BlockingWork work = BlockingWork.using(task -> {
            throw poolFull;
        }, 1);
        WorkRejectedException refused = assertThrows(WorkRejectedException.class,
                () -> work.submit(loop.eventLoop(), () -> 1));
        assertSame(poolFull, refused.getCause());
        assertEquals(0, work.inFlight());
    }

    @Test
    void refusesAfterCloseButAnswersWhatWasSubmittedBefore() throws InterruptedException {
        BlockingWork work = BlockingWork.using(byHand, 4);
        CompletableFuture<String> before = work.submit(loop.eventLoop(), () -> "before").toCompletableFuture();
        work.close();
        assertThrows(WorkRejectedException.class, () -> work.submit(loop.eventLoop(), () -> "after"));
        runOneOffTheLoop();
        loop.runPendingTasks();
        assertEquals("before", before.join());
    }

    @Test
    void failsTheStageWhenTheLoopEndedBeforeTheCallReturned() throws InterruptedException {
        BlockingWork work = BlockingWork.using(byHand, 1);
        CompletableFuture<String> answer = work.submit(loop.eventLoop(), () -> "late").toCompletableFuture();
        loop.close();
        runOneOffTheLoop();
        CompletionException failed = assertThrows(CompletionException.class, answer::join);
        assertInstanceOf(RejectedExecutionException.class, failed.getCause());
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> BlockingWork.using(byHand, 0));
        assertThrows(IllegalArgumentException.class, () -> BlockingWork.create(-1));
    }

    @Test
    void runsOnVirtualThreadsWhereTheJdkHasThemElseOnNamedDaemonThreads() throws Exception {
        try (EventLoop real = EventLoop.builder().name("blocking-test").daemon(true).start();
             BlockingWork work = BlockingWork.create(8)) {
            Thread thread = work.submit(real, Thread::currentThread).toCompletableFuture().get(10, TimeUnit.SECONDS);
            if (Runtime.version().feature() >= 21) {
                Method isVirtual = Thread.class.getMethod("isVirtual");
                assertTrue((Boolean) isVirtual.invoke(thread), "on " + thread);
                assertTrue(work.toString().contains("virtual thread"), work.toString());
            } else {
                assertTrue(thread.getName().startsWith("eddy-blocking-"), thread.getName());
                assertTrue(thread.isDaemon());
                assertTrue(work.toString().contains("8 daemon threads"), work.toString());
            }
        }
    }
}
