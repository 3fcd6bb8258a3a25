package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A server's {@link ServerPipeline}s, one per loop that has connections: on a single loop there is
 * one; on a group each loop gets its own when its first connection arrives, so the open-connection
 * set and the {@code Date} timer stay on the loop they belong to and need no lock. Closing the
 * server closes each on its own loop, then runs {@code afterLastClosed} once (the server closes the
 * blocking work it made).
 *
 * <p>Threading: thread-safe. {@link #current()} is called on a loop thread (the listener makes a
 * connection's codec and handler on the loop that will own it).
 */
final class ServerPipelines {

    private final Function<EventLoop, ServerPipeline> factory;
    private final Runnable afterLastClosed;
    private final ConcurrentHashMap<EventLoop, ServerPipeline> byLoop = new ConcurrentHashMap<>();
    /** Pipelines made and not yet closed; the last to close, once closing, runs {@code afterLastClosed}. */
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closing;
    /** {@code afterLastClosed} runs once, even if a connection arrives on a new loop during the close. */
    private final AtomicBoolean finished = new AtomicBoolean();

    ServerPipelines(Function<EventLoop, ServerPipeline> factory, Runnable afterLastClosed) {
        this.factory = factory;
        this.afterLastClosed = afterLastClosed;
    }

    /** The pipeline of the loop the caller runs on. */
    ServerPipeline current() {
        EventLoop loop = EventLoop.current();
        if (loop == null) {
            throw new IllegalStateException("an HTTP connection's pipeline is made on its loop's thread");
        }
        return forLoop(loop);
    }

    /** The pipeline of {@code loop}, made (and its clock started) on first use. */
    ServerPipeline forLoop(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> {
            ServerPipeline pipeline = factory.apply(l);
            open.incrementAndGet();
            pipeline.startClock();
            if (closing) {
                closeOn(pipeline); // a connection handed over just as the server closed
            }
            return pipeline;
        });
    }

    /** Closes every pipeline gracefully, each on its own loop. */
    void closeAll() {
        closing = true;
        if (byLoop.isEmpty() && open.get() == 0) {
            finish();
            return;
        }
        byLoop.values().forEach(this::closeOn);
    }

    private void closeOn(ServerPipeline pipeline) {
        try {
            pipeline.loop().execute(() -> pipeline.closeAll(this::closed));
        } catch (RejectedExecutionException loopEnded) {
            closed(); // the loop closed every channel as it ended
        }
    }

    private void closed() {
        if (open.decrementAndGet() == 0 && closing) {
            finish();
        }
    }

    private void finish() {
        if (finished.compareAndSet(false, true)) {
            afterLastClosed.run();
        }
    }
}
