package io.eddy.udp.internal;

import io.eddy.udp.UdpCounters;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters of one endpoint, behind {@link UdpCounters} snapshots.
 *
 * <p>Threading: what only the loop thread counts (traffic, malformed datagrams, handler
 * failures) is a volatile field with that one writer, so counting costs a plain store; what other
 * threads count too (drops at the hand-off, sends after close) is atomic. Any thread may take a
 * {@link #snapshot()}. The methods that count a failure return the count so far, so the caller
 * can log the first and every thousandth ({@link #worthLogging}).
 */
public final class Counters {

    private volatile long datagramsIn;
    private volatile long bytesIn;
    private volatile long datagramsOut;
    private volatile long bytesOut;
    private volatile long droppedMalformed;
    private volatile long unreachable;
    private volatile long handlerFailures;
    private final AtomicLong droppedQueueFull = new AtomicLong();
    private final AtomicLong droppedUnsent = new AtomicLong();

    /** Whether the {@code count}-th failure of a kind should be logged loudly: the first, then every thousandth. */
    public static boolean worthLogging(long count) {
        return count == 1 || count % 1000 == 0;
    }

    /** A datagram of {@code bytes} arrived. Loop thread only. */
    public void received(int bytes) {
        datagramsIn++;
        bytesIn += bytes;
    }

    /** A datagram of {@code bytes} was handed to the operating system. Loop thread only. */
    public void sent(int bytes) {
        datagramsOut++;
        bytesOut += bytes;
    }

    /** A datagram received did not decode. Loop thread only. */
    public long malformed() {
        return ++droppedMalformed;
    }

    /** The network reported that an earlier datagram found no receiver. Loop thread only. */
    public long unreachable() {
        return ++unreachable;
    }

    /** The handler threw. Loop thread only. */
    public long handlerFailed() {
        return ++handlerFailures;
    }

    /** A datagram was dropped because the send queue was full. Any thread. */
    public long queueFull() {
        return droppedQueueFull.incrementAndGet();
    }

    /** A datagram was never sent: refused by the socket, or the endpoint closed. Any thread. */
    public long unsent() {
        return droppedUnsent.incrementAndGet();
    }

    /** The counters as they are now. Any thread. */
    public UdpCounters snapshot() {
        return new UdpCounters(datagramsIn, bytesIn, datagramsOut, bytesOut, droppedQueueFull.get(),
                droppedMalformed, droppedUnsent.get(), unreachable, handlerFailures);
    }
}
