package io.eddy.udp.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.LengthFieldCodec;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.testing.FuzzInput;
import io.eddy.udp.internal.PayloadSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Coverage-guided fuzzing of the datagram codecs. The fuzzer chooses the codec (raw bytes, UTF-8
 * or Latin-1 text, a line of a small or default limit, a frame with a 1-, 2- or 4-byte length and
 * a small or the largest limit), the payload, and how it arrives (an array at an offset, or a
 * direct buffer). The oracle is a plain model of each payload format:
 *
 * <ul>
 *   <li>a payload decodes, or throws a {@link DecodeException}, exactly as the model says (text:
 *       when its bytes are not that charset's; a line or a frame: when the payload is not exactly
 *       one within the limit); nothing else is ever thrown;</li>
 *   <li>the message is the model's, and is the codec's own: overwriting the payload's buffer
 *       afterwards (the loop reuses it for the next datagram) leaves the message unchanged;</li>
 *   <li>a message encoded and decoded again is the same message, and for raw bytes, text and
 *       frames the very payload it came from (a line written comes back without a CR it ended
 *       with, the separator making a CRLF of it).</li>
 * </ul>
 */
class DatagramCodecsFuzzTarget {

    private static final int[] FIELD_BYTES = {1, 2, 4, 4};

    @FuzzTest
    void decodesAnyPayloadAsTheModelSaysIntoAMessageOfItsOwn(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        byte[] payload = input.stream();
        int kind = input.bits(0, 3) % 5;
        String where = "codec " + kind + ", settings " + Integer.toHexString(input.settings()) + ", payload "
                + HexFormat.of().formatHex(payload);
        switch (kind) {
            case 0 -> check(where, new BytesDatagramCodec(), payload, input, ByteBuffer.wrap(payload), true);
            case 1 -> check(where, new TextDatagramCodec(), payload, input, utf8(payload), true);
            case 2 -> check(where, new TextDatagramCodec(StandardCharsets.ISO_8859_1), payload, input,
                    new String(payload, StandardCharsets.ISO_8859_1), true);
            case 3 -> {
                int max = input.flag(3) ? LineCodec.DEFAULT_MAX_LINE_LENGTH : 1 + input.bits(4, 6);
                check(where + ", max " + max, new FramedDatagramCodec<>(() -> new LineCodec(max, StandardCharsets.ISO_8859_1)),
                        payload, input, line(payload, max), false);
            }
            default -> {
                int fieldBytes = FIELD_BYTES[input.bits(3, 2)];
                int fieldMax = fieldBytes == 4 ? Integer.MAX_VALUE : (1 << (8 * fieldBytes)) - 1;
                int max = input.flag(5) ? fieldMax : Math.min(fieldMax, input.bits(6, 9));
                check(where + ", field " + fieldBytes + ", max " + max,
                        new FramedDatagramCodec<>(() -> new LengthFieldCodec(fieldBytes, max)), payload, input,
                        frame(payload, fieldBytes, max), true);
            }
        }
    }

    /**
     * Decodes {@code payload} with {@code codec} and checks it against {@code expected} (null:
     * malformed); {@code exact}: encoding the message gives the payload back.
     */
    private static <M> void check(String where, DatagramCodec<M, M> codec, byte[] payload, FuzzInput input, M expected,
                                  boolean exact) {
        ByteBuffer buffer = arriving(payload, input);
        M message;
        try {
            message = codec.decode(buffer);
        } catch (DecodeException e) {
            if (expected != null) {
                throw new AssertionError(where + ": refused (" + e.getMessage() + "), the model decodes " + expected);
            }
            return;
        }
        if (expected == null) {
            throw new AssertionError(where + ": decoded " + message + ", the model refuses it");
        }
        String before = String.valueOf(message);
        ByteBuffer frame = message instanceof ByteBuffer b ? copy(b) : null;
        overwrite(buffer);
        if (!Objects.equals(message, expected) || !before.equals(String.valueOf(expected))
                || (frame != null && !frame.equals(expected))) {
            throw new AssertionError(where + ": decoded " + (frame != null ? frame : before) + " (now " + message
                    + "), the model " + expected);
        }

        PayloadSink sink = new PayloadSink(65_507);
        codec.encode(message, sink);
        byte[] encoded = new byte[sink.size()];
        sink.view().get(encoded);
        if (exact && !Arrays.equals(encoded, payload)) {
            throw new AssertionError(where + ": encoded back as " + HexFormat.of().formatHex(encoded));
        }
        M again;
        try {
            again = codec.decode(ByteBuffer.wrap(encoded));
        } catch (DecodeException e) {
            throw new AssertionError(where + ": its encoding " + HexFormat.of().formatHex(encoded) + " is refused", e);
        }
        Object want = message instanceof String line && !exact && line.endsWith("\r") ? line.substring(0, line.length() - 1)
                : message;
        if (!Objects.equals(again, want)) {
            throw new AssertionError(where + ": encoded and decoded again as " + again + ", not " + want);
        }
    }

    /** The payload as the loop hands it over: in an array at an offset, or in a direct buffer. */
    private static ByteBuffer arriving(byte[] payload, FuzzInput input) {
        if (input.flag(16)) {
            return ByteBuffer.allocateDirect(payload.length).put(payload).flip();
        }
        int offset = input.bits(17, 3);
        byte[] array = new byte[offset + payload.length + input.bits(20, 3)];
        Arrays.fill(array, (byte) '\n'); // bytes around the payload that a decoder must not read
        System.arraycopy(payload, 0, array, offset, payload.length);
        return ByteBuffer.wrap(array, offset, payload.length).slice();
    }

    private static void overwrite(ByteBuffer buffer) {
        ByteBuffer all = buffer.duplicate().clear();
        while (all.hasRemaining()) {
            all.put((byte) 0x5A);
        }
    }

    private static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.allocate(b.remaining()).put(b.duplicate()).flip();
    }

    /** UTF-8 text if the bytes are well-formed UTF-8 (they survive a round trip through a string), else null. */
    private static String utf8(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        return Arrays.equals(text.getBytes(StandardCharsets.UTF_8), payload) ? text : null;
    }

    /** One line: bytes up to an optional LF (less one CR before it, or at the very end), within the limit; else null. */
    private static String line(byte[] p, int max) {
        int lf = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == '\n') {
                lf = i;
                break;
            }
        }
        if (p.length == 0 || (lf >= 0 && lf != p.length - 1)) {
            return null; // nothing, or bytes after the line
        }
        int end = lf >= 0 ? lf : p.length;
        if (end > 0 && p[end - 1] == '\r') {
            end--;
        }
        return end > max ? null : new String(p, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** Exactly one frame within the limit, else null. */
    private static ByteBuffer frame(byte[] p, int fieldBytes, int max) {
        if (p.length < fieldBytes) {
            return null;
        }
        long length = 0;
        for (int i = 0; i < fieldBytes; i++) {
            length = length << 8 | (p[i] & 0xff);
        }
        return length > max || length != p.length - fieldBytes ? null : ByteBuffer.wrap(p, fieldBytes, (int) length).slice();
    }
}
