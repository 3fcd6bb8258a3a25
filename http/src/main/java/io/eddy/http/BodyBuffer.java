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

    /** The most a buffer starts with: an announced length is a promise, not bytes yet. */
    private static final int INITIAL_MAX = 64 * 1024;
    /** The largest array the JVM reliably makes. */
    static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    /**
     * A buffer for a body of {@code expected} bytes, or of unknown length if -1. It starts small
     * and grows as bytes arrive, so a head announcing a large body costs nothing until the body
     * comes.
     */
    BodyBuffer(long expected) {
        data = new byte[expected >= 0 ? (int) Math.min(expected, INITIAL_MAX) : 1024];
    }

    int size() {
        return size;
    }

    void append(ByteBuffer piece) {
        int n = piece.remaining();
        if (size + n > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(MAX_SIZE, Math.max(size + n, data.length * 2L)));
        }
        piece.get(data, size, n);
        size += n;
    }

    byte[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
