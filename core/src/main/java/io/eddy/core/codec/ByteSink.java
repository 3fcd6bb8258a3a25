package io.eddy.core.codec;

import java.nio.ByteBuffer;

/**
 * Where an {@link Encoder} puts bytes: the connection's outbound queue.
 *
 * <p>Small writes are copied into pooled chunks, so many small messages leave in one gathering
 * write; {@link #transfer(ByteBuffer)} hands over a buffer without copying it, and
 * {@link #transfer(FileRegion)} queues a range of a file, sent from the file to the socket by the
 * operating system. Bytes leave in the order they were given, whichever way.
 *
 * <p>Threading: loop thread only, and only during the {@code encode} call that received it.
 */
public interface ByteSink {

    /** Copies {@code src}'s remaining bytes; {@code src} may be reused afterwards. */
    void write(ByteBuffer src);

    /** Copies {@code length} bytes of {@code src} from {@code offset}. */
    void write(byte[] src, int offset, int length);

    /** Copies all of {@code src}. */
    default void write(byte[] src) {
        write(src, 0, src.length);
    }

    /** Copies one byte. */
    void write(byte b);

    /**
     * Hands {@code buffer}'s remaining bytes over without copying them (small ones may still be
     * copied into a shared chunk). The caller must not touch {@code buffer} again.
     */
    void transfer(ByteBuffer buffer);

    /**
     * Queues {@code region} to be sent without copying; the sink owns it from here on and closes
     * it once it is sent or dropped. Its bytes count toward the water marks but not toward
     * {@code maxOutboundBytes} (they take no memory); see {@link FileRegion}.
     *
     * @throws IllegalArgumentException if {@code region} was closed already
     */
    void transfer(FileRegion region);
}
