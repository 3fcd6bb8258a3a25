package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bytes a loop's thread has allocated so far, read on that thread: garbage counted where it is
 * made, without a profiler. Thread-safe.
 */
final class LoopAllocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private LoopAllocations() {
    }

    /** Bytes {@code loop}'s thread has allocated since it started. */
    static long of(EventLoop loop) {
        CompletableFuture<Long> bytes = new CompletableFuture<>();
        loop.execute(() -> bytes.complete(THREADS.getCurrentThreadAllocatedBytes()));
        return bytes.orTimeout(20, TimeUnit.SECONDS).join();
    }
}
