package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * The sending half of permessage-deflate (RFC 7692): compresses each message with raw DEFLATE,
 * flushed to a byte boundary, without the {@code 00 00 ff ff} tail the receiver puts back.
 *
 * <p>With context takeover the deflater keeps its 32 KiB window from message to message (better
 * compression, and its memory for the connection's life); without, it starts afresh each message,
 * so each message can be inflated alone (what a broadcast shared between connections needs). The
 * JDK's {@link Deflater} always uses a 15-bit window, which is why Eddy never agrees to
 * {@code server_max_window_bits} below 15. Its native memory (zlib reserves about 256 KiB at the
 * default level; about 225 KiB is resident once it has compressed a few hundred KiB) is taken on
 * the first message and given back by {@link #close()}.
 *
 * <p>Threading: one per connection, on its loop thread; or one per call, for a broadcast.
 */
public final class Deflation implements AutoCloseable {

    private static final int TAIL = 4;

    private final boolean contextTakeover;
    private Deflater deflater;

    /** @param contextTakeover whether each message may refer to the ones before it */
    public Deflation(boolean contextTakeover) {
        this.contextTakeover = contextTakeover;
    }

    /** Whether each message may refer to the ones before it. */
    boolean contextTakeover() {
        return contextTakeover;
    }

    /** {@code payload}'s remaining bytes, compressed. */
    public ByteBuffer compress(ByteBuffer payload) {
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        deflater.setInput(payload);
        byte[] out = new byte[Math.max(64, payload.remaining() / 2 + 16)];
        int length = 0;
        while (true) {
            int n = deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
            length += n;
            if (length < out.length) {
                break; // the flush ended with room to spare: all of it is out
            }
            out = Arrays.copyOf(out, out.length * 2);
        }
        if (!contextTakeover) {
            deflater.reset();
        }
        // A sync flush ends with an empty stored block, 00 00 ff ff, which the receiver adds back.
        if (length >= TAIL && out[length - 4] == 0 && out[length - 3] == 0 && out[length - 2] == -1 && out[length - 1] == -1) {
            length -= TAIL;
        }
        if (length == 0) {
            // An empty message with nothing left to flush (after another, with context takeover):
            // zlib writes nothing, and the receiver's 00 00 ff ff alone is no whole block, which
            // corrupts its next message. RFC 7692 section 7.2.3.6: send a single 0x00.
            return ByteBuffer.wrap(new byte[] {0});
        }
        return ByteBuffer.wrap(out, 0, length);
    }

    /** Frees the deflater's native memory. */
    @Override
    public void close() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }
}
