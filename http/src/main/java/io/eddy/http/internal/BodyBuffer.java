package io.eddy.http.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A body being gathered (a request's for its handler, a response's for the client): it starts
 * small (64 KiB at most) and doubles as bytes arrive, never past an announced length, so a body
 * that came whole is handed over without a final copy.
 *
 * <p>Internal: this package is not exported, and may change in any release.
 *
 * <p>Threading: loop thread only.
 */
public final class BodyBuffer {

    /** The most a buffer starts with: an announced length is a promise, not bytes yet. */
    private static final int INITIAL_MAX = 64 * 1024;
    /** The largest array the JVM reliably makes. */
    public static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    /** The announced length (growth stops there, so the array is the body), or MAX_SIZE if none. */
    private final int limit;
    private byte[] data;
    private int size;

    /**
     * A buffer for a body of {@code expected} bytes, or of unknown length if -1. It starts small
     * and grows as bytes arrive, so a head announcing a large body costs nothing until the body
     * comes.
     */
    public BodyBuffer(long expected) {
        limit = expected >= 0 ? (int) Math.min(expected, MAX_SIZE) : MAX_SIZE;
        data = new byte[expected >= 0 ? Math.min(limit, INITIAL_MAX) : 1024];
    }

    /** The bytes gathered so far. */
    public int size() {
        return size;
    }

    /** Appends {@code piece}'s remaining bytes, consuming them. */
    public void append(ByteBuffer piece) {
        int n = piece.remaining();
        if (size + n > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(limit, Math.max(size + n, data.length * 2L)));
        }
        piece.get(data, size, n);
        size += n;
    }

    /** The body: the buffer's own array when it is exactly full, else a copy. */
    public byte[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
