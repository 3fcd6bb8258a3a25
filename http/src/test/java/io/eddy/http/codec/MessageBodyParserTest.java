package io.eddy.http.codec;

import io.eddy.core.codec.DecodeException;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpStatus;
import io.eddy.http.Leniency;
import io.eddy.http.ResponseLimits;
import io.eddy.http.ViolationListener;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The body framing both decoders share, driven through each: the same body bytes behind a request
 * head and behind a response head must give the same pieces, trailers or error, in one read and
 * byte by byte. The differences that remain are the documented rules, each tested here: the
 * bare-LF leniency is the server's alone, and the trailer budget is what the head left.
 */
class MessageBodyParserTest {

    static final String REQUEST_HEAD = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    static final String RESPONSE_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** A chunked body and what both sides make of it: {@code body|trailers} or {@code error: message}. */
    record Case(String name, String body, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> chunkedBodies() {
        return Stream.of(
                new Case("chunks", "3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n", "hello|"),
                new Case("extensions and trailers", "3;a=1;b=\"x y\"\r\nhel\r\n2 ; c\r\nlo\r\n0;z\r\nX-Sum: 5\r\nX-Two: 2\r\n\r\n",
                        "hello|X-Sum=5,X-Two=2"),
                new Case("upper-case hex and leading zeros", "00A\r\n0123456789\r\n000\r\n\r\n", "0123456789|"),
                new Case("a size that is not hex", "zz\r\n", "error: chunk size is not a hexadecimal number: \"zz\""),
                new Case("a size with control bytes", "\u0001g\r\n", "error: chunk size is not a hexadecimal number: \"\\x01g\""),
                new Case("a size overflowing a long", "FFFFFFFFFFFFFFFF0\r\n", "error: chunk size overflows"),
                new Case("a bad extension", "5;=x\r\nhello\r\n0\r\n\r\n", "error: " + extensionProblem("5;=x")),
                new Case("data not followed by CRLF", "5\r\nhelloX\r\n0\r\n\r\n", "error: chunk data not followed by CRLF"),
                new Case("data followed by CR and not LF", "5\r\nhello\rX0\r\n\r\n", "error: chunk data not followed by CRLF"),
                new Case("a chunk line ended by a bare LF", "5\nhello\r\n0\r\n\r\n", "error: line ended by a bare LF (expected CRLF)"),
                new Case("data ended by a bare LF", "5\r\nhello\n0\r\n\r\n", "error: chunk data not followed by CRLF"),
                new Case("a trailer ended by a bare LF", "0\r\nX-T: t\n\r\n", "error: line ended by a bare LF (expected CRLF)"),
                new Case("a chunk line over 4 KiB", "5;" + "e".repeat(MessageBodyParser.MAX_CHUNK_LINE) + "\r\n",
                        "error: chunk size line longer than 4096 bytes"));
    }

    private static String extensionProblem(String line) {
        byte[] a = line.getBytes(ISO_8859_1);
        return io.eddy.http.internal.HttpChars.chunkExtensionProblem(a, 1, a.length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkedBodies")
    void bothSidesFrameAChunkedBodyAlikeInOneReadAndByteByByte(Case c) {
        for (int read : new int[] {Integer.MAX_VALUE, 1}) {
            assertEquals(c.expected(), request(REQUEST_HEAD + c.body(), EnumSet.noneOf(Leniency.class), HttpLimits.defaults(), read),
                    "request, reads of " + read);
            assertEquals(c.expected(), response(RESPONSE_HEAD + c.body(), ResponseLimits.defaults(), read), "response, reads of " + read);
        }
    }

    @Test
    void aBareLfAfterChunkDataIsReadOnlyUnderTheServersLeniencyAndReported() {
        String body = "5\r\nhello\n0\r\n\r\n";
        List<String> reported = new ArrayList<>();
        HttpRequestDecoder lenient = new HttpRequestDecoder(HttpLimits.defaults(), EnumSet.of(Leniency.BARE_LF),
                (leniency, what) -> reported.add(leniency + ": " + what));
        assertEquals("hello|", drive(lenient, REQUEST_HEAD + body, 1));
        assertEquals(List.of("BARE_LF: chunk data ended by a bare LF"), reported);
        // The client has no leniencies: a response framed so is refused, as a request is by a strict server.
        assertEquals("error: chunk data not followed by CRLF", response(RESPONSE_HEAD + body, ResponseLimits.defaults(), 1));
        assertEquals("error: chunk data not followed by CRLF",
                request(REQUEST_HEAD + body, EnumSet.noneOf(Leniency.class), HttpLimits.defaults(), 1));
    }

    @Test
    void trailersTakeWhatTheHeadLeftOfTheHeaderBudgetOnBothSides() {
        // Each head is as long as the trailer line, so the two fit one budget only when it holds both.
        String trailer = "X-Trailer: " + "t".repeat(200) + "\r\n";
        String requestHead = REQUEST_HEAD.replace("\r\n\r\n", "\r\n" + "X-H: " + "h".repeat(300) + "\r\n\r\n");
        String responseHead = RESPONSE_HEAD.replace("\r\n\r\n", "\r\n" + "X-H: " + "h".repeat(300) + "\r\n\r\n");
        String wireBody = "0\r\n" + trailer + "\r\n";
        int requestBoth = requestHead.length() - "POST / HTTP/1.1\r\n".length() + trailer.length() + 2;
        int responseBoth = responseHead.length() + trailer.length() + 2;

        HttpLimits fits = HttpLimits.defaults().withMaxHeaderSize(requestBoth);
        assertEquals("|X-Trailer=" + "t".repeat(200), request(requestHead + wireBody, Set.of(), fits, 1));
        HttpRequestDecoder over = new HttpRequestDecoder(fits.withMaxHeaderSize(requestBoth - 1), Set.of(), ViolationListener.ignore());
        assertEquals("error: header section exceeds the limit maxHeaderSize = " + (requestBoth - 1), drive(over, requestHead + wireBody, 7));

        assertEquals("|X-Trailer=" + "t".repeat(200),
                response(responseHead + wireBody, ResponseLimits.defaults().withMaxHeaderSize(responseBoth), 1));
        assertEquals("error: trailer section exceeds the limit maxHeaderSize = " + (responseBoth - 1) + " bytes",
                response(responseHead + wireBody, ResponseLimits.defaults().withMaxHeaderSize(responseBoth - 1), 7));
    }

    @Test
    void theServerAnswersAFramingErrorWith400() {
        HttpRequestDecoder decoder = new HttpRequestDecoder();
        ByteBuffer in = ByteBuffer.wrap((REQUEST_HEAD + "zz\r\n").getBytes(ISO_8859_1));
        try {
            while (decoder.decode(in) != null) {
                continue;
            }
            throw new AssertionError("no error");
        } catch (HttpDecodeException e) {
            assertEquals(HttpStatus.BAD_REQUEST, e.status());
        }
    }

    @Test
    void aClientsBodyLimitRefusesAChunkAsAnnouncedBeforeItsData() {
        String outcome = response(RESPONSE_HEAD + "65\r\n", ResponseLimits.defaults().withMaxBodySize(100), 1);
        assertEquals("error: response body exceeds the limit maxBodySize = 100 bytes", outcome);
    }

    @Test
    void aCloseDelimitedResponseEndsInDecodeLast() throws DecodeException {
        HttpResponseDecoder decoder = new HttpResponseDecoder(ResponseLimits.defaults());
        decoder.expectResponseTo("GET");
        ByteBuffer in = ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\nuntil the end".getBytes(ISO_8859_1));
        assertTrue(decoder.decode(in) instanceof ClientResponsePart.Head);
        assertTrue(decoder.decodeLast(in) instanceof ClientResponsePart.Body);
        assertTrue(decoder.decodeLast(in) instanceof ClientResponsePart.End);
        assertEquals(null, decoder.decodeLast(in));
        assertTrue(decoder.isIdle());
    }

    // ---- driving each side ----

    static String request(String wire, Set<Leniency> leniencies, HttpLimits limits, int read) {
        return drive(new HttpRequestDecoder(limits, leniencies, ViolationListener.ignore()), wire, read);
    }

    static String response(String wire, ResponseLimits limits, int read) {
        HttpResponseDecoder decoder = new HttpResponseDecoder(limits);
        decoder.expectResponseTo("GET");
        return drive(decoder, wire, read);
    }

    /** Feeds {@code wire} in reads of {@code read} bytes, as a connection does; the body and trailers, or the error. */
    static String drive(io.eddy.core.codec.Decoder<?> decoder, String wire, int read) {
        byte[] bytes = wire.getBytes(ISO_8859_1);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] left = new byte[0];
        for (int at = 0; at < bytes.length; at += read) {
            int n = Math.min(read, bytes.length - at);
            ByteBuffer in = ByteBuffer.allocate(left.length + n).put(left).put(bytes, at, n).flip();
            try {
                Object part;
                while ((part = decoder.decode(in)) != null) {
                    ByteBuffer data = part instanceof RequestPart.Body b ? b.data()
                            : part instanceof ClientResponsePart.Body b ? b.data() : null;
                    HttpHeaders trailers = part instanceof RequestPart.End e ? e.trailers()
                            : part instanceof ClientResponsePart.End e ? e.trailers() : null;
                    if (data != null) {
                        body.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
                    } else if (trailers != null) {
                        StringBuilder s = new StringBuilder(body.toString(ISO_8859_1)).append('|');
                        trailers.forEach((name, value) -> s.append(s.charAt(s.length() - 1) == '|' ? "" : ",")
                                .append(name).append('=').append(value));
                        return s.toString();
                    }
                }
            } catch (DecodeException e) {
                return "error: " + e.getMessage();
            }
            left = new byte[in.remaining()];
            in.get(left);
        }
        return "incomplete: " + body.toString(ISO_8859_1);
    }
}
