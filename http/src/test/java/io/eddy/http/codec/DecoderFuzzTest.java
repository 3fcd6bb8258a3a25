package io.eddy.http.codec;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpStatus;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.internal.HeaderValues;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random batches of valid requests (every method, target form, version, framing, chunk
 * extension and trailer the decoder takes), decoded as they are and after random mutations (bytes
 * flipped, CR, LF, NUL, SP, HTAB, ':' or high bytes inserted, bytes deleted, header lines
 * duplicated, ranges copied, CRLFs turned into LFs, the stream cut short), under the default
 * limits or small random ones and random leniencies. Whatever the bytes, the decoder must:
 *
 * <ul>
 *   <li>only produce parts or throw {@link HttpDecodeException} with a status it is documented to
 *       use, never another exception, never loop;</li>
 *   <li>produce parts in the order of {@link RequestPart} (a body only after a head that announced
 *       one, a fixed body exactly as long as announced), and none after it threw, however much
 *       more it is given;</li>
 *   <li>decode the same (the same parts, the same error) whether the bytes come in one read or are
 *       cut at random points into reads in arrays at random offsets, or in direct buffers;</li>
 *   <li>report only what the bytes hold (the request line verbatim, each field as one of the lines),
 *       and decode each request it completed, written out again canonically, to the same thing.</li>
 * </ul>
 *
 * <p>A batch left as generated must decode to exactly what the generator expects. Every failure
 * names its seed and case, and shows the bytes.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public class DecoderFuzzTest {

    private static final int SEEDS = 20;
    private static final int CASES = 250;
    private static final Set<Integer> STATUSES = Set.of(HttpStatus.BAD_REQUEST, HttpStatus.URI_TOO_LONG,
            HttpStatus.EXPECTATION_FAILED, HttpStatus.HEADER_FIELDS_TOO_LARGE, HttpStatus.HTTP_VERSION_NOT_SUPPORTED);

    public static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    public void decodesValidBatchesAsGeneratedAndAnyMutationOnlyToPartsOrAnHttpDecodeException(long seed) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L);
        for (int c = 0; c < CASES; c++) {
            Batch batch = Generator.batch(random);
            String where = "seed " + seed + " case " + c;
            Outcome valid = decode(batch.wire(), Config.STRICT, null, where);
            check(where + " (as generated)", batch.wire(), Config.STRICT, valid);
            assertEquals(batch.expected(), valid.text(), () -> where + ": decoded\n" + show(batch.wire()));

            Config config = Config.random(random);
            byte[] wire = Mutator.mutate(random, batch.wire());
            String mutated = where + " (mutated, " + config + ")";
            Outcome whole = decode(wire, config, null, mutated);
            check(mutated, wire, config, whole);
            Outcome cut = decode(wire, config, new Random(random.nextLong()), mutated);
            assertEquals(whole.text(), cut.text(), () -> mutated + ": decoded differently in one read and in pieces\n" + show(wire));
        }
    }

    // ---- checks ----

    /** What holds for any outcome: documented statuses, fields from the bytes, canonical re-encoding. */
    static void check(String where, byte[] wire, Config config, Outcome outcome) {
        if (outcome.error() != null && !STATUSES.contains(outcome.error().status())) {
            throw new AssertionError(where + ": status " + outcome.error().status() + "\n" + show(wire), outcome.error());
        }
        Set<String> lines = fieldLines(wire);
        String text = new String(wire, ISO_8859_1);
        for (Decoded request : outcome.requests()) {
            RequestPart.Head r = request.head();
            String requestLine = r.method() + " " + r.target() + " " + r.version();
            boolean bareLf = config.leniencies().contains(Leniency.BARE_LF);
            if (!text.contains(requestLine + "\r\n") && !(bareLf && text.contains(requestLine + "\n"))) {
                throw new AssertionError(where + ": request line " + requestLine + " is not in the bytes\n" + show(wire));
            }
            if (!config.leniencies().contains(Leniency.OBS_FOLD)) {
                checkFieldsAreLines(where, wire, lines, r.headers());
                if (request.trailers() != null) {
                    checkFieldsAreLines(where, wire, lines, request.trailers());
                }
            }
        }
        // Each completed request, written again canonically, decodes to the same.
        StringBuilder canonical = new StringBuilder();
        Transcript completed = new Transcript();
        for (Decoded request : outcome.requests()) {
            if (request.complete()) {
                canonical.append(request.canonical());
                request.replay(completed);
            }
        }
        byte[] again = canonical.toString().getBytes(ISO_8859_1);
        Outcome reencoded = decode(again, new Config(HttpLimits.defaults(), config.leniencies()), null, where + " (re-encoded)");
        if (reencoded.error() != null || !reencoded.text().equals(completed.text())) {
            throw new AssertionError(where + ": the completed requests, re-encoded, decode to\n" + reencoded.text()
                    + "\ninstead of\n" + completed.text() + "\nre-encoded:\n" + show(again) + "\noriginal:\n" + show(wire),
                    reencoded.error());
        }
    }

    private static void checkFieldsAreLines(String where, byte[] wire, Set<String> lines, HttpHeaders fields) {
        fields.forEach((name, value) -> {
            if (!lines.contains(name.toLowerCase(Locale.ROOT) + ':' + value)) {
                throw new AssertionError(where + ": field " + name + ": " + value + " is not a line of the bytes\n" + show(wire));
            }
        });
    }

    /** Every line of {@code wire} with a colon, as {@code name:value}, the name lower-cased, both trimmed. */
    private static Set<String> fieldLines(byte[] wire) {
        Set<String> lines = new HashSet<>();
        for (String line : new String(wire, ISO_8859_1).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String value = line.substring(colon + 1);
                if (value.endsWith("\r")) {
                    value = value.substring(0, value.length() - 1);
                }
                lines.add(line.substring(0, colon).strip().toLowerCase(Locale.ROOT) + ':' + trim(value));
            }
        }
        return lines;
    }

    private static String trim(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && (value.charAt(from) == ' ' || value.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == '\t')) {
            to--;
        }
        return value.substring(from, to);
    }

    /** The bytes as Java string literal text, for a failure message. */
    public static String show(byte[] wire) {
        StringBuilder s = new StringBuilder("\"");
        for (byte b : wire) {
            int c = b & 0xff;
            if (c == '\n') {
                s.append("\\n\"\n+ \"");
            } else if (c == '\r') {
                s.append("\\r");
            } else if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c < 0x20 || c >= 0x7f) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.append((char) c);
            }
        }
        return s.append('"').toString();
    }

    // ---- decoding as a connection does ----

    /** The decoder's configuration. */
    public record Config(HttpLimits limits, Set<Leniency> leniencies) {

        static final Config STRICT = new Config(HttpLimits.defaults(), EnumSet.noneOf(Leniency.class));

        /** Strict or with random leniencies; default limits, or small ones that mutated heads run into. */
    public     static Config random(Random random) {
            EnumSet<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
            if (random.nextInt(3) == 0) {
                for (Leniency leniency : Leniency.values()) {
                    if (random.nextBoolean()) {
                        leniencies.add(leniency);
                    }
                }
            }
            HttpLimits limits = HttpLimits.defaults();
            if (random.nextInt(4) == 0) {
                limits = limits.withMaxRequestLineLength(10 + random.nextInt(200))
                        .withMaxHeaderSize(20 + random.nextInt(1000))
                        .withMaxHeaderCount(1 + random.nextInt(12));
            }
            return new Config(limits, leniencies);
        }

        /**
         * The fuzz targets' configuration: the leniencies from bits 0-2 of the settings word, and
         * small limits from bits 4-25 when bit 3 is set (default limits otherwise).
         */
        public static Config of(io.eddy.core.testing.FuzzInput input) {
            EnumSet<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
            for (Leniency leniency : Leniency.values()) {
                if (input.flag(leniency.ordinal())) {
                    leniencies.add(leniency);
                }
            }
            HttpLimits limits = HttpLimits.defaults();
            if (input.flag(3)) {
                limits = limits.withMaxRequestLineLength(8 + input.bits(4, 8))
                        .withMaxHeaderSize(16 + input.bits(12, 10))
                        .withMaxHeaderCount(1 + input.bits(22, 4));
            }
            return new Config(limits, leniencies);
        }

        /**
         * The most bytes the decoder may leave unread between reads: one line not yet whole, which
         * its limit bounds (the request line with its CRLF, a field line within the header budget,
         * a chunk-size line). What it leaves the connection holds, so this bounds the memory a
         * peer can make the connection hold for one message.
         */
        int heldAtMost() {
            return Math.max(Math.max(limits.maxRequestLineLength() + 2, limits.maxHeaderSize()), MessageBodyParser.MAX_CHUNK_LINE);
        }

    public     HttpRequestDecoder decoder() {
            return new HttpRequestDecoder(limits, leniencies, ViolationListener.ignore());
        }

        @Override
        public String toString() {
            return "limits " + limits.maxRequestLineLength() + "/" + limits.maxHeaderSize() + "/" + limits.maxHeaderCount()
                    + ", leniencies " + leniencies;
        }
    }

    /** What the decoder made of some bytes: its transcript (as text, the error included) and the requests. */
    public record Outcome(String text, List<Decoded> requests, HttpDecodeException error) {
    }

    /**
     * Decodes {@code wire} with a new decoder of {@code config}, in one read if {@code cuts} is null,
     * else in reads of random sizes it picks, each presented as the loop would: what the decoder
     * left, followed by the new bytes, in a heap array at a random offset or in a direct buffer.
     */
    public static Outcome decode(byte[] wire, Config config, Random cuts, String where) {
        HttpRequestDecoder decoder = config.decoder();
        Recorder recorder = new Recorder(where, wire);
        byte[] left = new byte[0];
        int offset = 0;
        int budget = 4 * wire.length + 64;
        do {
            int n = cuts == null ? wire.length - offset : Math.min(wire.length - offset, readSize(cuts));
            ByteBuffer in = readBuffer(left, wire, offset, n, cuts);
            offset += n;
            while (true) {
                int before = in.position();
                RequestPart part;
                try {
                    part = decoder.decode(in);
                } catch (HttpDecodeException e) {
                    recorder.error = e;
                    afterError(decoder, in, recorder);
                    return recorder.outcome();
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError(where + ": the decoder threw\n" + show(wire), e);
                }
                if (in.position() < before) {
                    throw new AssertionError(where + ": the decoder moved back in its input\n" + show(wire));
                }
                if (part == null) {
                    break;
                }
                recorder.add(part);
                if (--budget < 0) {
                    throw new AssertionError(where + ": the decoder produced parts without end\n" + show(wire));
                }
            }
            left = new byte[in.remaining()];
            in.get(left);
            if (left.length > config.heldAtMost()) {
                throw new AssertionError(where + ": the decoder left " + left.length + " bytes unread, more than its limits"
                        + " allow (" + config.heldAtMost() + ")\n" + show(wire));
            }
        } while (offset < wire.length);
        return recorder.outcome();
    }

    /** A decoder that threw reads nothing more, whatever it is given. */
    private static void afterError(HttpRequestDecoder decoder, ByteBuffer in, Recorder recorder) {
        ByteBuffer valid = ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(ISO_8859_1));
        for (ByteBuffer more : new ByteBuffer[] {in, valid}) {
            RequestPart part;
            try {
                part = decoder.decode(more);
            } catch (HttpDecodeException e) {
                throw new AssertionError(recorder.where + ": threw again after " + recorder.error.getMessage(), e);
            }
            if (part != null) {
                throw new AssertionError(recorder.where + ": produced " + part + " after " + recorder.error.getMessage()
                        + "\n" + show(recorder.wire));
            }
        }
    }

    /** A read's size: often one byte or a few, sometimes up to 2000. */
    static int readSize(Random cuts) {
        return switch (cuts.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 1 + cuts.nextInt(8);
            case 2 -> 1 + cuts.nextInt(64);
            default -> 1 + cuts.nextInt(2000);
        };
    }

    /**
     * What the decoder left, followed by {@code n} new bytes of {@code wire}: in an array at a
     * random offset, or now and then in a direct buffer; as they are when {@code cuts} is null.
     */
    static ByteBuffer readBuffer(byte[] left, byte[] wire, int offset, int n, Random cuts) {
        int length = left.length + n;
        if (cuts != null && cuts.nextInt(8) == 0) {
            ByteBuffer direct = ByteBuffer.allocateDirect(length);
            direct.put(left).put(wire, offset, n).flip();
            return direct;
        }
        int at = cuts == null ? 0 : cuts.nextInt(7);
        byte[] array = new byte[at + length + (cuts == null ? 0 : cuts.nextInt(5))];
        System.arraycopy(left, 0, array, at, left.length);
        System.arraycopy(wire, offset, array, at + left.length, n);
        return ByteBuffer.wrap(array, at, length).slice();
    }

    /** A request as decoded: its head, its body so far, its trailers once complete. */
    public static final class Decoded {
        private final RequestPart.Head head;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private HttpHeaders trailers;
        private boolean complete;

    public     Decoded(RequestPart.Head head) {
            this.head = head;
            this.complete = !head.hasBody();
        }

    public     RequestPart.Head head() {
            return head;
        }

        /** The body so far. */
    public     byte[] body() {
            return body.toByteArray();
        }

    public     HttpHeaders trailers() {
            return trailers;
        }

    public     boolean complete() {
            return complete;
        }

        /** The request written canonically: CRLFs, one field a line, the body in one chunk if chunked. */
    public     String canonical() {
            RequestPart.Head r = head;
            StringBuilder s = new StringBuilder();
            s.append(r.method()).append(' ').append(r.target()).append(' ').append(r.version()).append("\r\n");
            appendFields(s, r.headers());
            s.append("\r\n");
            String content = body.toString(ISO_8859_1);
            if (head.bodyLength() >= 0) {
                s.append(content);
            } else {
                if (!content.isEmpty()) {
                    s.append(Integer.toHexString(content.length())).append("\r\n").append(content).append("\r\n");
                }
                s.append("0\r\n");
                appendFields(s, trailers);
                s.append("\r\n");
            }
            return s.toString();
        }

        private static void appendFields(StringBuilder s, HttpHeaders fields) {
            fields.forEach((name, value) -> s.append(name).append(": ").append(value).append("\r\n"));
        }

        /** Hands the parts of this request to {@code transcript}, as the decoder did. */
    public     void replay(Transcript transcript) {
            transcript.add(head);
            if (head.hasBody()) {
                transcript.add(new RequestPart.Body(ByteBuffer.wrap(body.toByteArray())));
                if (complete) {
                    transcript.add(new RequestPart.End(trailers));
                }
            }
        }
    }

    /** Checks the order of the parts and records them. */
    private static final class Recorder {
        final String where;
        final byte[] wire;
        final Transcript transcript = new Transcript();
        final List<Decoded> requests = new ArrayList<>();
        Decoded receiving;
        boolean started;
        HttpDecodeException error;

    public     Recorder(String where, byte[] wire) {
            this.where = where;
            this.wire = wire;
        }

    public     void add(RequestPart part) {
            if (part instanceof RequestPart.Started) {
                expect(receiving == null && !started, "Started in the middle of a body or twice");
                started = true;
            } else if (part instanceof RequestPart.Head head) {
                expect(receiving == null, "a head in the middle of a body");
                started = false;
                Decoded request = new Decoded(head);
                requests.add(request);
                receiving = head.hasBody() ? request : null;
            } else if (part instanceof RequestPart.Body piece) {
                expect(receiving != null, "a body piece without a head announcing a body");
                expect(piece.data().hasRemaining(), "an empty body piece");
                ByteBuffer data = piece.data().duplicate();
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                receiving.body.writeBytes(bytes);
                long length = receiving.head.bodyLength();
                expect(length < 0 || receiving.body.size() <= length, "more body than Content-Length says");
            } else if (part instanceof RequestPart.End end) {
                expect(receiving != null, "an end without a body");
                long length = receiving.head.bodyLength();
                expect(length < 0 || receiving.body.size() == length, "a body shorter than Content-Length says");
                expect(end.trailers() != null && (length < 0 || end.trailers().isEmpty()), "trailers after a fixed body");
                receiving.trailers = end.trailers();
                receiving.complete = true;
                receiving = null;
            } else {
                expect(false, "a part the decoder never makes: " + part);
            }
            transcript.add(part);
        }

        private void expect(boolean condition, String what) {
            if (!condition) {
                throw new AssertionError(where + ": " + what + "\n" + show(wire));
            }
        }

    public     Outcome outcome() {
            String text = transcript.text();
            if (receiving != null) {
                text += "PENDING " + receiving.body.toString(ISO_8859_1) + "\n";
            }
            if (error != null) {
                text += "ERROR " + error.status() + " " + error.getMessage() + "\n";
            }
            return new Outcome(text, requests, error);
        }
    }

    // ---- valid requests ----

    /** Some pipelined requests, and the transcript they must decode to. */
    public record Batch(byte[] wire, String expected) {
    }

    /** Valid requests of every kind the decoder takes, with what each must decode to. */
    public static final class Generator {

        static final String TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        private static final String PCHAR = "abcxyzABCXYZ0189-._~!$&'()*+,;=:@{}|^`[]";
        private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE", "BREW", "M-SEARCH"};
        private static final String[] KNOWN = {
            HeaderNames.ACCEPT, HeaderNames.ACCEPT_ENCODING, HeaderNames.COOKIE, HeaderNames.USER_AGENT,
            HeaderNames.ORIGIN, HeaderNames.REFERER, HeaderNames.CACHE_CONTROL, HeaderNames.CONTENT_TYPE,
        };

        private final Random random;
        private final StringBuilder wire = new StringBuilder();
        private final StringBuilder expected = new StringBuilder();

        /** A generator drawing from {@code random}; the response decoder's fuzzer borrows its pieces. */
        Generator(Random random) {
            this.random = random;
        }

    public     static Batch batch(Random random) {
            Generator g = new Generator(random);
            int requests = 1 + random.nextInt(4);
            for (int i = 0; i < requests; i++) {
                if (random.nextInt(10) == 0) {
                    g.wire.append("\r\n"); // empty lines before a request line are skipped
                }
                g.request();
            }
            return new Batch(g.wire.toString().getBytes(ISO_8859_1), g.expected.toString());
        }

        private void request() {
            boolean http10 = random.nextInt(6) == 0;
            String version = http10 ? "HTTP/1.0" : "HTTP/1.1";
            String method = METHODS[random.nextInt(METHODS.length)];
            String target;
            String path;
            String query = null;
            int form = random.nextInt(12);
            if (form == 0) {
                method = "OPTIONS";
                target = "*";
                path = "*";
            } else if (form == 1) {
                method = "CONNECT";
                target = host(false) + ":" + (1 + random.nextInt(65535));
                path = "";
            } else {
                path = path();
                if (random.nextInt(3) == 0) {
                    query = chars(PCHAR + "/?", random.nextInt(20));
                }
                target = path + (query == null ? "" : "?" + query);
                if (form == 2) {
                    String authority = host(false) + (random.nextBoolean() ? ":" + random.nextInt(65536) : "");
                    String scheme = new String[] {"http", "https", "HTTP", "hTTpS"}[random.nextInt(4)];
                    if (random.nextInt(4) == 0) {
                        path = "/"; // no path: the authority alone, perhaps with a query
                        target = scheme + "://" + authority + (query == null ? "" : "?" + query);
                    } else {
                        target = scheme + "://" + authority + target;
                    }
                }
            }
            wire.append(method).append(' ').append(target).append(' ').append(version).append("\r\n");

            List<String[]> fields = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                fields.add(field());
            }
            if (!http10 || random.nextBoolean()) {
                fields.add(random.nextInt(fields.size() + 1), new String[] {cased("Host"), host(true)});
            }
            boolean keepAlive = !http10;
            if (random.nextInt(4) == 0) {
                String[] values = {"close", "keep-alive", "Keep-Alive", "upgrade, close", "Close", "TE"};
                String value = values[random.nextInt(values.length)];
                boolean close = HeaderValues.hasToken(value, "close");
                keepAlive = http10 ? HeaderValues.hasToken(value, "keep-alive") && !close : !close;
                fields.add(random.nextInt(fields.size() + 1), new String[] {cased("Connection"), value});
            }
            int framing = random.nextInt(http10 ? 2 : 3);
            long bodyLength = 0;
            byte[] body = new byte[0];
            if (framing == 1) {
                body = bytes(size());
                bodyLength = body.length;
                String value = random.nextInt(8) == 0 ? body.length + ", " + body.length : String.valueOf(body.length);
                fields.add(random.nextInt(fields.size() + 1), new String[] {cased("Content-Length"), value});
            } else if (framing == 2) {
                bodyLength = -1;
                fields.add(random.nextInt(fields.size() + 1), new String[] {cased("Transfer-Encoding"),
                        random.nextBoolean() ? "chunked" : "Chunked"});
            }
            boolean expect = random.nextInt(5) == 0;
            if (expect) {
                fields.add(random.nextInt(fields.size() + 1), new String[] {cased("Expect"), "100-Continue"});
            }

            expected.append(method).append(' ').append(target).append(' ').append(version)
                    .append(" path=").append(path).append(" query=").append(query)
                    .append(" body=").append(bodyLength).append(" keepAlive=").append(keepAlive)
                    .append(" continue=").append(expect && !http10 && bodyLength != 0).append('\n');
            writeFields(fields);
            wire.append("\r\n");
            if (framing == 1) {
                wire.append(new String(body, ISO_8859_1));
                if (body.length > 0) {
                    expected.append("BODY ").append(new String(body, ISO_8859_1)).append("\nEND\n");
                }
            } else if (framing == 2) {
                chunkedBody();
            }
        }

        private void writeFields(List<String[]> fields) {
            for (String[] field : fields) {
                wire.append(field[0]).append(':').append(ows()).append(field[1]).append(ows()).append("\r\n");
                expected.append("  ").append(canonicalName(field[0])).append(": ").append(field[1]).append('\n');
            }
        }

        private void chunkedBody() {
            StringBuilder content = new StringBuilder();
            for (int i = random.nextInt(5); i > 0; i--) {
                byte[] chunk = bytes(1 + random.nextInt(random.nextInt(10) == 0 ? 3000 : 40));
                String size = Integer.toHexString(chunk.length);
                wire.append("0".repeat(random.nextInt(8) == 0 ? 2 : 0))
                        .append(random.nextBoolean() ? size : size.toUpperCase(Locale.ROOT)).append(extensions()).append("\r\n")
                        .append(new String(chunk, ISO_8859_1)).append("\r\n");
                content.append(new String(chunk, ISO_8859_1));
            }
            wire.append(random.nextInt(8) == 0 ? "000" : "0").append(extensions()).append("\r\n");
            expected.append("BODY ").append(content).append("\nEND\n");
            List<String[]> trailers = new ArrayList<>();
            for (int i = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0; i > 0; i--) {
                trailers.add(field());
            }
            writeFields(trailers);
            wire.append("\r\n");
        }

        /** Chunk extensions of the forms RFC 9112 allows (often none). */
        String extensions() {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0; i > 0; i--) {
                s.append(bws()).append(';').append(bws()).append(chars(TCHAR, 1 + random.nextInt(6)));
                switch (random.nextInt(3)) {
                    case 0 -> s.append(bws()).append('=').append(bws()).append(chars(TCHAR, 1 + random.nextInt(6)));
                    case 1 -> s.append(bws()).append('=').append(bws()).append('"')
                            .append(chars("ab ;=,\t()\u00e9", random.nextInt(6))).append(random.nextBoolean() ? "\\\"" : "")
                            .append('"');
                    default -> { }
                }
            }
            return s.toString();
        }

        private String[] field() {
            String name = random.nextInt(3) == 0 ? cased(KNOWN[random.nextInt(KNOWN.length)])
                    : "X-" + chars(TCHAR, 1 + random.nextInt(12));
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(random.nextInt(10) == 0 ? 300 : 30); n > 0; n--) {
                int pick = random.nextInt(20);
                value.append(pick == 0 ? ' ' : pick == 1 ? '\t' : pick == 2 ? (char) (0x80 + random.nextInt(0x80))
                        : (char) (0x21 + random.nextInt(0x5e)));
            }
            return new String[] {name, trim(value.toString())};
        }

        /** A host: a name, an IPv4 or an IPv6 literal; with {@code portAllowed}, perhaps a port. */
        private String host(boolean portAllowed) {
            String host = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
                case 1 -> new String[] {"[::1]", "[2001:db8::7]", "[v1.x]", "[::ffff:1.2.3.4]"}[random.nextInt(4)];
                default -> chars("abcxyz0189-._~", 1 + random.nextInt(12)) + (random.nextBoolean() ? "%41" : "");
            };
            if (portAllowed && random.nextInt(3) == 0) {
                host += ":" + random.nextInt(65536);
            }
            return portAllowed && random.nextInt(20) == 0 ? "" : host;
        }

        private String path() {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(4); i >= 0; i--) {
                s.append('/').append(chars(PCHAR, random.nextInt(8)));
                if (random.nextInt(4) == 0) {
                    s.append('%').append("0123456789abcdefABCDEF".charAt(random.nextInt(22))).append("9aF".charAt(random.nextInt(3)));
                }
            }
            return s.toString();
        }

        private int size() {
            return switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1000 + random.nextInt(10_000);
                default -> random.nextInt(60);
            };
        }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }

        String chars(String from, int n) {
            StringBuilder s = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                s.append(from.charAt(random.nextInt(from.length())));
            }
            return s.toString();
        }

        private String cased(String name) {
            return switch (random.nextInt(4)) {
                case 0 -> name.toLowerCase(Locale.ROOT);
                case 1 -> name.toUpperCase(Locale.ROOT);
                default -> name;
            };
        }

        /** The name the decoder reports: the known spelling of a known name, else as received. */
        private static String canonicalName(String received) {
            for (String known : new String[] {"Host", "Connection", "Content-Length", "Transfer-Encoding", "Expect"}) {
                if (known.equalsIgnoreCase(received)) {
                    return known;
                }
            }
            for (String known : KNOWN) {
                if (known.equalsIgnoreCase(received)) {
                    return known;
                }
            }
            return received;
        }

        private String ows() {
            return switch (random.nextInt(6)) {
                case 0 -> "";
                case 1 -> "\t";
                case 2 -> "  ";
                default -> " ";
            };
        }

        private String bws() {
            return random.nextInt(4) == 0 ? (random.nextBoolean() ? " " : "\t ") : "";
        }
    }

    // ---- mutations ----

    /** Random damage to a batch of requests. */
    public static final class Mutator {

        private static final byte[] INSERTED = {'\r', '\n', 0, ' ', '\t', ':', ';', '"', '%', '#', '0', 'f', ',', 0x7f,
                (byte) 0x80, (byte) 0xff, (byte) 0xc3};

        private Mutator() {
        }

        public static byte[] mutate(Random random, byte[] wire) {
            byte[] out = wire;
            for (int i = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3); i > 0; i--) {
                out = once(random, out);
            }
            return out;
        }

        private static byte[] once(Random random, byte[] in) {
            if (in.length == 0) {
                return new byte[] {INSERTED[random.nextInt(INSERTED.length)]};
            }
            int at = random.nextInt(in.length);
            switch (random.nextInt(8)) {
                case 0: {
                    byte[] out = in.clone();
                    out[at] = (byte) random.nextInt(256);
                    return out;
                }
                case 1:
                    return splice(in, at, at, new byte[] {INSERTED[random.nextInt(INSERTED.length)]});
                case 2:
                    return splice(in, at, Math.min(in.length, at + 1 + random.nextInt(4)), new byte[0]);
                case 3:
                    return Arrays.copyOf(in, at);
                case 4: {
                    // A line (a header field, say) twice.
                    int start = lineStart(in, at);
                    int end = lineEnd(in, at);
                    return splice(in, end, end, Arrays.copyOfRange(in, start, end));
                }
                case 5: {
                    // Some bytes copied elsewhere.
                    int from = random.nextInt(in.length);
                    int to = Math.min(in.length, from + 1 + random.nextInt(40));
                    return splice(in, at, at, Arrays.copyOfRange(in, from, to));
                }
                case 6: {
                    // A CRLF made a bare LF.
                    int cr = indexOf(in, (byte) '\r', at);
                    return cr < 0 ? in : splice(in, cr, cr + 1, new byte[0]);
                }
                default: {
                    // A digit changed: a length, a chunk size, a version, a port.
                    int digit = at;
                    while (digit < in.length && (in[digit] < '0' || in[digit] > '9')) {
                        digit++;
                    }
                    if (digit == in.length) {
                        return in;
                    }
                    String replacement = new String[] {"0", "9", "99999999999999999999", "-1", "18446744073709551616", "a", "7"}
                            [random.nextInt(7)];
                    return splice(in, digit, digit + 1, replacement.getBytes(ISO_8859_1));
                }
            }
        }

        private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
            byte[] out = new byte[in.length - (to - from) + insert.length];
            System.arraycopy(in, 0, out, 0, from);
            System.arraycopy(insert, 0, out, from, insert.length);
            System.arraycopy(in, to, out, from + insert.length, in.length - to);
            return out;
        }

        private static int lineStart(byte[] in, int at) {
            int i = at;
            while (i > 0 && in[i - 1] != '\n') {
                i--;
            }
            return i;
        }

        private static int lineEnd(byte[] in, int at) {
            int lf = indexOf(in, (byte) '\n', at);
            return lf < 0 ? in.length : lf + 1;
        }

        private static int indexOf(byte[] in, byte b, int from) {
            for (int i = from; i < in.length; i++) {
                if (in[i] == b) {
                    return i;
                }
            }
            return -1;
        }
    }
}
