package io.eddy.core.loop;

import io.eddy.core.metrics.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several {@link EventLoop}s, one thread each, that servers and clients spread their connections
 * over: one loop per core when one core is not enough. Each loop is an ordinary {@code EventLoop}
 * (its watchdog, its timers), named {@code <name>-0 … <name>-(N-1)}; a connection still lives on
 * one loop for life.
 *
 * <pre>{@code
 * try (EventLoopGroup group = EventLoopGroup.start("server")) {   // one loop per processor
 *     TcpServer.on(group).bind(9998).codec(LineCodec::new).handler(echo).start();
 *     ...
 *     group.shutdown(Duration.ofSeconds(10)).join();
 * }
 * }</pre>
 *
 * <p>{@link #choose()} picks the loop of each new connection with the group's {@link LoopChooser}
 * (least connections unless the builder names another).
 *
 * <p><b>Shutdown</b> runs in phases across all loops: (1) every loop's listeners stop accepting,
 * and only once all have, (2) every connection is told its loop is closing (its handler's
 * {@code onLoopClosing}, which by default flushes what it queued and closes) and may finish its
 * work, (3) at the deadline what is left is forced closed. The future completes when every loop
 * has terminated.
 *
 * <p><b>Threading.</b> Immutable once started; every method is thread-safe.
 */
public final class EventLoopGroup implements AutoCloseable, Iterable<EventLoop> {

    private static final Logger log = LoggerFactory.getLogger(EventLoopGroup.class);
    private static final Duration DEFAULT_CLOSE_DEADLINE = Duration.ofSeconds(5);

    private final String name;
    private final List<EventLoop> loops;
    private final LoopChooser chooser;

    private EventLoopGroup(String name, List<EventLoop> loops, LoopChooser chooser) {
        this.name = name;
        this.loops = List.copyOf(loops);
        this.chooser = chooser;
    }

    /** Starts a group of one loop per available processor, with the default settings. */
    public static EventLoopGroup start(String name) {
        return builder().name(name).start();
    }

    /** Starts a group of {@code loops} loops, with the default settings. */
    public static EventLoopGroup start(String name, int loops) {
        return builder().name(name).loops(loops).start();
    }

    /** Settings for a new group. */
    public static Builder builder() {
        return new Builder();
    }

    /** The group's name, the prefix of its loops' names. */
    public String name() {
        return name;
    }

    /** The loops, in order ({@code <name>-0} first). Immutable. */
    public List<EventLoop> loops() {
        return loops;
    }

    /** How many loops the group has. */
    public int size() {
        return loops.size();
    }

    /** The loops, in order. */
    @Override
    public Iterator<EventLoop> iterator() {
        return loops.iterator();
    }

    /** The loop for a new connection, as the group's chooser picks it. */
    public EventLoop choose() {
        EventLoop chosen = chooser.choose(loops);
        if (chosen == null) {
            throw new IllegalStateException("chooser " + chooser + " returned no loop");
        }
        return chosen;
    }

    /** Every loop's figures, in the group's order. */
    public List<LoopStats> stats() {
        List<LoopStats> all = new ArrayList<>(loops.size());
        for (EventLoop loop : loops) {
            all.add(loop.stats());
        }
        return all;
    }

    /**
     * Shuts every loop down in phases (see the class comment) and returns the future that
     * completes when all have terminated. Returns at once; a second call changes nothing.
     */
    public CompletableFuture<Void> shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        CompletableFuture<?>[] stopped = new CompletableFuture<?>[loops.size()];
        for (int i = 0; i < stopped.length; i++) {
            stopped[i] = loops.get(i).stopAccepting();
        }
        // A loop stuck in a cycle must not hold the others past the deadline.
        CompletableFuture.allOf(stopped)
                .completeOnTimeout(null, Math.max(0, deadline.toNanos()), TimeUnit.NANOSECONDS)
                .whenComplete((ignored, failure) -> {
                    Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
                    log.debug("group '{}': listeners stopped; closing connections within {} ms", name, left.toMillis());
                    for (EventLoop loop : loops) {
                        loop.shutdown(left);
                    }
                });
        return terminationFuture();
    }

    /** Completes when every loop has terminated (exceptionally if one ended on a fatal error). */
    public CompletableFuture<Void> terminationFuture() {
        CompletableFuture<?>[] ends = new CompletableFuture<?>[loops.size()];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = loops.get(i).terminationFuture();
        }
        return CompletableFuture.allOf(ends);
    }

    /**
     * Shuts down with a 5-second deadline and waits until every loop has terminated (unless called
     * on one of the group's loops, which cannot wait for itself).
     */
    @Override
    public void close() {
        CompletableFuture<Void> ended = shutdown(DEFAULT_CLOSE_DEADLINE);
        EventLoop current = EventLoop.current();
        if (current == null || !loops.contains(current)) {
            ended.join();
        }
    }

    @Override
    public String toString() {
        return "EventLoopGroup[" + name + ", " + loops.size() + " loops, " + chooser + "]";
    }

    /**
     * Settings for an {@link EventLoopGroup}; every one has a default. The loop settings apply to
     * each loop as {@link EventLoop.Builder}'s do. Not thread-safe.
     */
    public static final class Builder {
        private final EventLoop.Builder loopSettings = EventLoop.builder();
        private String name = "eddy";
        private int loops = Runtime.getRuntime().availableProcessors();
        private LoopChooser chooser;

        private Builder() {
        }

        /** The group's name; its loops are {@code <name>-0 … <name>-(N-1)} (default {@code eddy}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** How many loops (default: the available processors). */
        public Builder loops(int loops) {
            if (loops < 1) {
                throw new IllegalArgumentException("loops must be positive: " + loops);
            }
            this.loops = loops;
            return this;
        }

        /** How each new connection's loop is picked (default {@link LoopChooser#leastConnections()}). */
        public Builder chooser(LoopChooser chooser) {
            this.chooser = Objects.requireNonNull(chooser, "chooser");
            return this;
        }

        /** As {@link EventLoop.Builder#stallThreshold}, for every loop. */
        public Builder stallThreshold(Duration threshold) {
            loopSettings.stallThreshold(threshold);
            return this;
        }

        /** As {@link EventLoop.Builder#timeSource}, for every loop. */
        public Builder timeSource(TimeSource time) {
            loopSettings.timeSource(time);
            return this;
        }

        /** As {@link EventLoop.Builder#readBufferSize}, for every loop. */
        public Builder readBufferSize(int bytes) {
            loopSettings.readBufferSize(bytes);
            return this;
        }

        /** As {@link EventLoop.Builder#daemon}, for every loop's thread. */
        public Builder daemon(boolean daemon) {
            loopSettings.daemon(daemon);
            return this;
        }

        /** As {@link EventLoop.Builder#metrics}: every loop's figures, each labelled with its name. */
        public Builder metrics(Metrics metrics) {
            loopSettings.metrics(metrics);
            return this;
        }

        /**
         * Starts every loop on its own thread. If one cannot start (no selector), those already
         * started are shut down and the failure is thrown.
         */
        public EventLoopGroup start() {
            List<EventLoop> started = new ArrayList<>(loops);
            try {
                for (int i = 0; i < loops; i++) {
                    started.add(loopSettings.name(name + "-" + i).start());
                }
            } catch (RuntimeException e) {
                started.forEach(loop -> loop.shutdown(Duration.ZERO));
                throw e;
            }
            LoopChooser picks = chooser != null ? chooser : LoopChooser.leastConnections();
            return new EventLoopGroup(name, started, picks);
        }
    }
}
