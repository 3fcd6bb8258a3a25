package io.eddy.http.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames as bytes on the wire, written by hand for tests (so they can break every rule), and the
 * server's frames read back. Threading: a test's thread.
 */
public final class WireFrames {

    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private WireFrames() {
    }

    /** A frame as a client sends it: masked with a fixed key. */
    public static byte[] masked(int firstByte, byte[] payload) {
        return frame(firstByte, payload, true);
    }

    /** A masked, final text frame. */
    public static byte[] text(String text) {
        return masked(0x80 | Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked close frame with {@code code} and {@code reason}. */
    public static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return masked(0x80 | Frame.CLOSE, ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array());
    }

    /** A frame, masked or not, with the shortest length encoding. */
    public static byte[] frame(int firstByte, byte[] payload, boolean mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int maskBit = mask ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            out.write(maskBit | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (mask) {
            out.writeBytes(MASK);
            byte[] masked = payload.clone();
            for (int i = 0; i < masked.length; i++) {
                masked[i] ^= MASK[i & 3];
            }
            out.writeBytes(masked);
        } else {
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    /** Joins byte arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The whole frames (pieces joined) a server wrote in {@code bytes}. */
    public static List<Frame> serverFrames(byte[] bytes) throws WebSocketException {
        FrameDecoder decoder = new FrameDecoder(false, Integer.MAX_VALUE, true, Integer.MAX_VALUE);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Frame> frames = new ArrayList<>();
        Frame frame;
        while ((frame = decoder.decode(in)) != null) {
            frames.add(frame);
        }
        return frames;
    }

    /** The code of a close frame. */
    public static int closeCode(Frame close) {
        return close.payload().remaining() >= 2 ? close.payload().getShort(close.payload().position()) & 0xffff : CloseCodes.NO_STATUS;
    }

    /** A frame's payload as text. */
    public static String text(Frame frame) {
        ByteBuffer payload = frame.payload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
