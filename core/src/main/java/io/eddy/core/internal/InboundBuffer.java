package io.eddy.core.internal;

import io.eddy.core.codec.DecodeException;
import java.nio.ByteBuffer;

/**
 * The bytes a connection received that do not yet form a whole message.
 *
 * <p>The common case copies nothing: with nothing pending, the transport reads into the loop's
 * shared buffer and decodes straight from it. Only the unconsumed tail of a read is copied here.
 * A small tail goes back to the front of the loop's buffer before the next read, so reads stay
 * large; a large one (a message bigger than half the loop's buffer) stays here and reads append to
 * it. The buffer is dropped as soon as it is empty, so an idle connection holds none.
 *
 * <p>Threading: loop thread only.
 */
final class InboundBuffer {

    private static final int MIN_CAPACITY = 4096;
    /** Free space below which the buffer grows before a read into it. */
    private static final int MIN_READ_ROOM = 1024;
    /** A pending buffer larger than this shrinks once most of it has been consumed. */
    private static final int SHRINK_ABOVE = 256 * 1024;
    /** The largest array the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final int maxBytes;
    /** Pending bytes in read mode (position to limit), or null when nothing is pending. */
    private ByteBuffer pending;

    InboundBuffer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The pending bytes in read mode, or null. */
    ByteBuffer pending() {
        return pending;
    }

    /**
     * Where the next read should go, in write mode. With nothing pending: the loop's buffer. With a
     * few bytes pending: they move to the front of the loop's buffer and the read fills the rest, so
     * reads stay large while a stream never ends on a message boundary. With more than half a loop
     * buffer pending (one large message): the free space after them, grown as needed.
     */
    ByteBuffer readTarget(ByteBuffer loopBuffer) {
        if (pending == null) {
            return loopBuffer.clear();
        }
        if (pending.remaining() <= loopBuffer.capacity() / 2) {
            loopBuffer.clear().put(pending);
            pending.clear().limit(0);   // empty, kept for the remainder of this read
            return loopBuffer;
        }
        if (pending.position() > 0) {
            pending.compact();
        } else {
            // Nothing consumed since the last read: append without moving the bytes. Compacting
            // anyway copies everything pending on every read, quadratic for a message trickling in.
            pending.position(pending.limit()).limit(pending.capacity());
        }
        if (pending.remaining() < MIN_READ_ROOM && pending.capacity() < capacityLimit()) {
            ByteBuffer bigger = ByteBuffer.allocate(grownCapacity(2L * pending.capacity()));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        return pending;
    }

    /** Flips the buffer a read filled for decoding. */
    static ByteBuffer readable(ByteBuffer target) {
        return target.flip();
    }

    /**
     * Puts back what a read target held when the read brought nothing to decode (end of stream),
     * so {@link #pending()} holds every byte not yet consumed.
     */
    void unread(ByteBuffer target) {
        readable(target);
        if (target != pending) {
            keepCopy(target);
        }
    }

    /**
     * Keeps a copy of {@code bytes} (read mode) as pending, before anything was read: what came
     * after a PROXY protocol header in the same read.
     */
    void seed(ByteBuffer bytes) {
        keepCopy(bytes);
    }

    /**
     * Keeps what the decoder left in {@code decoded}, after a decode loop over it.
     *
     * @param messagesWaiting whether the loop stopped because reading was paused, not because the
     *     decoder asked for more: then what is left may be whole messages, not one incomplete
     *     message, and is not held to the limit (nothing more is read until they are decoded)
     * @throws DecodeException when more than {@code maxInboundBytes} of an incomplete message are pending
     */
    void keepRemainder(ByteBuffer decoded, boolean messagesWaiting) throws DecodeException {
        int left = decoded.remaining();
        if (left > maxBytes && !messagesWaiting) {
            throw DecodeException.limitExceeded("bytes buffered for an incomplete message",
                    "maxInboundBytes", maxBytes);
        }
        if (decoded != pending) {
            keepCopy(decoded);
        } else if (left == 0) {
            pending = null;
        } else if (pending.capacity() > SHRINK_ABOVE && left <= pending.capacity() / 4) {
            // A large message has gone; what is left of the stream needs far less.
            ByteBuffer smaller = ByteBuffer.allocate(Math.max(left, grownCapacity(2L * left)));
            smaller.put(pending).flip();
            pending = smaller;
        }
    }

    private void keepCopy(ByteBuffer source) {
        int left = source.remaining();
        if (left == 0) {
            pending = null;
            return;
        }
        if (pending == null || pending.capacity() < left) {
            // Past the limit only while reading is paused with whole messages waiting.
            pending = ByteBuffer.allocate(Math.max(left, grownCapacity(2L * left)));
        }
        pending.clear();
        pending.put(source).flip();
    }

    /** Room for one byte past the limit, so the decoder sees that the limit was crossed. */
    private long capacityLimit() {
        return Math.min((long) maxBytes + 1, MAX_ARRAY);
    }

    private int grownCapacity(long wanted) {
        return (int) Math.min(capacityLimit(), Math.max(MIN_CAPACITY, wanted));
    }

    void clear() {
        pending = null;
    }
}
