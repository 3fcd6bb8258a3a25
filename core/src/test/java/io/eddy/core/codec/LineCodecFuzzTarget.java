package io.eddy.core.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.FuzzInput;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link LineCodec} through a connection's real pipeline (a
 * {@code TestChannel}). The fuzzer chooses the limit (tiny or the default), the charset, the
 * separator written, the stream and the reads it is cut into. The oracle is a plain model of the
 * format (split at LF, drop one CR before it, deliver a last line without separator at the end of
 * input, refuse a line longer than the limit):
 *
 * <ul>
 *   <li>the lines delivered are the model's, whole or cut into any reads, and the connection
 *       closes for a decode error exactly when the model has a line over the limit;</li>
 *   <li>the limit holds while the stream comes: the connection is closed by the first read after
 *       which an unfinished line is more than one byte (a CR) over the limit, so no more than that
 *       is ever buffered for a line;</li>
 *   <li>the lines delivered, written back with the codec, decode to the same lines (a line ending
 *       in CR written with a bare LF separator comes back without that CR: the written CR and LF
 *       are a CRLF, as {@link LineCodec} documents).</li>
 * </ul>
 *
 * <p>{@code mvn verify} replays the committed inputs; {@code mvn -Pfuzz verify} fuzzes.
 */
class LineCodecFuzzTarget {

    @FuzzTest
    void decodesAnyStreamAsTheModelSaysInAnyReads(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        int max = input.flag(0) ? LineCodec.DEFAULT_MAX_LINE_LENGTH : 1 + input.bits(1, 6);
        Charset charset = input.flag(7) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        String separator = input.flag(8) ? "\r\n" : "\n";
        byte[] stream = input.stream();
        String where = "max " + max + ", " + charset + ", separator " + separator.length() + ", stream "
                + StreamFuzzing.show(stream);

        Model model = Model.of(stream, max, charset);
        StreamFuzzing.Outcome<String> whole = StreamFuzzing.feed(new LineCodec(max, charset, separator), stream,
                new int[] {stream.length});
        int[] reads = input.reads();
        StreamFuzzing.Outcome<String> cut = StreamFuzzing.feed(new LineCodec(max, charset, separator), stream, reads);
        for (StreamFuzzing.Outcome<String> outcome : List.of(whole, cut)) {
            if (!outcome.messages().equals(model.lines)) {
                throw new AssertionError(where + ": delivered " + outcome.messages() + ", the model says " + model.lines);
            }
            if ((outcome.closed() == CloseReason.Kind.DECODE_ERROR) != model.tooLong) {
                throw new AssertionError(where + ": closed with " + outcome.closed() + ", the model says too long: "
                        + model.tooLong);
            }
        }
        int fed = 0;
        for (int i = 0; i < reads.length; i++) {
            fed += reads[i];
            boolean mustBeClosed = fed >= model.errorAt;
            if (cut.closedAfterRead()[i] != mustBeClosed) {
                throw new AssertionError(where + ": after " + fed + " bytes closed " + cut.closedAfterRead()[i]
                        + ", the limit is broken at " + model.errorAt);
            }
        }

        // Written back (by a codec whose limit the replacement characters of malformed UTF-8 fit), read again.
        int roomy = 3 * max + 2;
        byte[] written = StreamFuzzing.encode(() -> new LineCodec(max, charset, separator), model.lines);
        List<String> again = StreamFuzzing.feed(new LineCodec(roomy, charset, separator), written,
                new int[] {written.length}).messages();
        List<String> expected = new ArrayList<>();
        for (String line : model.lines) {
            expected.add(separator.equals("\n") && line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        if (!again.equals(expected)) {
            throw new AssertionError(where + ": written back and read again " + again + ", not " + expected);
        }
    }

    /** The format, read naively from the whole stream. */
    private static final class Model {
        final List<String> lines = new ArrayList<>();
        boolean tooLong;
        /** How many bytes of the stream make the limit's breach visible (past the end: never). */
        int errorAt = Integer.MAX_VALUE;

        static Model of(byte[] s, int max, Charset charset) {
            Model m = new Model();
            int start = 0;
            for (int i = 0; i < s.length; i++) {
                if (s[i] == '\n') {
                    int end = i > start && s[i - 1] == '\r' ? i - 1 : i;
                    if (end - start > max) {
                        m.tooLong(Math.min(start + max + 2, i + 1));
                        return m;
                    }
                    m.lines.add(new String(s, start, end - start, charset));
                    start = i + 1;
                }
            }
            if (start < s.length) {
                if (s.length - start > max + 1) {
                    m.tooLong(start + max + 2);
                    return m;
                }
                int end = s[s.length - 1] == '\r' ? s.length - 1 : s.length;
                if (end - start > max) {
                    m.tooLong = true; // seen only when the input ends
                    return m;
                }
                m.lines.add(new String(s, start, end - start, charset));
            }
            return m;
        }

        private void tooLong(int at) {
            tooLong = true;
            errorAt = at;
        }
    }
}
