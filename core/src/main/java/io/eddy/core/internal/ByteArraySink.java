package io.eddy.core.internal;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.FileRegion;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Collects what an encoder writes into one growing array, up to a limit: the write that would
 * cross it throws the caller's exception and takes nothing, so an oversized message costs no more
 * memory than the limit. A UDP payload and a message encoded once for many connections are built
 * this way.
 *
 * <p>Threading: one thread at a time.
 */
public final class ByteArraySink implements ByteSink {

    private static final int INITIAL_CAPACITY = 256;

    private final int limit;
    private final LongFunction<? extends RuntimeException> overLimit;
    private byte[] bytes;
    private int size;

    /**
     * A sink that holds at most {@code limit} bytes; a write that would make it hold {@code n} more
     * throws {@code overLimit.apply(n)}.
     */
    public ByteArraySink(int limit, LongFunction<? extends RuntimeException> overLimit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
        this.overLimit = Objects.requireNonNull(overLimit, "overLimit");
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

    /** Copies {@code buffer}: the bytes are one array, so nothing is gained by keeping it apart. */
    @Override
    public void transfer(ByteBuffer buffer) {
        write(buffer);
    }

    /**
     * Refused: the bytes are gathered in memory, so a file has nothing to gain from a region here.
     * The region is closed, since the sink owns it now.
     */
    @Override
    public void transfer(FileRegion region) {
        region.close();
        throw new UnsupportedOperationException("bytes gathered in memory cannot carry a file region; write its bytes instead");
    }

    /** How many bytes were written since the sink was made or last reset. */
    public int size() {
        return size;
    }

    /** The bytes, without a copy: valid until the sink is reset or written to again. */
    public ByteBuffer view() {
        return size == 0 ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes, 0, size);
    }

    /** A copy of the bytes, its own to keep. */
    public ByteBuffer copy() {
        return ByteBuffer.wrap(size == 0 ? new byte[0] : Arrays.copyOf(bytes, size));
    }

    /** Empties the sink, keeping its array for the next message. */
    public void reset() {
        size = 0;
    }

    private void ensureRoom(int length) {
        if (length > limit - size) {
            throw overLimit.apply((long) size + length);
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
