package io.eddy.udp.codec;

import io.eddy.core.codec.ByteSink;
import java.nio.ByteBuffer;

/**
 * Raw bytes, as they are. A payload received is copied into a buffer of its own, which may be kept
 * and handed to other threads; a buffer sent is read from its position to its limit, and its
 * position is left where it was, so the same buffer can be sent again.
 *
 * <p>Threading: keeps no state; one instance may serve any number of endpoints.
 */
public final class BytesDatagramCodec implements DatagramCodec<ByteBuffer, ByteBuffer> {

    /** A codec of raw bytes. */
    public BytesDatagramCodec() {
    }

    @Override
    public ByteBuffer decode(ByteBuffer payload) {
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload).flip();
        return copy;
    }

    @Override
    public void encode(ByteBuffer message, ByteSink out) {
        out.write(message.duplicate());
    }
}
