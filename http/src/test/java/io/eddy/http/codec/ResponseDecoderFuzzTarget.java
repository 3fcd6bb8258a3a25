package io.eddy.http.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.testing.FuzzInput;
import io.eddy.http.HttpHeaders;
import io.eddy.http.ResponseLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * Coverage-guided fuzzing of {@link HttpResponseDecoder}, with the oracles of the seeded
 * {@link HttpResponseDecoderFuzzTest} (whose decoding it reuses) on bytes the fuzzer chooses: the
 * requests answered ({@code GET} or {@code HEAD}, up to eight), small or default limits, the
 * stream, and the reads it is cut into. Whatever the bytes:
 *
 * <ul>
 *   <li>only parts come out, or a {@link DecodeException}; never another exception, nothing after
 *       it;</li>
 *   <li>the limits hold: between reads the decoder never leaves more unread than one line its
 *       limits allow, and no body delivered is longer than {@code maxBodySize};</li>
 *   <li>one read and the fuzzer's cuts decode the same;</li>
 *   <li>every completed response, written again canonically (its fields as decoded, a chunked
 *       body as one chunk and its trailers), decodes to the same.</li>
 * </ul>
 */
class ResponseDecoderFuzzTarget {

    @FuzzTest
    void decodesAnyBytesToPartsOrADecodeErrorTheSameInAnyReads(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        Queue<String> methods = new ArrayDeque<>();
        for (int i = 0, n = 1 + input.bits(0, 3); i < n; i++) {
            methods.add(input.flag(3 + i) ? "HEAD" : "GET");
        }
        ResponseLimits limits = input.flag(11)
                ? new ResponseLimits(16 + input.bits(12, 10), 1 + input.bits(22, 4), 50L * input.bits(26, 6))
                : ResponseLimits.defaults();
        byte[] wire = input.stream();
        String where = "fuzz input (" + methods + ", " + limits + ")";

        String whole = HttpResponseDecoderFuzzTest.decode(wire, methods, limits, null, where);
        String cut = HttpResponseDecoderFuzzTest.decode(wire, methods, limits, new Random(input.cuts()), where + " (cut)");
        if (!whole.equals(cut)) {
            throw new AssertionError(where + ": decoded differently in one read\n" + whole + "\nand in pieces\n" + cut
                    + "\n" + DecoderFuzzTest.show(wire));
        }

        List<Response> responses = responses(wire, methods, limits);
        StringBuilder canonical = new StringBuilder();
        Queue<String> answered = new ArrayDeque<>();
        int n = 0;
        for (Response response : responses) {
            if (response.body.length > limits.maxBodySize()) {
                throw new AssertionError(where + ": a body of " + response.body.length + " bytes got through\n"
                        + DecoderFuzzTest.show(wire));
            }
            canonical.append(response.canonical());
            answered.add(new ArrayList<>(methods).get(n++));
        }
        // Re-encoded, the completed responses decode to the start of the transcript, and what is left
        // of it is an unfinished response or an error, never another END or the last one's trailers.
        byte[] again = canonical.toString().getBytes(ISO_8859_1);
        String reencoded = HttpResponseDecoderFuzzTest.decode(again, answered, ResponseLimits.defaults(), null,
                where + " (re-encoded)");
        String rest = whole.startsWith(reencoded) ? whole.substring(reencoded.length()) : null;
        if (rest == null || !(rest.isEmpty() || rest.startsWith("HEAD ") || rest.startsWith("ERROR ")) || rest.contains("\nEND\n")) {
            throw new AssertionError(where + ": the completed responses, re-encoded, decode to\n" + reencoded
                    + "\nwhich is not where\n" + whole + "\nleaves them\nre-encoded:\n" + DecoderFuzzTest.show(again)
                    + "\noriginal:\n" + DecoderFuzzTest.show(wire));
        }
    }

    /** A completed response as decoded. */
    private record Response(ClientResponsePart.Head head, byte[] body, HttpHeaders trailers) {

        /** Written canonically: CRLFs, one field a line, a chunked body as one chunk. */
        String canonical() {
            StringBuilder s = new StringBuilder();
            s.append(head.version()).append(' ').append(head.status()).append(" R\r\n");
            head.headers().forEach((name, value) -> s.append(name).append(": ").append(value).append("\r\n"));
            s.append("\r\n");
            String content = new String(body, ISO_8859_1);
            if (head.bodyLength() == ClientResponsePart.CHUNKED) {
                if (!content.isEmpty()) {
                    s.append(Integer.toHexString(content.length())).append("\r\n").append(content).append("\r\n");
                }
                s.append("0\r\n");
                trailers.forEach((name, value) -> s.append(name).append(": ").append(value).append("\r\n"));
                s.append("\r\n");
            } else {
                s.append(content);
            }
            return s.toString();
        }
    }

    /** The responses {@code wire} completes, read in one go (the cuts are checked above). */
    private static List<Response> responses(byte[] wire, Queue<String> methods, ResponseLimits limits) {
        Queue<String> expecting = new ArrayDeque<>(methods);
        HttpResponseDecoder decoder = new HttpResponseDecoder(limits);
        List<Response> responses = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(wire);
        ClientResponsePart.Head head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (boolean last = false; ; ) {
                if (decoder.isIdle() && !expecting.isEmpty()) {
                    decoder.expectResponseTo(expecting.remove());
                }
                ClientResponsePart part = last ? decoder.decodeLast(in) : decoder.decode(in);
                if (part == null) {
                    if (last) {
                        return responses;
                    }
                    last = true; // decodeLast ends a body that lasts until the connection closes
                } else if (part instanceof ClientResponsePart.Head h) {
                    head = h;
                    body.reset();
                } else if (part instanceof ClientResponsePart.Body b) {
                    ByteBuffer piece = b.data().duplicate();
                    while (piece.hasRemaining()) {
                        body.write(piece.get());
                    }
                } else if (part instanceof ClientResponsePart.End end) {
                    responses.add(new Response(head, body.toByteArray(), end.trailers()));
                    head = null;
                }
            }
        } catch (DecodeException e) {
            return responses;
        }
    }
}
