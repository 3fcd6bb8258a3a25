package io.eddy.http.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.testing.FuzzInput;
import io.eddy.http.HttpLimits;
import java.util.Random;

/**
 * Coverage-guided fuzzing of {@link HttpRequestDecoder}, with the oracles of the seeded
 * {@link DecoderFuzzTest} (whose decoding and checks it reuses) on bytes the fuzzer chooses: the
 * leniencies, small or default limits ({@link DecoderFuzzTest.Config#of}), the stream, and the reads it is cut into. Whatever the
 * bytes:
 *
 * <ul>
 *   <li>only parts come out, in the order of {@link RequestPart}, or an
 *       {@link io.eddy.http.HttpDecodeException} with a status the decoder documents; nothing
 *       after it;</li>
 *   <li>the limits hold: no request delivered has a longer request line, more fields or more
 *       field bytes than they allow, and between reads the decoder never leaves more unread (for
 *       the connection to hold) than one line they allow;</li>
 *   <li>one read and the fuzzer's cuts (in arrays at offsets, or direct buffers) decode the
 *       same;</li>
 *   <li>the request line and fields are in the bytes, and every completed request, written again
 *       canonically, decodes to the same parts.</li>
 * </ul>
 */
class RequestDecoderFuzzTarget {

    @FuzzTest
    void decodesAnyBytesToPartsOrATypedErrorTheSameInAnyReads(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        DecoderFuzzTest.Config config = DecoderFuzzTest.Config.of(input);
        byte[] wire = input.stream();
        String where = "fuzz input (" + config + ")";
        DecoderFuzzTest.Outcome whole = DecoderFuzzTest.decode(wire, config, null, where);
        DecoderFuzzTest.check(where, wire, config, whole);
        for (DecoderFuzzTest.Decoded request : whole.requests()) {
            withinLimits(where, wire, config, request);
        }
        DecoderFuzzTest.Outcome cut = DecoderFuzzTest.decode(wire, config, new Random(input.cuts()), where + " (cut)");
        if (!whole.text().equals(cut.text())) {
            throw new AssertionError(where + ": decoded differently in one read\n" + whole.text() + "\nand in pieces\n"
                    + cut.text() + "\n" + DecoderFuzzTest.show(wire));
        }
    }

    /**
     * What a request delivered stays within the limits: its request line, its field count (per
     * section) and the bytes its fields took on the wire, counted at their fewest (a bare LF, no
     * whitespace) across the head and the trailers, which share the budget.
     */
    private static void withinLimits(String where, byte[] wire, DecoderFuzzTest.Config config,
                                     DecoderFuzzTest.Decoded request) {
        HttpLimits limits = config.limits();
        RequestPart.Head head = request.head();
        int line = head.method().length() + 1 + head.target().length() + 1 + head.version().toString().length();
        int[] fieldBytes = {1};
        head.headers().forEach((name, value) -> fieldBytes[0] += name.length() + 1 + value.length() + 1);
        if (request.trailers() != null) {
            request.trailers().forEach((name, value) -> fieldBytes[0] += name.length() + 1 + value.length() + 1);
        }
        if (line > limits.maxRequestLineLength() || head.headers().size() > limits.maxHeaderCount()
                || (request.trailers() != null && request.trailers().size() > limits.maxHeaderCount())
                || fieldBytes[0] > limits.maxHeaderSize()) {
            throw new AssertionError(where + ": a request over the limits got through: line " + line + ", "
                    + head.headers().size() + " fields, " + fieldBytes[0] + " field bytes\n" + DecoderFuzzTest.show(wire));
        }
    }
}
