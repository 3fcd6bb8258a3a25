package io.eddy.core.loop;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs blocking calls (a database query, a blocking client library, a slow file system) off the
 * event loop, and hands each result back on the loop that asked for it.
 *
 * <pre>{@code
 * BlockingWork work = BlockingWork.create();
 * TcpServer.on(loop).bind(7000).codec(LineCodec::new).handler((conn, name) -> {
 *     try {
 *         work.submit(conn.loop(), () -> directory.lookUp(name))   // runs on the executor; may block
 *             .thenAccept(conn::write);                             // runs on conn's loop
 *     } catch (WorkRejectedException busy) {
 *         conn.write("busy, try again");
 *     }
 * }).start();
 * }</pre>
 *
 * <p><b>Bounded.</b> At most {@link #maxTasks()} calls are running or waiting for a thread at
 * once. {@link #submit} refuses more at once with a {@link WorkRejectedException} rather than
 * queueing them: under overload a server answers "busy" while the client still listens, instead of
 * building a backlog whose answers nobody waits for.
 *
 * <p><b>Executors.</b> {@link #create()} makes an executor of its own, which {@link #close()} shuts
 * down: a virtual thread per call when the running JDK has them (Java 21 and later; looked up at run
 * time, since Eddy is built for 17), otherwise a pool of at most 64 daemon threads named
 * {@code eddy-blocking-N}, which end after a minute without work. {@link #toString()} says which.
 * {@link #using(Executor, int)} runs calls on an executor of yours (a pool sized to the database's
 * connections, say); {@code close()} leaves it alone.
 *
 * <p><b>Threading.</b> Thread-safe; one instance may serve every connection of every loop, and
 * bounds them all together. The call runs on the executor; the stage {@code submit} returns
 * completes on the given loop's thread, so callbacks attached to it (without an executor of their
 * own) run there and may use the connection as a handler does. Callbacks attached on the loop
 * thread always do: the stage cannot complete while that thread is busy attaching them. Cancelling
 * the stage does not stop the call.
 */
public final class BlockingWork implements AutoCloseable {

    /** How many calls {@link #create()} lets run or wait at once. */
    public static final int DEFAULT_MAX_TASKS = 256;

    private final Executor executor;
    /** The executor this work made and shuts down on close, or null when it is the caller's. */
    private final ExecutorService owned;
    private final String executorDescription;
    private final int maxTasks;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    private BlockingWork(Executor executor, ExecutorService owned, String executorDescription, int maxTasks) {
        this.executor = executor;
        this.owned = owned;
        this.executorDescription = executorDescription;
        this.maxTasks = maxTasks;
    }

    /** Work on an executor of its own (see the class comment), {@value #DEFAULT_MAX_TASKS} calls at most. */
    public static BlockingWork create() {
        return create(DEFAULT_MAX_TASKS);
    }

    /** Work on an executor of its own (see the class comment), {@code maxTasks} calls at most. */
    public static BlockingWork create(int maxTasks) {
        checkMaxTasks(maxTasks);
        DefaultBlockingExecutor.Choice choice = DefaultBlockingExecutor.create(maxTasks);
        return new BlockingWork(choice.executor(), choice.executor(), choice.description(), maxTasks);
    }

    /**
     * Work on {@code executor}, {@code maxTasks} calls at most (running, or queued in the executor).
     * The executor stays the caller's: {@link #close()} does not shut it down.
     */
    public static BlockingWork using(Executor executor, int maxTasks) {
        Objects.requireNonNull(executor, "executor");
        checkMaxTasks(maxTasks);
        return new BlockingWork(executor, null, "a given executor", maxTasks);
    }

    private static void checkMaxTasks(int maxTasks) {
        if (maxTasks <= 0) {
            throw new IllegalArgumentException("maxTasks must be positive: " + maxTasks);
        }
    }

    /**
     * Runs {@code call} on the executor and completes the returned stage with its result, or with
     * what it threw, on {@code loop}'s thread. If the loop has terminated by the time the call
     * returns, the stage fails there and then with the loop's {@code RejectedExecutionException},
     * so nobody waits for it forever.
     *
     * @throws WorkRejectedException at once, without running {@code call}, when {@link #maxTasks()}
     *                               calls are running or waiting, after {@link #close()}, or when
     *                               the executor refuses
     */
    public <T> CompletionStage<T> submit(EventLoop loop, Callable<T> call) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(call, "call");
        if (closed) {
            throw new WorkRejectedException(this + " is closed", maxTasks, null);
        }
        if (!tryAcquire()) {
            throw new WorkRejectedException("all " + maxTasks + " blocking calls allowed at once are running or waiting",
                    maxTasks, null);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> run(loop, call, result));
        } catch (RejectedExecutionException refused) {
            inFlight.decrementAndGet();
            throw new WorkRejectedException("the executor refused the call", maxTasks, refused);
        }
        return result;
    }

    private boolean tryAcquire() {
        int now;
        do {
            now = inFlight.get();
            if (now >= maxTasks) {
                return false;
            }
        } while (!inFlight.compareAndSet(now, now + 1));
        return true;
    }

    /** On the executor: the call, then its outcome handed to the loop. */
    private <T> void run(EventLoop loop, Callable<T> call, CompletableFuture<T> result) {
        T value = null;
        Throwable failure = null;
        try {
            value = call.call();
        } catch (Throwable t) {
            failure = t;
        } finally {
            // The call is over: its slot is free even while its answer waits for the loop.
            inFlight.decrementAndGet();
        }
        T answer = value;
        Throwable thrown = failure;
        try {
            loop.execute(() -> complete(result, answer, thrown));
        } catch (RejectedExecutionException loopEnded) {
            if (thrown != null) {
                loopEnded.addSuppressed(thrown);
            }
            result.completeExceptionally(loopEnded);
        }
        if (thrown != null) {
            // An out-of-memory error still fails the stage above, then reaches the thread's own handler.
            EventLoop.rethrowIfFatal(thrown);
        }
    }

    private static <T> void complete(CompletableFuture<T> result, T value, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(value);
        }
    }

    /** How many calls may run or wait at once. */
    public int maxTasks() {
        return maxTasks;
    }

    /** How many calls are running or waiting for a thread now. Thread-safe. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Refuses new calls from now on; calls already submitted still run and are answered. Shuts
     * down the executor {@link #create()} made, not one given to {@link #using}. Thread-safe;
     * idempotent.
     */
    @Override
    public void close() {
        closed = true;
        if (owned != null) {
            owned.shutdown();
        }
    }

    @Override
    public String toString() {
        return "BlockingWork[" + executorDescription + ", " + inFlight.get() + "/" + maxTasks + " in flight"
                + (closed ? ", closed" : "") + "]";
    }
}
