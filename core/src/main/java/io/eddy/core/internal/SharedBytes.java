package io.eddy.core.internal;

import io.eddy.core.codec.Encoder;
import java.nio.ByteBuffer;

/**
 * A message encoded once into one read-only buffer that many connections queue
 * ({@link AbstractConnection#writeEncoded}).
 *
 * <p>Up to 1 KiB the bytes stay on the heap: each connection's queue copies them into its pooled
 * chunk, which costs less than a queue entry of their own and lets them join its next gathering
 * write. Larger messages are copied once into a direct buffer, which every connection's queue
 * holds as it is: a socket writes a direct buffer as it is, where a heap buffer costs the JDK a copy
 * into a direct one on every write, so nothing of the payload is copied per connection. (When direct
 * memory runs out, the heap bytes are shared instead.)
 *
 * <p>Threading: {@link #encode} runs on the caller's thread; the buffer it returns may be read by
 * any thread, each through its own duplicate.
 */
public final class SharedBytes {

    /** The most one message encoded once may hold, as the largest array. */
    private static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private SharedBytes() {
    }

    /** {@code message} as {@code encoder} writes it, read-only. */
    public static <T> ByteBuffer encode(Encoder<? super T> encoder, T message) {
        ByteArraySink sink = new ByteArraySink(MAX_BYTES,
                size -> new IllegalArgumentException("message too large to encode once: " + size + " bytes"));
        encoder.encode(message, sink);
        ByteBuffer heap = sink.view();
        if (heap.remaining() <= OutboundQueue.COPY_THRESHOLD) {
            return heap.asReadOnlyBuffer();
        }
        ByteBuffer direct;
        try {
            direct = ByteBuffer.allocateDirect(heap.remaining());
        } catch (OutOfMemoryError directMemoryExhausted) {
            return heap.asReadOnlyBuffer();
        }
        return direct.put(heap).flip().asReadOnlyBuffer();
    }
}
