package io.eddy.http.websocket;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Encoder;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * Writes WebSocket frames: a data frame is a whole message, compressed first when a
 * {@link Deflation} is given (RSV1 set), then cut into frames of at most {@code fragmentSize}
 * payload bytes (fragmentation is how a peer starts on a long message before its end arrives).
 * A client masks every frame with a fresh key from a {@link SecureRandom}; a server masks none, so
 * its frames can be encoded once for many connections.
 *
 * <p>Threading: on a connection's loop thread, one per connection when it compresses (the
 * deflater's context is the connection's); a server encoder without compression keeps no state and
 * may be shared by any threads.
 */
public final class FrameEncoder implements Encoder<Frame> {

    private static final SecureRandom MASKS = new SecureRandom();

    private final boolean mask;
    private final int fragmentSize;
    private final Deflation deflation;

    /**
     * @param mask         true on a client
     * @param fragmentSize the most payload bytes per frame of a long message
     * @param deflation    compresses data messages, or null
     */
    public FrameEncoder(boolean mask, int fragmentSize, Deflation deflation) {
        if (fragmentSize < 1) {
            throw new IllegalArgumentException("fragmentSize must be positive: " + fragmentSize);
        }
        this.mask = mask;
        this.fragmentSize = fragmentSize;
        this.deflation = deflation;
    }

    /** A server's encoder without compression: stateless, for broadcasting one encoding to many. */
    public static FrameEncoder server(int fragmentSize) {
        return new FrameEncoder(false, fragmentSize, null);
    }

    @Override
    public void encode(Frame frame, ByteSink out) {
        ByteBuffer payload = frame.payload().duplicate();
        if (frame.isControl()) {
            writeFrame(true, false, frame.opcode(), payload, out);
            return;
        }
        boolean rsv1 = frame.rsv1();
        if (deflation != null && frame.fin() && frame.opcode() != Frame.CONTINUATION) {
            payload = deflation.compress(payload);
            rsv1 = true;
        }
        int opcode = frame.opcode();
        do {
            int length = Math.min(payload.remaining(), fragmentSize);
            ByteBuffer piece = payload.slice().limit(length);
            payload.position(payload.position() + length);
            boolean last = !payload.hasRemaining();
            writeFrame(last && frame.fin(), rsv1, opcode, piece, out);
            opcode = Frame.CONTINUATION;
            rsv1 = false;
        } while (payload.hasRemaining());
    }

    private void writeFrame(boolean fin, boolean rsv1, int opcode, ByteBuffer payload, ByteSink out) {
        int length = payload.remaining();
        byte[] header = new byte[14];
        int n = 0;
        header[n++] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int maskBit = mask ? 0x80 : 0;
        if (length < 126) {
            header[n++] = (byte) (maskBit | length);
        } else if (length < 65536) {
            header[n++] = (byte) (maskBit | 126);
            header[n++] = (byte) (length >>> 8);
            header[n++] = (byte) length;
        } else {
            header[n++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header[n++] = (byte) ((long) length >>> shift);
            }
        }
        if (!mask) {
            out.write(header, 0, n);
            out.transfer(payload);
            return;
        }
        byte[] key = new byte[4];
        MASKS.nextBytes(key);
        System.arraycopy(key, 0, header, n, 4);
        n += 4;
        out.write(header, 0, n);
        byte[] masked = new byte[length];
        payload.get(masked);
        for (int i = 0; i < length; i++) {
            masked[i] ^= key[i & 3];
        }
        out.transfer(ByteBuffer.wrap(masked));
    }
}
