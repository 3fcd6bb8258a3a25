package io.eddy.core.codec;

import java.nio.ByteBuffer;

/**
 * Raw bytes, passed through: each decode returns everything received so far, in whatever pieces
 * the network delivered. Outbound buffers are copied as they are (a written buffer's position
 * moves to its limit, as any channel write would).
 *
 * <p>A decoded buffer is a read-only view of the connection's buffer, valid only during the
 * handler's call; copy it to keep it. Threading: loop thread only; it keeps no state, so one
 * instance may serve every connection.
 */
public final class BytesCodec implements Codec<ByteBuffer, ByteBuffer> {

    /** A pass-through codec. */
    public BytesCodec() {
    }

    @Override
    public ByteBuffer decode(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return null;
        }
        ByteBuffer chunk = in.slice().asReadOnlyBuffer();
        in.position(in.limit());
        return chunk;
    }

    @Override
    public void encode(ByteBuffer bytes, ByteSink out) {
        out.write(bytes);
    }
}
