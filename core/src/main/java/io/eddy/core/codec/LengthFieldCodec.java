package io.eddy.core.codec;

import java.nio.ByteBuffer;

/**
 * Frames preceded by their length: a 1-, 2- or 4-byte unsigned big-endian length, then that many
 * bytes. Outbound frames get the same prefix.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>setting</th><th>when broken</th></tr>
 *   <tr><td>{@code maxFrameLength} (at most what the length field can say)</td>
 *       <td>inbound: {@link DecodeException} naming the limit, before the frame is buffered;
 *           outbound: {@link IllegalArgumentException}, nothing written</td></tr>
 * </table>
 *
 * <p>A decoded frame is a read-only view of the connection's buffer, valid only during the
 * handler's call; copy it to keep it. Threading: one instance per connection, loop thread only.
 */
public final class LengthFieldCodec implements Codec<ByteBuffer, ByteBuffer> {

    private final int fieldBytes;
    private final int maxFrameLength;

    /**
     * @param fieldBytes      the size of the length prefix: 1, 2 or 4
     * @param maxFrameLength  the largest frame accepted either way, in bytes, without the prefix
     */
    public LengthFieldCodec(int fieldBytes, int maxFrameLength) {
        if (fieldBytes != 1 && fieldBytes != 2 && fieldBytes != 4) {
            throw new IllegalArgumentException("fieldBytes must be 1, 2 or 4: " + fieldBytes);
        }
        long fieldMax = fieldBytes == 4 ? Integer.MAX_VALUE : (1L << (8 * fieldBytes)) - 1;
        if (maxFrameLength < 0 || maxFrameLength > fieldMax) {
            throw new IllegalArgumentException("maxFrameLength must be between 0 and " + fieldMax
                    + " for a " + fieldBytes + "-byte length field: " + maxFrameLength);
        }
        this.fieldBytes = fieldBytes;
        this.maxFrameLength = maxFrameLength;
    }

    @Override
    public ByteBuffer decode(ByteBuffer in) throws DecodeException {
        if (in.remaining() < fieldBytes) {
            return null;
        }
        int start = in.position();
        long length = readLength(in, start);
        if (length > maxFrameLength) {
            throw new DecodeException("frame length " + length + " exceeds the limit maxFrameLength = "
                    + maxFrameLength + " bytes");
        }
        int bodyStart = start + fieldBytes;
        if (in.limit() - bodyStart < length) {
            return null;
        }
        ByteBuffer frame = in.slice(bodyStart, (int) length).asReadOnlyBuffer();
        in.position(bodyStart + (int) length);
        return frame;
    }

    @Override
    public ByteBuffer decodeLast(ByteBuffer in) throws DecodeException {
        ByteBuffer frame = decode(in);
        if (frame == null && in.hasRemaining()) {
            throw new DecodeException("stream ended inside a frame: " + in.remaining()
                    + " bytes of an incomplete frame were left");
        }
        return frame;
    }

    @Override
    public void encode(ByteBuffer frame, ByteSink out) {
        int length = frame.remaining();
        if (length > maxFrameLength) {
            throw new IllegalArgumentException("frame of " + length
                    + " bytes exceeds the limit maxFrameLength = " + maxFrameLength + " bytes");
        }
        for (int shift = 8 * (fieldBytes - 1); shift >= 0; shift -= 8) {
            out.write((byte) (length >>> shift));
        }
        out.write(frame);
    }

    private long readLength(ByteBuffer in, int at) {
        long length = 0;
        for (int i = 0; i < fieldBytes; i++) {
            length = (length << 8) | (in.get(at + i) & 0xFF);
        }
        return length;
    }
}
