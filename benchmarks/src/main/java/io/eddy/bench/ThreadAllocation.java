package io.eddy.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of heap allocated so far by this JVM's live threads whose names start with a prefix: a
 * server's event loop threads. Read from the JVM's per-thread counters
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), which count every allocation
 * (the same as JMH's {@code -prof gc}) and cost nothing until read; a reading costs about a
 * millisecond. Only live threads count, which is why loop threads, alive for the whole run, are
 * the ones read.
 *
 * <p>Threading: safe from any thread.
 */
final class ThreadAllocation {

    private ThreadAllocation() {
    }

    /** The bytes the threads named {@code prefix...} have allocated; -1 where the JVM does not count them. */
    static long bytes(String prefix) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported() || !threads.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        List<Long> ids = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix)) {
                ids.add(thread.getId());
            }
        }
        long total = 0;
        for (long bytes : threads.getThreadAllocatedBytes(ids.stream().mapToLong(Long::longValue).toArray())) {
            // -1: the thread ended between the listing and the reading; it allocates no more.
            total += Math.max(0, bytes);
        }
        return total;
    }
}
