package io.eddy.core.loop;

import io.eddy.core.internal.LoopConnections;
import io.eddy.core.internal.LoopDriving;
import io.eddy.core.internal.LoopTesting;
import io.eddy.core.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, one {@link Selector}: the reactor every Eddy channel lives on.
 *
 * <p>A loop runs on a thread of its own ({@link #start(String)}) or on the caller's thread
 * ({@link #run()}), so an application can embed it. Each cycle reads top to bottom:
 *
 * <pre>
 *   select (sleeps until I/O, a task, or the nearest timer)
 *     → ready channels: accept / connect / read / write
 *     → tasks handed in with {@link #execute} (those queued so far; what they queue runs next cycle)
 *     → due timers ({@link #schedule})
 *     → end-of-cycle work ({@link #atCycleEnd}): one flush per connection for all it wrote
 * </pre>
 *
 * <p><b>Threading.</b> Everything registered on a loop runs on its thread, so handlers need no
 * locks. From other threads use only {@link #execute}, {@link #schedule}, {@link #shutdown},
 * {@link #close} and the await methods, which are thread-safe ({@code execute} and
 * {@code schedule} throw {@code RejectedExecutionException} once the loop has terminated); the rest
 * is loop-thread only. A task or handler that throws (a stack overflow included) is logged and the
 * loop goes on; a fatal error ({@code OutOfMemoryError}, {@code InternalError}) ends the loop, and
 * its channels are closed first. A watchdog warns, with the loop's stack,
 * when one cycle holds the thread longer than {@link Builder#stallThreshold} (200 ms by default).
 *
 * <p><b>Figures.</b> {@link #openConnections()}, {@link #busyRatio()}, {@link #pendingTasks()},
 * {@link #stallsReported()}, {@link #wakeups()} (or all of them in one {@link #stats()}) are
 * readable from any thread; the loop keeps them with plain counters and publishes them without a
 * lock. A group's {@link LoopChooser} weighs them to place new connections, and a loop built with
 * {@link Builder#metrics} registers them as {@code eddy.loop.*} figures.
 *
 * <p><b>Closing.</b> {@link #shutdown(Duration)} closes in three phases: listeners stop accepting;
 * every connection is told the loop is closing (its handler's {@code onLoopClosing}, which by
 * default flushes what is queued and closes) and may finish what it is doing; at the deadline
 * whatever is left is forced closed. Then the thread ends and the returned future completes.
 */
public final class EventLoop implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(5);
    private static final long CLOSING_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int DEFAULT_READ_BUFFER = 64 * 1024;
    /** At most this many tasks per cycle, so a flood from other threads cannot starve I/O. */
    private static final int MAX_TASKS_PER_CYCLE = 4096;
    /** The loop running on each thread, so blocking conveniences can refuse to run on one. */
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();
    /** A loop driven in memory that is still busy after this many cycles at one instant is stuck. */
    private static final int MAX_DRIVEN_CYCLES = 100_000;

    private enum State { NEW, RUNNING, CLOSING, TERMINATED }

    private final String name;
    private final TimeSource time;
    private final long stallThresholdNanos;
    /**
     * Opened when the loop first runs or registers a channel (loop thread), so a loop driven in
     * memory by a test, which carries no sockets, holds no file descriptors. Published to other
     * threads (a wake-up) through {@link #sleeping}, which is set only after it is open.
     */
    private Selector selector;
    private final ByteBuffer readBuffer;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** This cycle's tasks, taken from {@link #tasks}. Loop thread only. */
    private final ArrayDeque<Runnable> runnable = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final List<Runnable> cycleEnd = new ArrayList<>();
    private final List<Runnable> cycleEndRunning = new ArrayList<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final AtomicLong stalls = new AtomicLong();
    /** Connections handed to this loop and not yet closed: see {@link LoopConnections}. */
    private final AtomicInteger connections = new AtomicInteger();
    /** Tasks ever handed in; minus {@link #tasksTaken}, the tasks waiting. Cheap under contention. */
    private final LongAdder tasksHandedIn = new LongAdder();
    /** Tasks the loop has taken from the queue; written by the loop thread alone. */
    private volatile long tasksTaken;
    private final BusyMeter busy = new BusyMeter();
    /** Returns from {@code select}: written by the loop thread alone, with an opaque store. */
    private long wakeups;
    private static final VarHandle WAKEUPS;
    /** This loop's figures in the builder's metrics, taken away when it terminates; or null. */
    private volatile Metrics.Registration metricsRegistration;

    private volatile State state = State.NEW;
    private volatile Thread thread;
    private volatile long busySinceNanos;
    private volatile long stallReportedFor;
    private long closeDeadlineNanos;

    private EventLoop(Builder builder) {
        this.name = builder.name;
        this.time = builder.time;
        this.stallThresholdNanos = builder.stallThreshold.toNanos();
        this.readBuffer = ByteBuffer.allocate(builder.readBufferSize);
    }

    static {
        try {
            WAKEUPS = MethodHandles.lookup().findVarHandle(EventLoop.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        LoopDriving.expose(new Driver());
        LoopTesting.expose(new TestHooks());
        LoopConnections.expose(new LoopConnections.Counter() {
            @Override
            public void added(EventLoop loop) {
                loop.connections.incrementAndGet();
            }

            @Override
            public void removed(EventLoop loop) {
                loop.connections.decrementAndGet();
            }
        });
    }

    /** Starts a loop with default settings on a new thread named {@code name}. */
    public static EventLoop start(String name) {
        return builder().name(name).start();
    }

    /** Settings for a new loop. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the loop on the calling thread until it has closed. Use this to embed a loop in a thread
     * the application owns; {@link #start(String)} does it on a new thread.
     *
     * @throws IllegalStateException if the loop was already started, or was shut down before it ran
     */
    public void run() {
        claimCallingThread();
        runCycles();
    }

    /** Makes the calling thread the loop thread of this loop, which never ran. */
    private void claimCallingThread() {
        synchronized (this) {
            if (state != State.NEW) {
                throw new IllegalStateException(whyNotRunnable());
            }
            thread = Thread.currentThread();
            state = State.RUNNING;
        }
    }

    /** Why {@link #run()} refuses: a loop runs once, and one shut down before it ran never does. */
    private String whyNotRunnable() {
        return switch (state) {
            case TERMINATED -> "event loop '" + name + "' has terminated; a loop cannot run after shutdown";
            case CLOSING -> "event loop '" + name + "' is shutting down";
            default -> "event loop '" + name + "' was already started";
        };
    }

    private void runCycles() {
        if (stallThresholdNanos > 0) {
            Watchdog.watch(this);
        }
        EventLoop outer = enter();
        try {
            selector();
            while (state != State.TERMINATED) {
                select();
                cycle();
            }
        } catch (Throwable fatal) {
            terminate(fatal);
            throw fatal;
        } finally {
            exit(outer);
        }
        terminate(null);
    }

    /** One cycle after the select: ready channels, tasks, due timers, end-of-cycle work. */
    private void cycle() {
        busySinceNanos = stallThresholdNanos > 0 ? System.nanoTime() : 0;
        processReadyChannels();
        runTasks();
        runDueTimers();
        runCycleEnd();
        if (state == State.CLOSING) {
            checkClosed();
        }
        busySinceNanos = 0;
    }

    /**
     * Makes this loop the calling thread's {@link #current()} and returns the loop that was before,
     * for {@link #exit}: code run by this loop on a thread that belongs to another (a never-run
     * loop closed from there) must leave that loop current afterwards, or the thread would pass
     * for a plain thread and blocking conveniences would stall it.
     */
    private EventLoop enter() {
        EventLoop outer = CURRENT.get();
        CURRENT.set(this);
        return outer;
    }

    private static void exit(EventLoop outer) {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /** The loop's name, which is also its thread's name when it runs on a thread of its own. */
    public String name() {
        return name;
    }

    /**
     * The loop whose thread is the calling thread, or null on any other thread. Code that blocks
     * (a convenience that waits for an answer) checks it to fail fast rather than stall a loop.
     */
    public static EventLoop current() {
        return CURRENT.get();
    }

    /** Whether the calling thread is this loop's thread. */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /** Whether the loop has neither started closing nor closed. */
    public boolean isRunning() {
        State s = state;
        return s == State.NEW || s == State.RUNNING;
    }

    /** The current time of this loop's {@link TimeSource}, in nanoseconds. Thread-safe. */
    public long nanoTime() {
        return time.nanoTime();
    }

    /**
     * The wall clock of this loop's {@link TimeSource}, in milliseconds since the epoch: what a
     * protocol puts on the wire as a date. Thread-safe.
     */
    public long currentTimeMillis() {
        return time.currentTimeMillis();
    }

    /** The time source this loop reads (the system's unless its builder was given another). */
    public TimeSource timeSource() {
        return time;
    }

    /**
     * Runs {@code task} on the loop thread, after what is already queued. Thread-safe; wakes the
     * selector at most once per batch of tasks.
     *
     * @throws RejectedExecutionException if the loop has terminated
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state == State.TERMINATED) {
            throw new RejectedExecutionException("event loop '" + name + "' has terminated");
        }
        tasks.add(task);
        tasksHandedIn.increment();
        if (state == State.TERMINATED && tasks.remove(task)) {
            tasksHandedIn.decrement();
            throw new RejectedExecutionException("event loop '" + name + "' has terminated");
        }
        if (!inEventLoop() && sleeping.compareAndSet(true, false)) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code task} on the loop thread once {@code delay} has passed. Thread-safe. Timers with
     * the same deadline run in the order they were scheduled.
     *
     * @return the handle that cancels the task
     * @throws RejectedExecutionException if the loop has terminated
     */
    public ScheduledTask schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        long deadline = time.nanoTime() + Math.max(0, delay.toNanos());
        ScheduledTask scheduled = timers.newTask(deadline, task);
        if (inEventLoop()) {
            timers.add(scheduled);
        } else {
            execute(() -> timers.add(scheduled));
        }
        return scheduled;
    }

    /**
     * Runs {@code task} once at the end of the current cycle, after I/O, tasks and timers: the place
     * to batch work such as one flush for everything a connection wrote during the cycle. Loop
     * thread only.
     */
    public void atCycleEnd(Runnable task) {
        assertInLoop();
        cycleEnd.add(task);
    }

    /**
     * Registers {@code channel} (already non-blocking) for {@code ops}; readiness is reported to
     * {@code handler}. Loop thread only. While the loop is closing, the handler is told so in the
     * next cycle.
     */
    public SelectionKey register(SelectableChannel channel, int ops, IoHandler handler)
            throws ClosedChannelException {
        assertInLoop();
        if (state == State.TERMINATED) {
            throw new ClosedChannelException();
        }
        SelectionKey key = channel.register(selector(), ops, handler);
        if (state == State.CLOSING) {
            // Not from inside register: the caller has not finished setting the channel up.
            execute(() -> {
                if (key.isValid()) {
                    handler.onLoopClosing();
                }
            });
        }
        return key;
    }

    /**
     * The loop's read buffer: transports read into it, decode from it, and keep only the bytes
     * that do not yet form a message. Loop thread only; its contents are valid until the next read.
     */
    public ByteBuffer readBuffer() {
        assertInLoop();
        return readBuffer;
    }

    /**
     * Begins a graceful close, in three phases: listeners stop accepting; every connection is told
     * the loop is closing (its handler's {@code onLoopClosing}: by default it flushes what it queued
     * and closes) and may finish what it is doing; at {@code deadline} whatever is left is closed at
     * once. Returns immediately with the future that completes when the loop has terminated (as
     * {@link #terminationFuture()}); thread-safe; a second call changes nothing and returns the same
     * kind of future. A loop that was made but never run terminates
     * within this call: work it was handed (a server to register, a connect to start) is started
     * and closed at once on the calling thread, without a cycle and without waiting for I/O, and
     * {@link #run()} then refuses to run it.
     */
    public CompletableFuture<Void> shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        boolean neverRan;
        synchronized (this) {
            // (A loop that start() gave a thread is RUNNING already, even before the thread runs.)
            neverRan = state == State.NEW;
            if (neverRan) {
                thread = Thread.currentThread();
                state = State.CLOSING;
            }
        }
        if (neverRan) {
            closeNeverRun();
            return terminationFuture();
        }
        try {
            execute(() -> beginClosing(deadline));
        } catch (RejectedExecutionException alreadyTerminated) {
            log.debug("event loop '{}' already terminated", name);
        }
        return terminationFuture();
    }

    /**
     * Phase one of a group's shutdown: every listener on this loop stops accepting, while the rest
     * goes on. The future completes once that has run (at once if the loop has terminated), so the
     * group can start phase two only after no loop accepts any more. Thread-safe.
     */
    CompletableFuture<Void> stopAccepting() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            execute(() -> {
                tellStopAccepting();
                done.complete(null);
            });
        } catch (RejectedExecutionException alreadyTerminated) {
            done.complete(null);
        }
        return done;
    }

    /**
     * Ends a loop that never ran, on the calling thread and without a cycle. Running its cycles
     * here would hold the caller (perhaps another loop's thread) until the deadline. Instead the
     * work it was handed runs now, while the loop counts as closing, so each piece is told at once
     * that the loop closes (a listener closes, a connect fails); what is still registered after
     * that is force-closed. The caller's own loop stays its {@link #current()}.
     */
    private void closeNeverRun() {
        EventLoop outer = enter();
        try {
            while (!tasks.isEmpty()) {
                runTasks();
                runCycleEnd();
            }
            terminate(null);
        } catch (Throwable fatal) {
            terminate(fatal);
            throw fatal;
        } finally {
            exit(outer);
            // Terminated, it owns no thread: the caller's thread must not pass for this loop's.
            thread = null;
        }
    }

    /**
     * Closes the loop gracefully with a 5-second deadline and waits until it has terminated
     * (unless called on the loop thread itself, which cannot wait for itself).
     */
    @Override
    public void close() {
        shutdown(DEFAULT_CLOSE_DEADLINE);
        if (!inEventLoop()) {
            awaitTermination();
        }
    }

    /**
     * Waits until the loop has terminated.
     *
     * @throws java.util.concurrent.CompletionException if it ended on a fatal error
     */
    public void awaitTermination() {
        termination.join();
    }

    /** Waits at most {@code timeout} for the loop to terminate; true if it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        try {
            termination.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    /** Completes when the loop has terminated. */
    public CompletableFuture<Void> terminationFuture() {
        return termination.copy();
    }

    /** How many stalls the watchdog has reported for this loop. Thread-safe. */
    public long stallsReported() {
        return stalls.get();
    }

    /**
     * Connections on this loop: those a TCP server or client has handed to it (already counted
     * while the hand-off is under way) and that have not closed. Thread-safe.
     */
    public int openConnections() {
        return connections.get();
    }

    /**
     * The share of wall time this loop spent outside {@code select} (handling I/O, tasks and
     * timers) over its last window of about a second: 0 idle, 1 saturated. Thread-safe.
     */
    public double busyRatio() {
        return busy.ratio(sleeping.get());
    }

    /** Tasks handed in with {@link #execute} that the loop has not taken yet. Thread-safe. */
    public long pendingTasks() {
        return Math.max(0, tasksHandedIn.sum() - tasksTaken);
    }

    /**
     * How many times the loop has come back from {@code select} (each time, one cycle of I/O,
     * tasks and timers follows): its wake-ups since it started. Thread-safe.
     */
    public long wakeups() {
        return (long) WAKEUPS.getOpaque(this);
    }

    /** All of this loop's figures at once. Thread-safe. */
    public LoopStats stats() {
        return new LoopStats(name, openConnections(), busyRatio(), pendingTasks(), stallsReported(), wakeups());
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + ", " + state + "]";
    }

    // ---- the cycle ----

    private void select() {
        long timeoutNanos = timers.nanosUntilNext(time.nanoTime());
        if (state == State.CLOSING) {
            timeoutNanos = timeoutNanos < 0 ? CLOSING_POLL_NANOS : Math.min(timeoutNanos, CLOSING_POLL_NANOS);
        }
        long selectStart = System.nanoTime();
        try {
            sleeping.set(true);
            if (!tasks.isEmpty() || timeoutNanos == 0) {
                selector.selectNow();
            } else if (timeoutNanos < 0) {
                selector.select();
            } else {
                // Round up: waking a little late is fine, waking early only spins.
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
            }
        } catch (IOException e) {
            log.warn("event loop '{}': select failed", name, e);
        } finally {
            sleeping.set(false);
            busy.selected(selectStart, System.nanoTime());
            // An opaque store: on common hardware a plain one, yet never lost to readers.
            WAKEUPS.setOpaque(this, wakeups + 1);
        }
    }

    private void processReadyChannels() {
        if (selector == null) {
            return;
        }
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            if (!key.isValid()) {
                continue;
            }
            onReady(key, key.readyOps());
        }
    }

    /** Tells the key's handler what is ready; a handler that throws is closed, the loop goes on. */
    private void onReady(SelectionKey key, int readyOps) {
        IoHandler handler = (IoHandler) key.attachment();
        try {
            handler.onReady(readyOps);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.error("event loop '{}': I/O handler {} failed; closing its channel", name, handler, t);
            forceClose(handler);
        }
    }

    private void runTasks() {
        // The tasks queued so far, not those they queue in turn (those run next cycle), so a task
        // that queues another cannot starve I/O. Moved to a loop-local queue first: counting the
        // concurrent queue would walk all of it.
        Runnable task;
        int taken = 0;
        while (taken < MAX_TASKS_PER_CYCLE && (task = tasks.poll()) != null) {
            runnable.add(task);
            taken++;
        }
        if (taken > 0) {
            // One volatile write per cycle with tasks; the loop is the only writer.
            tasksTaken = tasksTaken + taken;
        }
        while ((task = runnable.poll()) != null) {
            runSafely(task, "task");
        }
    }

    private void runDueTimers() {
        long now = time.nanoTime();
        ScheduledTask due;
        while ((due = timers.pollDue(now)) != null) {
            runSafely(due.start(), "timer");
        }
    }

    private void runCycleEnd() {
        while (!cycleEnd.isEmpty()) {
            cycleEndRunning.addAll(cycleEnd);
            cycleEnd.clear();
            for (int i = 0; i < cycleEndRunning.size(); i++) {
                runSafely(cycleEndRunning.get(i), "end-of-cycle task");
            }
            cycleEndRunning.clear();
        }
    }

    private void runSafely(Runnable task, String what) {
        try {
            task.run();
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.error("event loop '{}': {} {} threw; the loop goes on", name, what, task, t);
        }
    }

    // ---- closing ----

    private void beginClosing(Duration deadline) {
        if (state != State.RUNNING) {
            return;
        }
        state = State.CLOSING;
        closeDeadlineNanos = time.nanoTime() + deadline.toNanos();
        // Phase one before phase two, so no listener takes a connection after the others were told.
        tellStopAccepting();
        log.debug("event loop '{}' closing; {} channels registered", name, registeredKeys().size());
        tellEveryChannel(IoHandler::onLoopClosing, "close gracefully");
    }

    /** Tells every registered channel to stop accepting (only listeners act on it). Loop thread only. */
    private void tellStopAccepting() {
        tellEveryChannel(IoHandler::onStopAccepting, "stop accepting");
    }

    /** Tells each channel still registered; one that throws is forced closed. Loop thread only. */
    private void tellEveryChannel(Consumer<IoHandler> message, String what) {
        for (SelectionKey key : registeredKeys()) {
            IoHandler handler = (IoHandler) key.attachment();
            if (key.isValid()) {
                try {
                    message.accept(handler);
                } catch (Throwable t) {
                    rethrowIfFatal(t);
                    log.warn("event loop '{}': {} failed to {}", name, handler, what, t);
                    forceClose(handler);
                }
            }
        }
    }

    private void checkClosed() {
        boolean anyOpen = false;
        for (SelectionKey key : registeredKeys()) {
            if (key.isValid()) {
                anyOpen = true;
                break;
            }
        }
        if (anyOpen && time.nanoTime() - closeDeadlineNanos < 0) {
            return;
        }
        if (anyOpen) {
            log.info("event loop '{}': close deadline passed; closing remaining channels now", name);
            for (SelectionKey key : registeredKeys()) {
                if (key.isValid()) {
                    forceClose((IoHandler) key.attachment());
                }
            }
        }
        runTasks();
        runCycleEnd();
        state = State.TERMINATED;
    }

    private void forceClose(IoHandler handler) {
        try {
            handler.onForceClose();
        } catch (Throwable t) {
            rethrowIfFatal(t);
            log.warn("event loop '{}': {} failed to close", name, handler, t);
        }
    }

    private void terminate(Throwable fatal) {
        state = State.TERMINATED;
        Watchdog.unwatch(this);
        Metrics.Registration registered = metricsRegistration;
        if (registered != null) {
            registered.close();
        }
        if (fatal != null) {
            log.error("event loop '{}' ends on a fatal error; closing its channels", name, fatal);
        }
        // Whatever is still registered (a fatal error skipped the graceful close) is closed, so
        // peers see it and every handler hears onClose.
        if (selector != null && selector.isOpen()) {
            for (SelectionKey key : registeredKeys()) {
                if (key.isValid()) {
                    forceClose((IoHandler) key.attachment());
                }
            }
        }
        // Tasks that raced with termination still run, so nobody waits forever on their effect.
        Runnable task;
        while ((task = runnable.poll()) != null || (task = tasks.poll()) != null) {
            runSafely(task, "task");
        }
        timers.clear();
        closeSelector();
        if (fatal != null) {
            termination.completeExceptionally(fatal);
        } else {
            termination.complete(null);
        }
        log.debug("event loop '{}' terminated", name);
    }

    /** The loop's selector, opened on first use. Loop thread only. */
    private Selector selector() {
        if (selector == null) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a selector for event loop '" + name + "'", e);
            }
        }
        return selector;
    }

    /** A copy of the registered keys (none before the selector is opened). Loop thread only. */
    private List<SelectionKey> registeredKeys() {
        return selector == null ? List.of() : List.copyOf(selector.keys());
    }

    private void closeSelector() {
        if (selector == null) {
            return;
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.warn("event loop '{}': closing the selector failed", name, e);
        }
    }

    private void assertInLoop() {
        if (!inEventLoop()) {
            throw new IllegalStateException("must be called on the thread of event loop '" + name
                    + "', not on " + Thread.currentThread().getName());
        }
    }

    /**
     * The loop's rule for a failure caught from code it runs: a fatal error (a
     * {@code VirtualMachineError}: out of memory, an internal error) is rethrown so that it ends
     * the loop, whose channels are then force-closed; anything else, a stack overflow included (one
     * handler's bug, and unwinding has freed the stack), returns, for the caller to handle as that
     * code's own failure. Protocol modules that run user callbacks on a loop apply the same rule.
     * Thread-safe (stateless).
     */
    public static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError error && !(t instanceof StackOverflowError)) {
            throw error;
        }
    }

    // ---- driven cycle by cycle from a test's thread, in memory (see LoopDriving) ----

    /**
     * Runs cycles on the calling thread (the loop's), never sleeping, until nothing is left to do
     * at the current time: no task queued, no timer due.
     *
     * @throws IllegalStateException if work keeps coming for {@value #MAX_DRIVEN_CYCLES} cycles (a
     *                               task that re-queues itself, a timer re-armed with no delay)
     */
    private void runUntilIdle() {
        assertInLoop();
        int cycles = 0;
        while (state != State.TERMINATED && (cycles == 0 || hasWorkNow())) {
            if (++cycles > MAX_DRIVEN_CYCLES) {
                throw new IllegalStateException("event loop '" + name + "' still has work after "
                        + MAX_DRIVEN_CYCLES + " cycles without time passing: something re-queues itself");
            }
            runOneCycleNow();
        }
    }

    private boolean hasWorkNow() {
        return !tasks.isEmpty() || timers.nanosUntilNext(time.nanoTime()) == 0;
    }

    private void runOneCycleNow() {
        EventLoop outer = enter();
        try {
            if (selector != null) {
                selector.selectNow();
            }
            cycle();
        } catch (IOException e) {
            log.warn("event loop '{}': select failed", name, e);
        } catch (Throwable fatal) {
            terminate(fatal);
            throw fatal;
        } finally {
            exit(outer);
        }
        if (state == State.TERMINATED) {
            terminate(null);
        }
    }

    /** What {@link LoopDriving} hands the test loop. */
    private static final class Driver implements LoopDriving.Driver {
        @Override
        public void bindToCallingThread(EventLoop loop) {
            loop.claimCallingThread();
        }

        @Override
        public void runUntilIdle(EventLoop loop) {
            loop.runUntilIdle();
        }

        @Override
        public long nanosUntilNextTimer(EventLoop loop) {
            loop.assertInLoop();
            return loop.timers.nanosUntilNext(loop.time.nanoTime());
        }
    }

    /** What {@link LoopTesting} hands tests. */
    private static final class TestHooks implements LoopTesting.Hooks {
        @Override
        public int registeredKeys(EventLoop loop) {
            loop.assertInLoop();
            return loop.registeredKeys().size();
        }

        @Override
        public int liveTimers(EventLoop loop) {
            loop.assertInLoop();
            return loop.timers.live();
        }

        @Override
        public void wakeUp(EventLoop loop) {
            // As execute does: the selector is published to other threads by the sleeping flag.
            if (loop.sleeping.get()) {
                loop.selector.wakeup();
            }
        }

        @Override
        public void reportEveryKeyReady(EventLoop loop) {
            loop.assertInLoop();
            for (SelectionKey key : loop.registeredKeys()) {
                if (key.isValid()) {
                    loop.onReady(key, key.interestOps());
                }
            }
        }
    }

    // ---- watchdog hooks ----

    long stallThresholdNanos() {
        return stallThresholdNanos;
    }

    long busySinceNanos() {
        return busySinceNanos;
    }

    Thread thread() {
        return thread;
    }

    boolean markStallReported(long busySince) {
        if (stallReportedFor == busySince) {
            return false;
        }
        stallReportedFor = busySince;
        return true;
    }

    void onStall(long nanos) {
        stalls.incrementAndGet();
    }

    /** Settings for an {@link EventLoop}; every one has a default. Not thread-safe. */
    public static final class Builder {
        private String name = "eddy-loop";
        private TimeSource time = TimeSource.system();
        private Duration stallThreshold = Duration.ofMillis(200);
        private int readBufferSize = DEFAULT_READ_BUFFER;
        private boolean daemon;
        private Metrics metrics = Metrics.none();

        private Builder() {
        }

        /**
         * Registers the loop's figures with {@code metrics} (default {@link Metrics#none()}: none),
         * labelled with its name, which must then be unique among the loops registered there: its
         * busy ratio, open connections, pending tasks, wake-ups and stalls, which the loop keeps
         * anyway, so this costs the loop nothing. They are taken away when the loop terminates.
         */
        public Builder metrics(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** The loop's name and its thread's name (default {@code eddy-loop}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Where timers read the time (default {@link TimeSource#system()}). */
        public Builder timeSource(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /** How long one cycle may hold the thread before the watchdog warns (default 200 ms; zero turns it off). */
        public Builder stallThreshold(Duration threshold) {
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("stallThreshold must not be negative: " + threshold);
            }
            this.stallThreshold = threshold;
            return this;
        }

        /** Size of the loop's read buffer (default 64 KiB, at least 1 KiB). */
        public Builder readBufferSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("readBufferSize must be at least 1024: " + bytes);
            }
            this.readBufferSize = bytes;
            return this;
        }

        /** Whether the loop's own thread is a daemon thread (default false: it keeps the JVM alive). */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * Makes the loop without starting it: the caller runs it with {@link EventLoop#run()}. (As
         * with every builder in Eddy, {@code build()} makes an object not yet running and
         * {@code start()} a running one.)
         */
        public EventLoop build() {
            EventLoop loop = new EventLoop(this);
            // Once it is whole: a scrape on another thread may read it as soon as it is registered.
            if (metrics.isEnabled()) {
                loop.metricsRegistration = metrics.register(LoopMetrics.families(loop));
            }
            return loop;
        }

        /** Makes the loop and starts it on a new thread named after it. */
        public EventLoop start() {
            EventLoop loop = build();
            // Here, so a loop that cannot have a selector fails its caller, not its new thread.
            loop.selector();
            Thread t = new Thread(loop::runCycles, name);
            t.setDaemon(daemon);
            // Running from here on, so a shutdown racing with the thread's start still waits for it.
            loop.thread = t;
            loop.state = State.RUNNING;
            t.start();
            return loop;
        }
    }
}
