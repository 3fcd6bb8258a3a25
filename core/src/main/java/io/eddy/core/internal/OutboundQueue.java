package io.eddy.core.internal;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.FileRegion;
import io.eddy.core.net.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A connection's bytes waiting for the socket, written out with gathering writes.
 *
 * <p>Small writes are copied into pooled direct chunks (many small messages become one iovec);
 * large transferred buffers are queued as they are. File regions wait in order among the buffers
 * and are sent with {@link FileChannel#transferTo}: a region ends a gathering batch, and the bytes
 * queued after it wait until its last byte has left. The queue counts every byte it took and wrote,
 * file bytes included, so a {@link WriteListener} is told exactly when its message's last byte has
 * left.
 *
 * <p>Threading: loop thread only.
 */
final class OutboundQueue implements ByteSink {

    /** Transferred buffers up to this size are copied into a chunk rather than queued alone. */
    static final int COPY_THRESHOLD = 1024;
    private static final int MAX_GATHER = 64;
    private static final int MAX_WRITES_PER_FLUSH = 16;
    /** The most of one heap buffer offered to one write. */
    private static final int MAX_HEAP_WRITE = 256 * 1024;
    /**
     * The most of a file region offered to one {@code transferTo}. A socket takes what fits in its
     * buffer whatever is offered; the bound is for the JDK's fallbacks, which map or copy what
     * they are offered, and for the in-memory peer.
     */
    private static final long MAX_FILE_WRITE = 1024 * 1024;
    /** The most of a file region read for one write through TLS: four full records. */
    private static final int FILE_READ_THROUGH = 64 * 1024;
    private static final ThreadLocal<ByteBuffer> FILE_READS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(FILE_READ_THROUGH));
    private static final ThreadLocal<ByteBuffer[]> GATHER = ThreadLocal.withInitial(() -> new ByteBuffer[MAX_GATHER]);

    private final ChunkPool pool;
    private final LongSupplier held;
    /** Room for one buffer, the usual: most of the time one chunk is all a connection has queued; it grows when not. */
    private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>(1);
    /** The chunk small writes are appended to; also the last of {@link #buffers}. Null if none. */
    private ByteBuffer tail;
    /** File regions not wholly sent yet, in order; null until the first. */
    private ArrayDeque<QueuedRegion> regions;
    /** Bytes of {@link #regions} not sent yet. */
    private long regionBytes;
    private long queuedTotal;
    private long writtenTotal;
    private ArrayDeque<PendingWrite> listeners;

    private record PendingWrite(long endOffset, WriteListener listener) {
    }

    /** A region in the queue: where its first byte sits among the queued bytes, and how much has left. */
    private static final class QueuedRegion {
        final FileRegion region;
        final FileChannel file;
        /** A {@link #queuedTotal} reading: the bytes queued before the region. */
        final long start;
        long sent;

        QueuedRegion(FileRegion region, FileChannel file, long start) {
            this.region = region;
            this.file = file;
            this.start = start;
        }
    }

    /**
     * @param held the bytes the channel written to has taken but not yet sent on: write listeners
     *             wait for them too
     */
    OutboundQueue(ChunkPool pool, LongSupplier held) {
        this.pool = pool;
        this.held = held;
    }

    long pendingBytes() {
        return queuedTotal - writtenTotal;
    }

    /**
     * Pending bytes held in memory: what {@code maxOutboundBytes} bounds. File regions are not
     * counted; they stay in their files until they are sent.
     */
    long pendingBufferedBytes() {
        return pendingBytes() - regionBytes;
    }

    boolean isEmpty() {
        return queuedTotal == writtenTotal;
    }

    /** Bytes taken so far, ever: a message's end offset for its listener. */
    long queuedTotal() {
        return queuedTotal;
    }

    void addListener(WriteListener listener) {
        if (isEmpty() && (listeners == null || listeners.isEmpty())) {
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
        copy(src, src.position(), src.limit());
        src.position(src.limit());
    }

    /**
     * Queues the remaining bytes of {@code shared}, which other connections' queues read at the same
     * time (a message a group encoded once): its position never moves, so no per-connection view
     * of it is made; a small one is copied into the chunks, a large one queued as a view.
     */
    public void writeShared(ByteBuffer shared) {
        if (shared.remaining() > COPY_THRESHOLD) {
            transfer(shared.duplicate()); // the queue moves a queued buffer's position as it sends it
        } else {
            copy(shared, shared.position(), shared.limit());
        }
    }

    /** Copies {@code src[from, end)} into the chunks with absolute reads, leaving {@code src} as it is. */
    private void copy(ByteBuffer src, int from, int end) {
        while (from < end) {
            ByteBuffer chunk = tailWithRoom();
            int n = Math.min(chunk.capacity() - chunk.limit(), end - from);
            int at = chunk.limit();
            chunk.limit(at + n);
            chunk.put(at, src, from, n);
            from += n;
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

    @Override
    public void transfer(FileRegion region) {
        Objects.requireNonNull(region, "region");
        FileChannel file = FileRegionAccess.file(region);
        if (!file.isOpen()) {
            throw new IllegalArgumentException(region + " is closed");
        }
        if (region.count() == 0) {
            region.close();
            return;
        }
        if (regions == null) {
            regions = new ArrayDeque<>(2);
        }
        regions.add(new QueuedRegion(region, file, queuedTotal));
        // Later small writes go after the region, not into a chunk queued before it.
        tail = null;
        queuedTotal += region.count();
        regionBytes += region.count();
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
     * calls (gathering writes or file transfers), so one fast peer (or a listener that refills the
     * queue) cannot hold the loop.
     *
     * @return true when everything queued was written; false when the channel is full or the
     *     budget ran out (either way the caller waits for the channel to be writable again)
     * @throws FileEndedException when a file region's file ended before the region did
     */
    boolean writeTo(GatheringByteChannel channel) throws IOException {
        for (int round = 0; round < MAX_WRITES_PER_FLUSH && !isEmpty(); round++) {
            QueuedRegion region = regions == null ? null : regions.peekFirst();
            boolean tookAll;
            if (region != null && region.start <= writtenTotal) {
                tookAll = writeRegion(region, channel);
            } else {
                // A gathering write ends where the next region starts.
                tookAll = writeBuffers(channel, region == null ? Long.MAX_VALUE : region.start - writtenTotal);
            }
            if (!tookAll) {
                return false;
            }
        }
        return isEmpty();
    }

    /** One gathering write of at most {@code max} bytes; true when the channel took them all. */
    private boolean writeBuffers(GatheringByteChannel channel, long max) throws IOException {
        ByteBuffer[] gather = GATHER.get();
        int count = 0;
        long requested = 0;
        ByteBuffer sliced = null;
        int slicedLimit = 0;
        long written;
        try {
            for (ByteBuffer b : buffers) {
                if (requested >= max) {
                    break;
                }
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
            written = count == 1 ? channel.write(gather[0]) : channel.write(gather, 0, count);
        } finally {
            if (sliced != null) {
                sliced.limit(slicedLimit);
            }
            Arrays.fill(gather, 0, count, null);
        }
        consumed(written);
        return written == requested;
    }

    /** One {@code transferTo} of the next part of {@code r}; true when the channel took it all. */
    private boolean writeRegion(QueuedRegion r, GatheringByteChannel channel) throws IOException {
        long count = r.region.count();
        boolean encrypted = channel instanceof TlsTransport;
        long offered = Math.min(count - r.sent, encrypted ? FILE_READ_THROUGH : MAX_FILE_WRITE);
        long written = encrypted ? readThrough(r, (int) offered, channel)
                : r.file.transferTo(r.region.position() + r.sent, offered, channel);
        r.sent += written;
        regionBytes -= written;
        // Less than offered: the socket is full, or the file ended early. A file that ended gives
        // nothing, ever, while the socket stays writable, so waiting for OP_WRITE would spin:
        // look which it is (before the listeners run, since they may write, fail, and close it).
        long size = written < offered ? r.file.size() : Long.MAX_VALUE;
        boolean fileEnded = size <= r.region.position() + r.sent;
        if (r.sent == count) {
            regions.pollFirst();
            r.region.close();
        }
        advance(written);
        if (fileEnded) {
            throw new FileEndedException(r.region + ": the file ended at byte " + size
                    + ", before the region's end (" + (count - r.sent) + " bytes not sent)");
        }
        return written == offered;
    }

    /**
     * Sends the next part of a region through a channel that must see the bytes (TLS encrypts
     * them): read into a per-thread buffer, then written. {@code transferTo} would do the same
     * through an 8 KiB buffer, one small TLS record and one system call per 8 KiB. What the
     * channel does not take is read again next time; the file is read by position, so nothing
     * else needs remembering.
     */
    private static long readThrough(QueuedRegion r, int offered, GatheringByteChannel channel) throws IOException {
        ByteBuffer buffer = FILE_READS.get().clear().limit(offered);
        while (buffer.hasRemaining()) {
            if (r.file.read(buffer, r.region.position() + r.sent + buffer.position()) <= 0) {
                break; // the file ended early: the caller finds out from the count
            }
        }
        return buffer.position() == 0 ? 0 : channel.write(buffer.flip());
    }

    private void consumed(long written) {
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
        advance(written);
    }

    /** Counts {@code written} bytes as handed to the channel and tells the listeners whose messages have left. */
    private void advance(long written) {
        writtenTotal += written;
        notifyListeners();
    }

    /**
     * Tells the listeners whose messages have wholly left: every byte handed to the channel but
     * those the transport still holds (TLS records waiting for the socket). Runs after each write,
     * and after the transport sends what it held.
     */
    void notifyListeners() {
        if (listeners != null) {
            long left = writtenTotal - held.getAsLong();
            PendingWrite pending;
            while ((pending = listeners.peekFirst()) != null && pending.endOffset() <= left) {
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
        QueuedRegion r;
        // A region queued after the mark starts at or after it; one queued before ends by it.
        while (regions != null && (r = regions.peekLast()) != null && r.start >= mark) {
            regions.pollLast();
            regionBytes -= r.region.count();
            excess -= r.region.count();
            r.region.close();
        }
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

    /** Drops everything queued, closing each file region and failing each listener with {@code failure}. */
    void discard(Throwable failure) {
        ByteBuffer b;
        while ((b = buffers.pollFirst()) != null) {
            if (isChunk(b)) {
                pool.release(b);
            }
        }
        QueuedRegion r;
        while (regions != null && (r = regions.pollFirst()) != null) {
            r.region.close();
        }
        regionBytes = 0;
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
