package io.eddy.core.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct byte chunks that outbound queues copy small writes into, reused per thread so a loop
 * allocates none in the steady state. Chunks belong to the loop thread that took them and go back
 * when their bytes have been written.
 *
 * <p>Threading: one pool per thread ({@link #current()}); never shared.
 */
final class ChunkPool {

    static final int CHUNK_SIZE = 8 * 1024;
    /** Chunks kept for reuse per thread; more than that are left to the garbage collector. */
    private static final int MAX_POOLED = 256;
    private static final ThreadLocal<ChunkPool> POOLS = ThreadLocal.withInitial(ChunkPool::new);

    private static final Logger log = LoggerFactory.getLogger(ChunkPool.class);
    private static volatile boolean warnedHeapFallback;

    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    /** Chunks acquired and not yet released: a test's measure of leaks ({@link LoopLedger}). */
    private int lent;

    private ChunkPool() {
    }

    static ChunkPool current() {
        return POOLS.get();
    }

    /** An empty chunk in read mode: position 0, limit 0; append by raising the limit. */
    ByteBuffer acquire() {
        ByteBuffer chunk = free.pollLast();
        if (chunk == null) {
            chunk = allocate();
        }
        lent++;
        chunk.position(0).limit(0);
        return chunk;
    }

    /**
     * A new direct chunk, or a heap one when direct memory is used up: peers that do not read can
     * fill the direct memory limit together, and that must cost a copy per write, not the loop.
     */
    private static ByteBuffer allocate() {
        try {
            return ByteBuffer.allocateDirect(CHUNK_SIZE);
        } catch (OutOfMemoryError directMemoryExhausted) {
            if (!warnedHeapFallback) {
                warnedHeapFallback = true;
                log.warn("direct memory exhausted ({}); outbound chunks now come from the heap",
                        directMemoryExhausted.getMessage());
            }
            return ByteBuffer.allocate(CHUNK_SIZE);
        }
    }

    void release(ByteBuffer chunk) {
        lent--;
        if (free.size() < MAX_POOLED) {
            free.addLast(chunk);
        }
    }

    /** Chunks acquired and not yet released on this thread. */
    int lent() {
        return lent;
    }
}
