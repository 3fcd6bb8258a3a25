package io.eddy.udp.internal;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.FileRegion;
import io.eddy.core.internal.ByteArraySink;
import io.eddy.udp.DatagramTooLargeException;
import java.nio.ByteBuffer;

/**
 * Collects what an encoder writes into one datagram payload, and refuses to grow past a limit: the
 * write that would cross it throws {@link DatagramTooLargeException}, so an oversized message
 * costs no more memory than the limit. (Core's {@link ByteArraySink} with the datagram's limit
 * and exception.)
 *
 * <p>Threading: one thread at a time. An endpoint gives a fresh sink to each send made off its
 * loop, and reuses one sink for sends made on it.
 */
public final class PayloadSink implements ByteSink {

    private final ByteArraySink bytes;

    /** A sink that holds at most {@code limit} bytes. */
    public PayloadSink(int limit) {
        this.bytes = new ByteArraySink(limit, size -> new DatagramTooLargeException(size, limit));
    }

    @Override
    public void write(ByteBuffer src) {
        bytes.write(src);
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        bytes.write(src, offset, length);
    }

    @Override
    public void write(byte b) {
        bytes.write(b);
    }

    @Override
    public void transfer(ByteBuffer buffer) {
        bytes.transfer(buffer);
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
        return bytes.size();
    }

    /** The payload, without a copy: valid until the sink is reset or written to again. */
    public ByteBuffer view() {
        return bytes.view();
    }

    /** A copy of the payload, its own to keep. */
    public ByteBuffer copy() {
        return bytes.copy();
    }

    /** Empties the sink, keeping its array for the next payload. */
    public void reset() {
        bytes.reset();
    }
}
