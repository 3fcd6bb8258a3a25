package io.eddy.http.codec;

import io.eddy.core.codec.DecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.ResponseLimits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The response decoder's counterpart of {@link DecoderFuzzTest}: seeded random runs of responses on
 * one connection (interim 1xx responses, HEAD, 204 and 304 without a body, fixed bodies, chunked
 * bodies with extensions and trailers, a last body delimited by the connection's close), decoded
 * as generated and after {@link DecoderFuzzTest.Mutator}'s damage, under default or small random
 * limits. Whatever the bytes, the decoder must:
 *
 * <ul>
 *   <li>only produce parts or throw a {@link DecodeException}, never another exception, never loop,
 *       and read nothing after it threw;</li>
 *   <li>decode the same (the same heads, the same reassembled body bytes and trailers, the same
 *       error) in one read and in reads cut at random points, in arrays at random offsets or in
 *       direct buffers;</li>
 *   <li>decode a run left as generated to exactly what the generator expects.</li>
 * </ul>
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpResponseDecoderFuzzTest {

    private static final int SEEDS = 20;
    private static final int CASES = 250;
    private static final String TCHAR = DecoderFuzzTest.Generator.TCHAR;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void decodesRunsAsGeneratedAndAnyMutationTheSameWhateverTheReads(long seed) {
        Random random = new Random(seed * 0xC2B2AE3D27D4EB4FL);
        for (int c = 0; c < CASES; c++) {
            String where = "seed " + seed + " case " + c;
            Run run = new Generator(random).run();
            byte[] wire = run.wire().getBytes(ISO_8859_1);
            String whole = decode(wire, run.methods(), ResponseLimits.defaults(), null, where);
            assertEquals(run.expected(), whole, () -> where + ": decoded\n" + DecoderFuzzTest.show(wire));
            String cut = decode(wire, run.methods(), ResponseLimits.defaults(), new Random(random.nextLong()), where);
            assertEquals(whole, cut, () -> where + ": decoded differently in one read and in pieces\n" + DecoderFuzzTest.show(wire));

            ResponseLimits limits = limits(random);
            byte[] mutated = DecoderFuzzTest.Mutator.mutate(random, wire);
            String at = where + " (mutated, " + limits + ")";
            String mutatedWhole = decode(mutated, run.methods(), limits, null, at);
            String mutatedCut = decode(mutated, run.methods(), limits, new Random(random.nextLong()), at);
            assertEquals(mutatedWhole, mutatedCut, () -> at + ": decoded differently in one read and in pieces\n"
                    + DecoderFuzzTest.show(mutated));
        }
    }

    private static ResponseLimits limits(Random random) {
        if (random.nextInt(3) != 0) {
            return ResponseLimits.defaults();
        }
        return new ResponseLimits(30 + random.nextInt(800), 1 + random.nextInt(12), random.nextInt(6000));
    }

    // ---- decoding as a client connection does ----

    /**
     * Decodes {@code wire} as answers to requests of {@code methods}, in one read if {@code cuts} is
     * null, else in reads of random sizes; then the input ends. The transcript, ending with the
     * error if one came.
     */
    static String decode(byte[] wire, Queue<String> methods, ResponseLimits limits, Random cuts, String where) {
        Queue<String> expecting = new ArrayDeque<>(methods);
        HttpResponseDecoder decoder = new HttpResponseDecoder(limits);
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] left = new byte[0];
        int offset = 0;
        int budget = 4 * wire.length + 64;
        try {
            do {
                int n = cuts == null ? wire.length - offset : Math.min(wire.length - offset, DecoderFuzzTest.readSize(cuts));
                ByteBuffer in = DecoderFuzzTest.readBuffer(left, wire, offset, n, cuts);
                offset += n;
                budget = decodeAll(decoder, in, expecting, text, body, false, budget, where, wire);
                left = new byte[in.remaining()];
                in.get(left);
                // What the decoder leaves, the connection holds: at most one line, which a limit bounds.
                if (left.length > heldAtMost(limits)) {
                    throw new AssertionError(where + ": the decoder left " + left.length + " bytes unread, more than its"
                            + " limits allow (" + heldAtMost(limits) + ")\n" + DecoderFuzzTest.show(wire));
                }
            } while (offset < wire.length);
            ByteBuffer rest = ByteBuffer.wrap(left);
            decodeAll(decoder, rest, expecting, text, body, true, budget, where, wire);
            if (decoder.endOfStream()) {
                endBody(text, body);
            }
        } catch (DecodeException e) {
            text.append("ERROR ").append(e.getMessage()).append('\n');
            afterError(decoder, where, wire);
        }
        return text.toString();
    }

    /** The most bytes the decoder may leave unread between reads: a head line, a trailer line or a chunk-size line. */
    static int heldAtMost(ResponseLimits limits) {
        return Math.max(limits.maxHeaderSize(), MessageBodyParser.MAX_CHUNK_LINE);
    }

    private static int decodeAll(HttpResponseDecoder decoder, ByteBuffer in, Queue<String> expecting, StringBuilder text,
                                 ByteArrayOutputStream body, boolean last, int budget, String where, byte[] wire) throws DecodeException {
        while (true) {
            if (decoder.isIdle() && !expecting.isEmpty()) {
                decoder.expectResponseTo(expecting.remove());
            }
            int before = in.position();
            ClientResponsePart part;
            try {
                part = last ? decoder.decodeLast(in) : decoder.decode(in);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError(where + ": the decoder threw\n" + DecoderFuzzTest.show(wire), e);
            }
            if (in.position() < before) {
                throw new AssertionError(where + ": the decoder moved back in its input\n" + DecoderFuzzTest.show(wire));
            }
            if (part == null) {
                return budget;
            }
            if (--budget < 0) {
                throw new AssertionError(where + ": the decoder produced parts without end\n" + DecoderFuzzTest.show(wire));
            }
            if (part instanceof ClientResponsePart.Head h) {
                text.append("HEAD ").append(h.version()).append(' ').append(h.status()).append(" body=").append(h.bodyLength())
                        .append(" keepAlive=").append(h.keepAlive()).append('\n');
                fields(text, h.headers());
            } else if (part instanceof ClientResponsePart.Body b) {
                // Pieces are joined however the reads cut them: the transcript shows the bytes, not the pieces.
                ByteBuffer data = b.data().duplicate();
                while (data.hasRemaining()) {
                    body.write(data.get());
                }
            } else if (part instanceof ClientResponsePart.End end) {
                endBody(text, body);
                fields(text, end.trailers());
            }
        }
    }

    /** The body's bytes as one line (none when it had none), then its end. */
    private static void endBody(StringBuilder text, ByteArrayOutputStream body) {
        if (body.size() > 0) {
            text.append("BODY ").append(body.toString(ISO_8859_1)).append('\n');
            body.reset();
        }
        text.append("END\n");
    }

    private static void fields(StringBuilder text, HttpHeaders fields) {
        fields.forEach((name, value) -> text.append("  ").append(name).append(": ").append(value).append('\n'));
    }

    /** A decoder that threw reads nothing more, whatever it is given. */
    private static void afterError(HttpResponseDecoder decoder, String where, byte[] wire) {
        ByteBuffer more = ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(ISO_8859_1));
        try {
            ClientResponsePart part = decoder.decode(more);
            if (part != null) {
                throw new AssertionError(where + ": produced " + part + " after an error\n" + DecoderFuzzTest.show(wire));
            }
        } catch (DecodeException e) {
            throw new AssertionError(where + ": threw again after an error", e);
        }
    }

    // ---- generating ----

    /** Responses on one connection, the requests' methods they answer, and their transcript. */
    record Run(String wire, Queue<String> methods, String expected) {
    }

    /** Valid responses of every framing the decoder reads. */
    private static final class Generator {
        private final Random random;
        private final StringBuilder wire = new StringBuilder();
        private final StringBuilder expected = new StringBuilder();
        private final Queue<String> methods = new ArrayDeque<>();
        /** The request fuzzer's generator, for the pieces both kinds of message share. */
        private final DecoderFuzzTest.Generator pieces;

        Generator(Random random) {
            this.random = random;
            this.pieces = new DecoderFuzzTest.Generator(random);
        }

        Run run() {
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                response(i == n - 1);
            }
            return new Run(wire.toString(), methods, expected.toString());
        }

        private void response(boolean last) {
            String method = random.nextInt(8) == 0 ? "HEAD" : "GET";
            methods.add(method);
            for (int i = random.nextInt(6) == 0 ? 1 + random.nextInt(3) : 0; i > 0; i--) {
                wire.append("HTTP/1.1 10").append(random.nextBoolean() ? '0' : '3').append(" Interim\r\nX-I: i\r\n\r\n");
            }
            int status = switch (random.nextInt(10)) {
                case 0 -> 204;
                case 1 -> 304;
                case 2 -> 404;
                default -> 200;
            };
            int framing = random.nextInt(last ? 3 : 2);    // 0 fixed, 1 chunked, 2 until close
            byte[] body = pieces.bytes(random.nextInt(5) == 0 ? random.nextInt(3000) : random.nextInt(40));
            wire.append("HTTP/1.1 ").append(status).append(random.nextBoolean() ? " Reason" : "").append("\r\n");
            String[] fields = new String[random.nextInt(3)];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = "X-" + pieces.chars(TCHAR, 1 + random.nextInt(8)) + ": " + pieces.chars(TCHAR + " \t", 1 + random.nextInt(20)).strip();
            }
            String framingField = framing == 0 ? "Content-Length: " + body.length : framing == 1 ? "Transfer-Encoding: chunked" : null;
            StringBuilder head = new StringBuilder();
            for (String field : fields) {
                head.append(field).append("\r\n");
            }
            if (framingField != null) {
                head.append(framingField).append("\r\n");
            }
            wire.append(head).append("\r\n");
            boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
            long bodyLength = noBody ? 0 : framing == 0 ? body.length : framing == 1 ? ClientResponsePart.CHUNKED : ClientResponsePart.UNTIL_CLOSE;
            expected.append("HEAD HTTP/1.1 ").append(status).append(" body=").append(bodyLength)
                    .append(" keepAlive=").append(bodyLength != ClientResponsePart.UNTIL_CLOSE).append('\n');
            for (String line : head.toString().split("\r\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                expected.append("  ").append(line, 0, colon).append(": ").append(line.substring(colon + 1).strip()).append('\n');
            }
            if (noBody) {
                expected.append("END\n");
                return;
            }
            if (body.length > 0) {
                expected.append("BODY ").append(new String(body, ISO_8859_1)).append('\n');
            }
            expected.append("END\n");
            if (framing == 0 || framing == 2) {
                wire.append(new String(body, ISO_8859_1));
            } else {
                chunked(body);
            }
        }

        private void chunked(byte[] body) {
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1 + random.nextInt(random.nextInt(6) == 0 ? 2000 : 30));
                String size = Integer.toHexString(n);
                wire.append("0".repeat(random.nextInt(6) == 0 ? 2 : 0))
                        .append(random.nextBoolean() ? size : size.toUpperCase(Locale.ROOT)).append(pieces.extensions()).append("\r\n")
                        .append(new String(body, at, n, ISO_8859_1)).append("\r\n");
                at += n;
            }
            wire.append("0").append(pieces.extensions()).append("\r\n");
            for (int i = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0; i > 0; i--) {
                String name = "X-T" + pieces.chars(TCHAR, random.nextInt(6));
                String value = pieces.chars(TCHAR + " ", 1 + random.nextInt(30)).strip();
                wire.append(name).append(':').append(random.nextBoolean() ? " " : "").append(value).append("\r\n");
                expected.append("  ").append(name).append(": ").append(value).append('\n');
            }
            wire.append("\r\n");
        }
    }
}
