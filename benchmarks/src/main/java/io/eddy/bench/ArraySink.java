package io.eddy.bench;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.FileRegion;
import java.nio.ByteBuffer;

/**
 * A {@link ByteSink} that copies everything into one reusable direct buffer, standing in for a
 * connection's outbound queue in the codec benchmarks: the copy is what the queue's pooled chunks
 * cost, without a socket.
 *
 * <p>Threading: one benchmark thread.
 */
final class ArraySink implements ByteSink {

    private final ByteBuffer out;

    ArraySink(int capacity) {
        out = ByteBuffer.allocateDirect(capacity);
    }

    /** Forgets what was written. */
    void clear() {
        out.clear();
    }

    /** How many bytes were written since the last {@link #clear}. */
    int written() {
        return out.position();
    }

    @Override
    public void write(ByteBuffer src) {
        out.put(src);
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        out.put(src, offset, length);
    }

    @Override
    public void write(byte b) {
        out.put(b);
    }

    @Override
    public void transfer(ByteBuffer buffer) {
        out.put(buffer);
    }

    @Override
    public void transfer(FileRegion region) {
        throw new UnsupportedOperationException("the benchmarks send no files");
    }
}
