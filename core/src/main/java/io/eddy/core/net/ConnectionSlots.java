package io.eddy.core.net;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's count of open connections against its {@code maxConnections}: a slot is reserved
 * before a connection is set up and released when it closes, so the count is exact however many
 * loops accept and close connections at once.
 *
 * <p>Thread-safe: one atomic counter, reserved with compare-and-set so it never passes the limit.
 */
final class ConnectionSlots {

    private final int max;
    private final AtomicInteger used = new AtomicInteger();

    ConnectionSlots(int max) {
        this.max = max;
    }

    /** Takes a slot; false when all {@code max} are taken. */
    boolean tryReserve() {
        int now;
        do {
            now = used.get();
            if (now >= max) {
                return false;
            }
        } while (!used.compareAndSet(now, now + 1));
        return true;
    }

    /** Gives a slot back. */
    void release() {
        used.decrementAndGet();
    }

    /** Slots taken now. */
    int used() {
        return used.get();
    }

    int max() {
        return max;
    }
}
