package io.eddy.core.internal;

import io.eddy.core.codec.DecodeException;
import java.nio.ByteBuffer;

/**
 * The bytes a connection received that do not yet form a whole message.
 *
 * <p>The common case copies nothing: with nothing pending, the transport reads into the loop's
 * shared buffer and decodes straight from it. Only the unconsumed tail of a read is copied here;
 * while bytes are pending, reads go straight into this buffer's free space. The buffer is dropped
 * as soon as it is empty, so an idle connection holds none.
 *
 * <p>Threading: loop thread only.
 */
final class InboundBuffer {

    private static final int MIN_CAPACITY = 4096;
    /** Free space below which the buffer grows before a read into it. */
    private static final int MIN_READ_ROOM = 1024;

    private final int maxBytes;
    /** Pending bytes in read mode (position to limit), or null when nothing is pending. */
    private ByteBuffer pending;

    InboundBuffer(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    boolean hasPending() {
        return pending != null && pending.hasRemaining();
    }

    /** The pending bytes in read mode, or null. */
    ByteBuffer pending() {
        return pending;
    }

    /**
     * Where the next read should go, in write mode: the loop's buffer when nothing is pending,
     * else the free space after the pending bytes.
     */
    ByteBuffer readTarget(ByteBuffer loopBuffer) {
        if (pending == null) {
            return loopBuffer.clear();
        }
        if (pending.position() > 0) {
            pending.compact();
        } else {
            // Nothing consumed since the last read: append without moving the bytes. Compacting
            // anyway copies everything pending on every read, quadratic for a message trickling in.
            pending.position(pending.limit()).limit(pending.capacity());
        }
        if (pending.remaining() < MIN_READ_ROOM && pending.capacity() < maxBytes + 1) {
            // Room for one byte past the limit, so the decoder sees that the limit was crossed.
            int grown = (int) Math.min((long) maxBytes + 1, Math.max(MIN_CAPACITY, 2L * pending.capacity()));
            ByteBuffer bigger = ByteBuffer.allocate(grown);
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
     * Keeps what the decoder left in {@code decoded}, after a decode loop over it.
     *
     * @throws DecodeException when more than {@code maxInboundBytes} are pending
     */
    void keepRemainder(ByteBuffer decoded) throws DecodeException {
        int left = decoded.remaining();
        if (left > maxBytes) {
            throw DecodeException.limitExceeded("bytes buffered for an incomplete message",
                    "maxInboundBytes", maxBytes);
        }
        if (decoded == pending) {
            if (left == 0) {
                pending = null;
            }
        } else if (left > 0) {
            ByteBuffer kept = ByteBuffer.allocate(Math.max(MIN_CAPACITY, Math.min(maxBytes + 1, 2 * left)));
            kept.put(decoded).flip();
            pending = kept;
        }
    }

    void clear() {
        pending = null;
    }
}
