package io.eddy.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The datagrams an endpoint's handler sends while the endpoint delivers a batch of received ones:
 * kept, in order, in one direct buffer, and handed to the {@link SendQueue} when the batch ends.
 * Answering after the reads, not between them, is what Netty's flush at the end of a read does:
 * the socket is read while the peer is still sending, and the answers leave together. The buffer
 * is direct so that the system sends from it without the copy the JDK makes of a heap buffer; it
 * is allocated at the first datagram kept, so an endpoint that never answers during a delivery (a
 * sender, a requester, a quiet receiver) holds none.
 *
 * <p>A payload that does not fit in what is left, or a datagram past the {@value #MAX_DATAGRAMS}th,
 * sends what is kept first, so datagrams leave in the order they were sent; the buffer holds the
 * largest datagram. The count is bounded too: a handler that sends many empty (or tiny) datagrams
 * would otherwise grow the arrays of targets without limit, and they never shrink. Nothing is
 * allocated per datagram unless the socket is full (then the queue keeps a copy).
 *
 * <p>Threading: loop thread only.
 */
public final class SendBatch {

    /** More than the largest datagram (65,507 payload bytes), and 64 answers of 1 KiB. */
    static final int CAPACITY = 64 * 1024;
    /** At most this many datagrams are kept (as many as a send queue holds by default). */
    public static final int MAX_DATAGRAMS = 1024;

    private final SendQueue queue;
    /** Null until the first datagram is kept. */
    private ByteBuffer kept;
    /** A view of {@link #kept}, moved over each datagram in turn as it is sent. */
    private ByteBuffer view;
    private InetSocketAddress[] targets = new InetSocketAddress[64];
    /** Where each kept datagram ends in {@link #kept}. */
    private int[] ends = new int[64];
    private int count;

    /** A batch handing its datagrams to {@code queue}; its buffer is allocated at the first one kept. */
    public SendBatch(SendQueue queue) {
        this.queue = queue;
    }

    /** Keeps a copy of {@code payload}'s remaining bytes (its position does not move) for {@code target}. */
    public void add(InetSocketAddress target, ByteBuffer payload) {
        if (kept == null) {
            kept = ByteBuffer.allocateDirect(CAPACITY);
            view = kept.duplicate();
        }
        if (payload.remaining() > kept.remaining() || count == MAX_DATAGRAMS) {
            sendAll();
        }
        if (count == targets.length) {
            targets = Arrays.copyOf(targets, Math.min(count * 2, MAX_DATAGRAMS));
            ends = Arrays.copyOf(ends, targets.length);
        }
        int position = payload.position();
        kept.put(payload);
        payload.position(position);     // the caller's view is left as it was, without a duplicate per datagram
        targets[count] = target;
        ends[count] = kept.position();
        count++;
    }

    /** Whether datagrams are kept, waiting for {@link #sendAll}. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** Hands every kept datagram to the queue, in order: sent at once, or copied into the queue when the socket is full. */
    public void sendAll() {
        if (count == 0) {
            return;
        }
        // Emptied first: should anything below throw, what already left is never sent again.
        int datagrams = count;
        count = 0;
        kept.clear();
        int start = 0;
        for (int i = 0; i < datagrams; i++) {
            InetSocketAddress target = targets[i];
            targets[i] = null;
            view.limit(ends[i]).position(start);
            start = ends[i];
            if (!queue.sendNow(target, view)) {
                queue.enqueue(target, copyOf(view));
            }
        }
    }

    private static ByteBuffer copyOf(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload).flip();
        return copy;
    }
}
