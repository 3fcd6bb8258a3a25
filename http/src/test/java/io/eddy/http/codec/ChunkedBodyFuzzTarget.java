package io.eddy.http.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.testing.FuzzInput;
import io.eddy.http.HttpLimits;
import io.eddy.http.Leniency;
import io.eddy.http.ResponseLimits;
import java.util.EnumSet;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * Coverage-guided fuzzing of chunked framing ({@link MessageBodyParser}), driven through both
 * decoders as {@link MessageBodyParserTest} drives it: the fuzzer's bytes follow a request head
 * and a response head that announce a chunked body, with the same trailer budget on both sides.
 * The fuzzer also chooses the size of the reads and the client's body limit. Whatever the bytes:
 *
 * <ul>
 *   <li>each side frames them the same in one read and in reads of the chosen size;</li>
 *   <li>both sides frame them alike: the same body and trailers, the same body so far when the
 *       bytes end early, or both refuse them (each with its own error), unless a chunk size
 *       announces more than the client's {@code maxBodySize} allows (which the request decoder
 *       leaves to the server);</li>
 *   <li>a client with a body limit never delivers more body than the limit;</li>
 *   <li>a body both accept, written again canonically (one chunk, then its trailers), frames to
 *       the same body and trailers.</li>
 * </ul>
 */
class ChunkedBodyFuzzTarget {

    private static final String REQUEST_LINE = "POST / HTTP/1.1\r\n";

    @FuzzTest
    void bothSidesFrameAnyChunkedBodyAlikeInAnyReads(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        String body = new String(input.stream(), ISO_8859_1);
        int read = input.flag(0) ? Integer.MAX_VALUE : 1 + input.bits(1, 6);
        // The response's status line counts toward its header budget, the request line toward a limit of its own.
        HttpLimits requestLimits = HttpLimits.defaults();
        int trailerBudget = requestLimits.maxHeaderSize() - (MessageBodyParserTest.REQUEST_HEAD.length() - REQUEST_LINE.length());
        ResponseLimits responseLimits = ResponseLimits.defaults()
                .withMaxHeaderSize(trailerBudget + MessageBodyParserTest.RESPONSE_HEAD.length());
        String where = "reads of " + read + ", body " + DecoderFuzzTest.show(input.stream());

        String request = MessageBodyParserTest.request(MessageBodyParserTest.REQUEST_HEAD + body, EnumSet.noneOf(Leniency.class),
                requestLimits, Integer.MAX_VALUE);
        String response = MessageBodyParserTest.response(MessageBodyParserTest.RESPONSE_HEAD + body, responseLimits,
                Integer.MAX_VALUE);
        same(where + ": request in one read and in pieces", request, MessageBodyParserTest.request(
                MessageBodyParserTest.REQUEST_HEAD + body, EnumSet.noneOf(Leniency.class), requestLimits, read));
        same(where + ": response in one read and in pieces", response, MessageBodyParserTest.response(
                MessageBodyParserTest.RESPONSE_HEAD + body, responseLimits, read));
        // The one rule the sides do not share: a client refuses a body over its maxBodySize (at most
        // 2 GiB) as soon as a chunk size announces it, a request decoder leaves that to the server.
        boolean overClientLimit = response.startsWith("error: response body exceeds the limit maxBodySize");
        if (!overClientLimit && (request.startsWith("error: ") != response.startsWith("error: ")
                || (!request.startsWith("error: ") && !request.equals(response)))) {
            throw new AssertionError(where + ": the request side framed\n" + request + "\nthe response side\n" + response);
        }

        long maxBody = 20L * input.bits(7, 6);
        String limited = MessageBodyParserTest.response(MessageBodyParserTest.RESPONSE_HEAD + body,
                responseLimits.withMaxBodySize(maxBody), read);
        int delivered = limited.startsWith("error: ") ? 0
                : limited.startsWith("incomplete: ") ? limited.length() - "incomplete: ".length() : limited.indexOf('|');
        if (delivered > maxBody) {
            throw new AssertionError(where + ": " + delivered + " bytes of body got past maxBodySize " + maxBody);
        }

        // The request decoder's own checks: fields from the bytes, and a completed request written
        // again canonically (the body as one chunk, then its trailers) decodes to the same parts.
        byte[] wire = (MessageBodyParserTest.REQUEST_HEAD + body).getBytes(ISO_8859_1);
        DecoderFuzzTest.check(where, wire, DecoderFuzzTest.Config.STRICT,
                DecoderFuzzTest.decode(wire, DecoderFuzzTest.Config.STRICT, null, where));
    }

    private static void same(String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError(what + ": " + expected + "\nthen\n" + actual);
        }
    }
}
