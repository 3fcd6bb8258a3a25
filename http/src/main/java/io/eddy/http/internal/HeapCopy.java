package io.eddy.http.internal;

import java.nio.ByteBuffer;

/**
 * How the HTTP decoders read a buffer without a backing array. They parse arrays directly, which
 * the loop's read buffer always has; a direct buffer (from a test, or a caller of our own) is
 * decoded from a heap copy instead, and the original consumed as far as the copy was.
 *
 * <p>Threading: stateless; each call on the caller's thread.
 */
public final class HeapCopy {

    /** A decoder of array-backed buffers. */
    @FunctionalInterface
    public interface ArrayDecoder<T, E extends Exception> {
        /** Decodes from {@code heap}, which has an array, moving its position past what it consumed. */
        T decode(ByteBuffer heap) throws E;
    }

    private HeapCopy() {
    }

    /** Decodes {@code in}, which has no array, through a heap copy of its remaining bytes. */
    public static <T, E extends Exception> T decode(ByteBuffer in, ArrayDecoder<T, E> decoder) throws E {
        ByteBuffer copy = ByteBuffer.allocate(in.remaining());
        copy.put(in.duplicate()).flip();
        T result = decoder.decode(copy);
        in.position(in.position() + copy.position());
        return result;
    }
}
