package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame, or a piece of one: what {@link FrameDecoder} reads and {@link FrameEncoder}
 * writes.
 *
 * <p>Inbound, a frame longer than the decoder's piece size comes as several pieces, as if the peer
 * had fragmented it: the first with the frame's opcode, the rest {@link #CONTINUATION}, and only
 * the last with the frame's {@code fin}; so a reader of pieces sees a valid fragmented message.
 * Outbound, a data frame is a whole message (the encoder fragments and compresses it).
 *
 * <p>The payload belongs to the frame: the decoder copies (and unmasks) it, and a frame to send
 * must not be changed once written. Threading: an immutable value, safe anywhere.
 *
 * @param fin     the last frame of its message
 * @param rsv1    the first reserved bit: a compressed message (permessage-deflate)
 * @param opcode  one of the constants here
 * @param payload the payload, from its position to its limit
 */
public record Frame(boolean fin, boolean rsv1, int opcode, ByteBuffer payload) {

    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    /** A whole text message. */
    public static Frame text(String text) {
        return new Frame(true, false, TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A whole binary message; {@code data}'s remaining bytes are copied, so it may be reused. */
    public static Frame binary(ByteBuffer data) {
        return new Frame(true, false, BINARY, copy(data));
    }

    /** A ping with {@code data} (at most 125 bytes), copied. */
    public static Frame ping(ByteBuffer data) {
        return control(PING, copy(data));
    }

    /** A pong with {@code data} (at most 125 bytes), copied. */
    public static Frame pong(ByteBuffer data) {
        return control(PONG, copy(data));
    }

    /** A close frame with {@code code} and {@code reason} (cut to fit 125 bytes); code 1005 sends none. */
    public static Frame close(int code, String reason) {
        if (code == CloseCodes.NO_STATUS) {
            return control(CLOSE, EMPTY);
        }
        byte[] text = reason == null ? new byte[0] : CloseCodes.fitReason(reason);
        ByteBuffer payload = ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).flip();
        return control(CLOSE, payload);
    }

    private static Frame control(int opcode, ByteBuffer payload) {
        if (payload.remaining() > 125) {
            throw new IllegalArgumentException("a control frame carries at most 125 bytes: " + payload.remaining());
        }
        return new Frame(true, false, opcode, payload);
    }

    private static ByteBuffer copy(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        return copy;
    }

    /** Whether this is a control frame (close, ping, pong). */
    public boolean isControl() {
        return (opcode & 0x8) != 0;
    }

    @Override
    public String toString() {
        return "Frame[" + opcode + (fin ? " fin" : "") + (rsv1 ? " rsv1" : "") + ", " + payload.remaining() + " bytes]";
    }
}
