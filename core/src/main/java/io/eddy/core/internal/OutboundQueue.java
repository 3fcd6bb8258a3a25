package io.eddy.core.internal;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.net.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A connection's bytes waiting for the socket, written out with gathering writes.
 *
 * <p>Small writes are copied into pooled direct chunks (many small messages become one iovec);
 * large transferred buffers are queued as they are. The queue counts every byte it took and wrote,
 * so a {@link WriteListener} is told exactly when its message's last byte has left.
 *
 * <p>Threading: loop thread only.
 */
final class OutboundQueue implements ByteSink {

    /** Transferred buffers up to this size are copied into a chunk rather than queued alone. */
    private static final int COPY_THRESHOLD = 1024;
    private static final int MAX_GATHER = 64;
    private static final int MAX_WRITES_PER_FLUSH = 16;
    /** The most of one heap buffer offered to one write. */
    private static final int MAX_HEAP_WRITE = 256 * 1024;
    private static final ThreadLocal<ByteBuffer[]> GATHER = ThreadLocal.withInitial(() -> new ByteBuffer[MAX_GATHER]);

    private final ChunkPool pool;
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>(4);
    /** The chunk small writes are appended to; also the last of {@link #buffers}. Null if none. */
    private ByteBuffer tail;
    private long queuedTotal;
    private long writtenTotal;
    private ArrayDeque<PendingWrite> listeners;

    private record PendingWrite(long endOffset, WriteListener listener) {
    }

    OutboundQueue(ChunkPool pool) {
        this.pool = pool;
    }

    long pendingBytes() {
        return queuedTotal - writtenTotal;
    }

    boolean isEmpty() {
        return queuedTotal == writtenTotal;
    }

    /** Bytes taken so far, ever: a message's end offset for its listener. */
    long queuedTotal() {
        return queuedTotal;
    }

    void addListener(WriteListener listener) {
        if (isEmpty()) {
            // Nothing is waiting, so no write will come to report it (a message of zero bytes):
            // its bytes, none, have left. Every earlier listener has been told already.
            Listeners.notify(listener, null);
            return;
        }
        if (listeners == null) {
            listeners = new ArrayDeque<>(4);
        }
        listeners.add(new PendingWrite(queuedTotal, listener));
    }

    // ---- ByteSink ----

    @Override
    public void write(ByteBuffer src) {
        while (src.hasRemaining()) {
            ByteBuffer chunk = tailWithRoom();
            int n = Math.min(chunk.capacity() - chunk.limit(), src.remaining());
            int at = chunk.limit();
            chunk.limit(at + n);
            chunk.put(at, src, src.position(), n);
            src.position(src.position() + n);
            queuedTotal += n;
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        while (length > 0) {
            ByteBuffer chunk = tailWithRoom();
            int n = Math.min(chunk.capacity() - chunk.limit(), length);
            int at = chunk.limit();
            chunk.limit(at + n);
            chunk.put(at, src, offset, n);
            offset += n;
            length -= n;
            queuedTotal += n;
        }
    }

    @Override
    public void write(byte b) {
        ByteBuffer chunk = tailWithRoom();
        int at = chunk.limit();
        chunk.limit(at + 1);
        chunk.put(at, b);
        queuedTotal++;
    }

    @Override
    public void transfer(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (n <= COPY_THRESHOLD) {
            write(buffer);
            return;
        }
        // Queued read-only: that is how the queue tells a caller's buffer from its own chunks.
        buffers.add(buffer.isReadOnly() ? buffer : buffer.asReadOnlyBuffer());
        // Later small writes must not be appended to a chunk queued before this buffer.
        tail = null;
        queuedTotal += n;
    }

    private ByteBuffer tailWithRoom() {
        if (tail == null || tail.limit() == tail.capacity()) {
            tail = pool.acquire();
            buffers.add(tail);
        }
        return tail;
    }

    // ---- writing out ----

    /**
     * Writes as much as {@code channel} takes, in at most {@value #MAX_WRITES_PER_FLUSH} system
     * calls, so one fast peer (or a listener that refills the queue) cannot hold the loop.
     *
     * @return true when everything queued was written; false when the channel is full or the
     *     budget ran out (either way the caller waits for the channel to be writable again)
     */
    boolean writeTo(GatheringByteChannel channel) throws IOException {
        ByteBuffer[] gather = GATHER.get();
        try {
            for (int round = 0; round < MAX_WRITES_PER_FLUSH && !buffers.isEmpty(); round++) {
                int count = 0;
                long requested = 0;
                ByteBuffer sliced = null;
                int slicedLimit = 0;
                for (ByteBuffer b : buffers) {
                    if (!b.isDirect() && b.remaining() > MAX_HEAP_WRITE) {
                        // The JDK copies a heap buffer into a temporary direct one on every write:
                        // offer a slice, or a slow peer costs a copy of the whole rest each time.
                        sliced = b;
                        slicedLimit = b.limit();
                        b.limit(b.position() + MAX_HEAP_WRITE);
                    }
                    gather[count++] = b;
                    requested += b.remaining();
                    if (count == MAX_GATHER || sliced != null) {
                        break;
                    }
                }
                long written;
                try {
                    written = count == 1 ? channel.write(gather[0]) : channel.write(gather, 0, count);
                } finally {
                    if (sliced != null) {
                        sliced.limit(slicedLimit);
                    }
                }
                consumed(written);
                if (written < requested) {
                    return false;
                }
            }
            return buffers.isEmpty();
        } finally {
            Arrays.fill(gather, null);
        }
    }

    private void consumed(long written) {
        writtenTotal += written;
        ByteBuffer head;
        while ((head = buffers.peekFirst()) != null && !head.hasRemaining()) {
            buffers.pollFirst();
            if (head == tail) {
                tail = null;
            }
            if (isChunk(head)) {
                pool.release(head);
            }
        }
        if (listeners != null) {
            PendingWrite pending;
            while ((pending = listeners.peekFirst()) != null && pending.endOffset() <= writtenTotal) {
                listeners.pollFirst();
                Listeners.notify(pending.listener(), null);
            }
        }
    }

    /**
     * Takes back every byte queued after {@code mark} (a {@link #queuedTotal()} reading), none of
     * which has been written yet: what an encoder wrote before it failed.
     */
    void rollback(long mark) {
        long excess = queuedTotal - mark;
        while (excess > 0) {
            ByteBuffer last = buffers.peekLast();
            int n = last.remaining();
            if (n <= excess) {
                buffers.pollLast();
                if (isChunk(last)) {
                    pool.release(last);
                }
                excess -= n;
            } else {
                last.limit(last.limit() - (int) excess);
                excess = 0;
            }
        }
        // The last chunk, if any, may hold room again, but appending to it is only safe when it is
        // known to be last: start a new chunk instead.
        tail = null;
        queuedTotal = mark;
    }

    /** Drops everything queued, failing each listener with {@code failure}. */
    void discard(Throwable failure) {
        ByteBuffer b;
        while ((b = buffers.pollFirst()) != null) {
            if (isChunk(b)) {
                pool.release(b);
            }
        }
        tail = null;
        writtenTotal = queuedTotal;
        if (listeners != null) {
            PendingWrite pending;
            while ((pending = listeners.pollFirst()) != null) {
                Listeners.notify(pending.listener(), failure);
            }
        }
    }

    private static boolean isChunk(ByteBuffer b) {
        return !b.isReadOnly();
    }
}
