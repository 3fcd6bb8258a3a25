package io.eddy.core.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.FuzzInput;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link LengthFieldCodec} through a connection's real pipeline (a
 * {@code TestChannel}). The fuzzer chooses the length field's size (1, 2 or 4 bytes), the limit
 * (small, or the most the field can say), the stream and the reads it is cut into. The oracle is
 * a plain model of the format (a big-endian length, then that many bytes):
 *
 * <ul>
 *   <li>the frames delivered are the model's, whole or cut into any reads; the connection closes
 *       for a decode error exactly when a length is over the limit or the input ends inside a
 *       frame;</li>
 *   <li>the limit holds while the stream comes: the connection is closed by the first read that
 *       completes a length field over the limit, before any of that frame is buffered;</li>
 *   <li>the frames delivered, written back with the codec, are byte for byte the stream they came
 *       from.</li>
 * </ul>
 */
class LengthFieldCodecFuzzTarget {

    private static final int[] FIELD_BYTES = {1, 2, 4, 4};

    @FuzzTest
    void decodesAnyStreamAsTheModelSaysInAnyReads(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        int fieldBytes = FIELD_BYTES[input.bits(0, 2)];
        int fieldMax = fieldBytes == 4 ? Integer.MAX_VALUE : (1 << (8 * fieldBytes)) - 1;
        int max = input.flag(2) ? fieldMax : Math.min(fieldMax, input.bits(3, 9));
        byte[] stream = input.stream();
        String where = "field " + fieldBytes + ", max " + max + ", stream " + StreamFuzzing.show(stream);

        Model model = Model.of(stream, fieldBytes, max);
        StreamFuzzing.Outcome<ByteBuffer> whole = StreamFuzzing.feed(new LengthFieldCodec(fieldBytes, max), stream,
                new int[] {stream.length});
        int[] reads = input.reads();
        StreamFuzzing.Outcome<ByteBuffer> cut = StreamFuzzing.feed(new LengthFieldCodec(fieldBytes, max), stream, reads);
        for (StreamFuzzing.Outcome<ByteBuffer> outcome : List.of(whole, cut)) {
            if (!outcome.messages().equals(model.frames)) {
                throw new AssertionError(where + ": delivered " + outcome.messages().size() + " frames "
                        + outcome.messages() + ", the model " + model.frames.size());
            }
            if ((outcome.closed() == CloseReason.Kind.DECODE_ERROR) != model.malformed) {
                throw new AssertionError(where + ": closed with " + outcome.closed() + ", the model says malformed: "
                        + model.malformed);
            }
        }
        int fed = 0;
        for (int i = 0; i < reads.length; i++) {
            fed += reads[i];
            if (cut.closedAfterRead()[i] != (fed >= model.overLimitAt)) {
                throw new AssertionError(where + ": after " + fed + " bytes closed " + cut.closedAfterRead()[i]
                        + ", a length over the limit is complete at " + model.overLimitAt);
            }
        }
        byte[] written = StreamFuzzing.encode(() -> new LengthFieldCodec(fieldBytes, max), model.frames);
        if (!Arrays.equals(written, Arrays.copyOf(stream, model.consumed))) {
            throw new AssertionError(where + ": written back as " + StreamFuzzing.show(written));
        }
    }

    /** The format, read naively from the whole stream. */
    private static final class Model {
        final List<ByteBuffer> frames = new ArrayList<>();
        /** The bytes the whole frames take. */
        int consumed;
        boolean malformed;
        /** How many bytes of the stream complete a length over the limit (past the end: never). */
        int overLimitAt = Integer.MAX_VALUE;

        static Model of(byte[] s, int fieldBytes, int max) {
            Model m = new Model();
            int at = 0;
            while (s.length - at >= fieldBytes) {
                long length = 0;
                for (int i = 0; i < fieldBytes; i++) {
                    length = length << 8 | (s[at + i] & 0xff);
                }
                if (length > max) {
                    m.malformed = true;
                    m.overLimitAt = at + fieldBytes;
                    return m;
                }
                if (s.length - at - fieldBytes < length) {
                    break;
                }
                m.frames.add(ByteBuffer.wrap(Arrays.copyOfRange(s, at + fieldBytes, at + fieldBytes + (int) length)));
                at += fieldBytes + (int) length;
                m.consumed = at;
            }
            m.malformed = at < s.length; // the input ended inside a frame
            return m;
        }
    }
}
