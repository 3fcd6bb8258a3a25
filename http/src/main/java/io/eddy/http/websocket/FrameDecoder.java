package io.eddy.http.websocket;

import io.eddy.core.codec.Decoder;
import java.nio.ByteBuffer;

/**
 * Reads WebSocket frames (RFC 6455 section 5.2), checking everything a single frame can break:
 * reserved bits (RSV1 only where permessage-deflate was agreed), reserved opcodes, control frames
 * that are fragmented or longer than 125 bytes, the masking rule of this side (a server takes only
 * masked frames, a client only unmasked ones), a 64-bit length with its top bit set, and the frame
 * size limit, checked from the header, before any of the payload is waited for.
 *
 * <p>What spans frames (a continuation with no message begun, UTF-8 across fragments, the message
 * size) is the next stage's: {@link MessageAssembler}.
 *
 * <p>A frame's payload is copied out of the connection's buffer and unmasked. A frame longer than
 * {@code pieceSize} is handed on in pieces, each as soon as {@code pieceSize} bytes (or the rest of
 * the frame) are there, shaped as fragments of a message (see {@link Frame}): a 16 MiB frame never
 * needs 16 MiB in the connection's inbound buffer.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>broken by</th><th>closes with</th></tr>
 *   <tr><td>maxFrameSize</td><td>a frame's announced length</td><td>1009</td></tr>
 *   <tr><td>125 bytes</td><td>a control frame</td><td>1002</td></tr>
 * </table>
 *
 * <p>Threading: one per connection, on its loop thread (it remembers the frame it is in).
 */
public final class FrameDecoder implements Decoder<Frame> {

    /** Pieces of a long frame are handed on at this size by default. */
    public static final int DEFAULT_PIECE_SIZE = 64 * 1024;

    private final boolean expectMasked;
    private final long maxFrameSize;
    private final boolean rsv1Allowed;
    private final int pieceSize;

    /** Payload bytes of the current frame still to come; 0 when between frames. */
    private long remaining;
    private boolean inFrame;
    private boolean frameFin;
    private int pieceOpcode;
    private boolean pieceRsv1;
    private final byte[] mask = new byte[4];
    private boolean masked;
    /** Payload bytes of the current frame already read: where the mask continues. */
    private long offset;

    /**
     * @param expectMasked true on a server (every client frame is masked), false on a client
     * @param maxFrameSize the longest payload of one frame
     * @param rsv1Allowed  true when permessage-deflate was agreed
     */
    public FrameDecoder(boolean expectMasked, long maxFrameSize, boolean rsv1Allowed) {
        this(expectMasked, maxFrameSize, rsv1Allowed, DEFAULT_PIECE_SIZE);
    }

    /** As the other constructor, handing long frames on in pieces of {@code pieceSize} bytes. */
    public FrameDecoder(boolean expectMasked, long maxFrameSize, boolean rsv1Allowed, int pieceSize) {
        if (maxFrameSize < 125 || pieceSize < 1) {
            throw new IllegalArgumentException("maxFrameSize must be at least 125 and pieceSize positive");
        }
        this.expectMasked = expectMasked;
        this.maxFrameSize = maxFrameSize;
        this.rsv1Allowed = rsv1Allowed;
        this.pieceSize = pieceSize;
    }

    @Override
    public Frame decode(ByteBuffer in) throws WebSocketException {
        if (!inFrame && !readHeader(in)) {
            return null;
        }
        int available = in.remaining();
        if (available < remaining && available < pieceSize) {
            return null;
        }
        int length = (int) Math.min(Math.min(remaining, pieceSize), available);
        byte[] payload = new byte[length];
        in.get(payload);
        if (masked) {
            for (int i = 0; i < length; i++) {
                payload[i] ^= mask[(int) ((offset + i) & 3)];
            }
        }
        offset += length;
        remaining -= length;
        boolean last = remaining == 0;
        Frame piece = new Frame(last && frameFin, pieceRsv1, pieceOpcode, ByteBuffer.wrap(payload));
        if (last) {
            inFrame = false;
        } else {
            // The rest of this frame continues the message the first piece began.
            pieceOpcode = Frame.CONTINUATION;
            pieceRsv1 = false;
        }
        return piece;
    }

    /** Reads the next frame's header if it is all there (consuming it), checking it; false if not yet. */
    private boolean readHeader(ByteBuffer in) throws WebSocketException {
        if (in.remaining() < 2) {
            return false;
        }
        int at = in.position();
        int b0 = in.get(at) & 0xff;
        int b1 = in.get(at + 1) & 0xff;
        boolean fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        int opcode = b0 & 0x0f;
        if ((b0 & 0x30) != 0 || rsv1 && !rsv1Allowed) {
            throw WebSocketException.protocol("reserved bits set without an extension that defines them");
        }
        boolean control = (opcode & 0x8) != 0;
        switch (opcode) {
            case Frame.CONTINUATION, Frame.TEXT, Frame.BINARY, Frame.CLOSE, Frame.PING, Frame.PONG:
                break;
            default:
                throw WebSocketException.protocol("reserved opcode " + opcode);
        }
        boolean hasMask = (b1 & 0x80) != 0;
        if (hasMask != expectMasked) {
            throw WebSocketException.protocol(expectMasked ? "a client frame must be masked" : "a server frame must not be masked");
        }
        int length7 = b1 & 0x7f;
        if (control && (!fin || length7 > 125 || rsv1)) {
            throw WebSocketException.protocol(!fin ? "a control frame must not be fragmented"
                    : rsv1 ? "a control frame must not be compressed" : "a control frame carries at most 125 bytes");
        }
        int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (hasMask ? 4 : 0);
        if (in.remaining() < header) {
            return false;
        }
        long length;
        if (length7 == 126) {
            length = in.getShort(at + 2) & 0xffff;
        } else if (length7 == 127) {
            length = in.getLong(at + 2);
            if (length < 0) {
                throw WebSocketException.protocol("a 64-bit frame length must have its top bit clear");
            }
        } else {
            length = length7;
        }
        if (length > maxFrameSize) {
            throw WebSocketException.tooBig("frame of " + length + " bytes exceeds the limit maxFrameSize = " + maxFrameSize);
        }
        if (hasMask) {
            in.position(at + header - 4);
            in.get(mask);
        } else {
            in.position(at + header);
        }
        masked = hasMask;
        inFrame = true;
        frameFin = fin;
        pieceOpcode = opcode;
        pieceRsv1 = rsv1;
        remaining = length;
        offset = 0;
        return true;
    }
}
