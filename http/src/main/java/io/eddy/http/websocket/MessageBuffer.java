package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A message's bytes as its fragments arrive, never more than the message size limit: growing
 * past it fails with 1009 before it allocates. Threading: one per connection, on its loop thread.
 */
final class MessageBuffer {

    private final int maxSize;
    private byte[] bytes = new byte[0];
    private int length;

    MessageBuffer(int maxSize) {
        this.maxSize = maxSize;
    }

    int length() {
        return length;
    }

    byte[] array() {
        return bytes;
    }

    /** Appends {@code data}'s remaining bytes. */
    void append(ByteBuffer data) throws WebSocketException {
        int n = data.remaining();
        if ((long) length + n > maxSize) {
            full();
        }
        ensure(length + n);
        data.get(bytes, length, n);
        length += n;
    }

    /** The array, with room for up to {@code step} more bytes (less near the limit; one past it, to see an overflow). */
    byte[] room(int step) {
        ensure((int) Math.min((long) length + step, (long) maxSize + 1));
        return bytes;
    }

    /** How many bytes may go in after {@link #length()}, as {@link #room} made. */
    int roomLeft() {
        return bytes.length - length;
    }

    /** {@code n} bytes were put in after {@link #length()}. */
    void added(int n) throws WebSocketException {
        length += n;
        if (length > maxSize) {
            full();
        }
    }

    void full() throws WebSocketException {
        throw WebSocketException.tooBig("message exceeds the limit maxMessageSize = " + maxSize + " bytes");
    }

    /** The bytes so far, as an array of their own; the buffer starts over empty. */
    byte[] take() {
        byte[] message = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        bytes = new byte[0];
        length = 0;
        return message;
    }

    private void ensure(int capacity) {
        if (capacity > bytes.length) {
            long grown = Math.max((long) bytes.length * 2, capacity);
            bytes = Arrays.copyOf(bytes, (int) Math.min(grown, (long) maxSize + 1));
        }
    }
}
