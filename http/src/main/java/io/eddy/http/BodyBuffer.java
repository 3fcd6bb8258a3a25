package io.eddy.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A request body being gathered for its handler: sized exactly when the length is announced,
 * grown by doubling for a chunked body.
 *
 * <p>Threading: loop thread only.
 */
final class BodyBuffer {

    private byte[] data;
    private int size;

    /** A buffer for a body of {@code expected} bytes, or of unknown length if -1. */
    BodyBuffer(long expected) {
        data = new byte[expected >= 0 ? (int) expected : 1024];
    }

    int size() {
        return size;
    }

    void append(ByteBuffer piece) {
        int n = piece.remaining();
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(size + n, data.length * 2));
        }
        piece.get(data, size, n);
        size += n;
    }

    byte[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
