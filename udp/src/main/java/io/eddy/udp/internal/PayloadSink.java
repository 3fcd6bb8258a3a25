package io.eddy.udp.internal;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.FileRegion;
import io.eddy.udp.DatagramTooLargeException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Collects what an encoder writes into one datagram payload, and refuses to grow past a limit: the
 * write that would cross it throws {@link DatagramTooLargeException}, so an oversized message
 * costs no more memory than the limit.
 *
 * <p>Threading: one thread at a time. An endpoint gives a fresh sink to each send made off its
 * loop, and reuses one sink for sends made on it.
 */
public final class PayloadSink implements ByteSink {

    private static final int INITIAL_CAPACITY = 256;

    private final int limit;
    private byte[] bytes;
    private int size;

    /** A sink that holds at most {@code limit} bytes. */
    public PayloadSink(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    @Override
    public void write(ByteBuffer src) {
        int length = src.remaining();
        ensureRoom(length);
        src.get(bytes, size, length);
        size += length;
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        ensureRoom(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    @Override
    public void write(byte b) {
        ensureRoom(1);
        bytes[size++] = b;
    }

    /** Copies {@code buffer}: a payload is one array, so nothing is gained by keeping it apart. */
    @Override
    public void transfer(ByteBuffer buffer) {
        write(buffer);
    }

    /**
     * Refused: a datagram is built in memory and sent whole, so a file has nothing to gain from a
     * region here. The region is closed, since the sink owns it now.
     */
    @Override
    public void transfer(FileRegion region) {
        region.close();
        throw new UnsupportedOperationException("a datagram cannot carry a file region; write its bytes instead");
    }

    /** How many bytes were written since the sink was made or last reset. */
    public int size() {
        return size;
    }

    /** The payload, without a copy: valid until the sink is reset or written to again. */
    public ByteBuffer view() {
        return size == 0 ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes, 0, size);
    }

    /** A copy of the payload, its own to keep. */
    public ByteBuffer copy() {
        return ByteBuffer.wrap(size == 0 ? new byte[0] : Arrays.copyOf(bytes, size));
    }

    /** Empties the sink, keeping its array for the next payload. */
    public void reset() {
        size = 0;
    }

    private void ensureRoom(int length) {
        if (length > limit - size) {
            throw new DatagramTooLargeException((long) size + length, limit);
        }
        int needed = size + length;
        if (bytes == null) {
            bytes = new byte[Math.max(needed, Math.min(INITIAL_CAPACITY, limit))];
        } else if (needed > bytes.length) {
            int doubled = (int) Math.min((long) bytes.length * 2, limit);
            bytes = Arrays.copyOf(bytes, Math.max(needed, doubled));
        }
    }
}
