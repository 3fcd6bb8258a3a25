package io.eddy.core.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed set of counters that one thread writes and any thread reads: what an endpoint keeps per
 * loop, so that counting costs a plain add and a store, with no lock, no atomic and no contention
 * between loops. A reader sums the loops' counters.
 *
 * <p>Threading: {@link #add} and {@link #increment} only from the owning thread (the loop's);
 * {@link #get} from any thread, which sees each counter as it was a moment ago (opaque access:
 * never torn, never lost, but not ordered with other memory).
 */
public final class LoopCounters {

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;

    /** {@code size} counters, all zero. */
    public LoopCounters(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        this.slots = new long[size];
    }

    /** Adds {@code amount} to counter {@code index}. Owning thread only. */
    public void add(int index, long amount) {
        // The owner is the only writer, so reading its own last store plainly is exact.
        SLOTS.setOpaque(slots, index, slots[index] + amount);
    }

    /** Adds one to counter {@code index}. Owning thread only. */
    public void increment(int index) {
        SLOTS.setOpaque(slots, index, slots[index] + 1);
    }

    /** Counter {@code index} as last stored. Any thread. */
    public long get(int index) {
        return (long) SLOTS.getOpaque(slots, index);
    }

    /** How many counters there are. */
    public int size() {
        return slots.length;
    }

    /** The sum of counter {@code index} over {@code counters}. Any thread. */
    public static long sum(Iterable<LoopCounters> counters, int index) {
        long sum = 0;
        for (LoopCounters c : counters) {
            sum += c.get(index);
        }
        return sum;
    }
}
