package io.eddy.http.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.testing.FuzzInput;
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
 *   <li>the limits hold: between reads the decoder never leaves more unread (for the connection
 *       to hold) than one line its limits allow;</li>
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
        DecoderFuzzTest.Outcome cut = DecoderFuzzTest.decode(wire, config, new Random(input.cuts()), where + " (cut)");
        if (!whole.text().equals(cut.text())) {
            throw new AssertionError(where + ": decoded differently in one read\n" + whole.text() + "\nand in pieces\n"
                    + cut.text() + "\n" + DecoderFuzzTest.show(wire));
        }
    }
}
