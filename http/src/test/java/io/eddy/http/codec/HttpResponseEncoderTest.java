package io.eddy.http.codec;

import io.eddy.core.codec.Codec;
import io.eddy.core.testing.ManualTimeSource;
import io.eddy.core.testing.TestChannel;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.StreamedBody;
import io.eddy.http.server.HttpResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bytes HttpResponseEncoder writes for each kind of response part, through the test channel. */
class HttpResponseEncoderTest {

    /** Thu, 01 Jan 2026 00:00:00 GMT. */
    private static final long NOW = 1_767_225_600_000L;
    private static final String DATE = "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n";
    private static final StreamedBody STREAM = writer -> { };

    private static TestChannel<RequestPart, ResponsePart> channel() {
        DateHeader date = new DateHeader(new ManualTimeSource(Instant.ofEpochMilli(NOW)), false);
        return TestChannel.of(Codec.of(new HttpRequestDecoder(), new HttpResponseEncoder(date, "Eddy")));
    }

    /** The bytes the encoder writes for {@code parts}, as Latin-1 text. */
    private static String encode(ResponsePart... parts) {
        return new String(encodeBytes(parts), ISO_8859_1);
    }

    private static byte[] encodeBytes(ResponsePart... parts) {
        var channel = channel();
        for (ResponsePart part : parts) {
            channel.write(part);
        }
        return channel.readOutbound();
    }

    private static ResponsePart.Head head(HttpResponse response) {
        return response.toHead(HttpVersion.HTTP_1_1, false, false);
    }

    @Test
    void writesStatusLineHeadersFramingAndBody() {
        assertEquals("""
                HTTP/1.1 200 OK\r
                Content-Type: text/plain; charset=utf-8\r
                X-Custom: a\r
                x-custom: b\r
                Server: Eddy\r
                Date: Thu, 01 Jan 2026 00:00:00 GMT\r
                Content-Length: 11\r
                \r
                hello world""",
                encode(head(HttpResponse.text("hello world").header("X-Custom", "a").header("x-custom", "b"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "200 | HTTP/1.1 200 OK",
        "201 | HTTP/1.1 201 Created",
        "206 | HTTP/1.1 206 Partial Content",
        "301 | HTTP/1.1 301 Moved Permanently",
        "404 | HTTP/1.1 404 Not Found",
        "416 | HTTP/1.1 416 Range Not Satisfiable",
        "431 | HTTP/1.1 431 Request Header Fields Too Large",
        "500 | HTTP/1.1 500 Internal Server Error",
        "505 | HTTP/1.1 505 HTTP Version Not Supported",
        "299 | 'HTTP/1.1 299 '",
        "418 | 'HTTP/1.1 418 '",
        "599 | 'HTTP/1.1 599 '",
        "799 | 'HTTP/1.1 799 '",
    })
    void writesTheStatusLineWithItsReasonOrAnEmptyOne(int status, String statusLine) {
        String wire = encode(head(HttpResponse.status(status)));
        assertTrue(wire.startsWith(statusLine + "\r\n"), wire);
        assertTrue(wire.endsWith("Content-Length: 0\r\n\r\n"), wire);
    }

    @Test
    void addsDateAndServerOnlyWhenTheHandlerDidNot() {
        String wire = encode(head(HttpResponse.status(200)
                .header("server", "Custom/1.0").header("DATE", "Wed, 31 Dec 2025 23:59:59 GMT")));
        assertEquals("""
                HTTP/1.1 200 OK\r
                server: Custom/1.0\r
                DATE: Wed, 31 Dec 2025 23:59:59 GMT\r
                Content-Length: 0\r
                \r
                """, wire);
    }

    @Test
    void ignoresTheFramingHeadersAHandlerSet() {
        HttpResponse response = HttpResponse.text("hello")
                .header("Content-Length", "999")
                .header("transfer-encoding", "gzip, chunked")
                .header("Connection", "keep-alive, Upgrade");
        assertEquals("""
                HTTP/1.1 200 OK\r
                Content-Type: text/plain; charset=utf-8\r
                Server: Eddy\r
                Date: Thu, 01 Jan 2026 00:00:00 GMT\r
                Content-Length: 5\r
                \r
                hello""", encode(head(response)));
    }

    @Test
    void writesConnectionCloseOnceWhenClosing() {
        HttpResponse response = HttpResponse.text("bye").header("Connection", "close");
        assertEquals("""
                HTTP/1.1 200 OK\r
                Content-Type: text/plain; charset=utf-8\r
                Server: Eddy\r
                Date: Thu, 01 Jan 2026 00:00:00 GMT\r
                Content-Length: 3\r
                Connection: close\r
                \r
                bye""", encode(response.toHead(HttpVersion.HTTP_1_1, false, true)));
    }

    @Test
    void tellsAnHttp10ClientThatKeepsTheConnectionSo() {
        String kept = encode(HttpResponse.text("x").toHead(HttpVersion.HTTP_1_0, false, false));
        assertTrue(kept.startsWith("HTTP/1.1 200 OK\r\n"), kept);
        assertTrue(kept.endsWith("Content-Length: 1\r\nConnection: keep-alive\r\n\r\nx"), kept);
        String closed = encode(HttpResponse.text("x").toHead(HttpVersion.HTTP_1_0, false, true));
        assertTrue(closed.endsWith("Content-Length: 1\r\nConnection: close\r\n\r\nx"), closed);
    }

    @Test
    void answersHeadWithTheLengthButNoBody() {
        assertEquals("""
                HTTP/1.1 200 OK\r
                Content-Type: text/plain; charset=utf-8\r
                Server: Eddy\r
                Date: Thu, 01 Jan 2026 00:00:00 GMT\r
                Content-Length: 11\r
                \r
                """, encode(HttpResponse.text("hello world").toHead(HttpVersion.HTTP_1_1, true, false)));
        byte[] large = new byte[10_000];
        String wire = encode(HttpResponse.bytes(large, "a/b").toHead(HttpVersion.HTTP_1_1, true, false));
        assertTrue(wire.endsWith("Content-Length: 10000\r\n\r\n"), wire);
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void writesNeitherLengthNorBodyForStatusesWithoutOne(int status) {
        HttpResponse response = HttpResponse.text("must not be sent").withStatus(status).header("ETag", "\"v1\"");
        assertEquals("HTTP/1.1 " + status + " " + HttpStatus.reasonPhrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "ETag: \"v1\"\r\n"
                + "Server: Eddy\r\n"
                + DATE
                + "\r\n", encode(head(response)));
    }

    @Test
    void writesContinue() {
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", encode(ResponsePart.Continue.INSTANCE));
    }

    @Test
    void streamsChunksAndALastChunkWithTrailers() {
        byte[] large = pattern(3000);
        ResponsePart.Head head = head(HttpResponse.stream("text/plain", STREAM));
        assertTrue(head.chunked());
        byte[] wire = encodeBytes(head,
                new ResponsePart.Chunk(ByteBuffer.wrap("hello".getBytes(ISO_8859_1)), true),
                new ResponsePart.Chunk(ByteBuffer.allocate(0), true),
                new ResponsePart.Chunk(ByteBuffer.wrap(large), true),
                new ResponsePart.Last(HttpHeaders.of("Checksum", "abc", "X-Two", "2"), true));
        String expected = """
                HTTP/1.1 200 OK\r
                Content-Type: text/plain\r
                Server: Eddy\r
                Date: Thu, 01 Jan 2026 00:00:00 GMT\r
                Transfer-Encoding: chunked\r
                \r
                5\r
                hello\r
                bb8\r
                """ + new String(large, ISO_8859_1) + """
                \r
                0\r
                Checksum: abc\r
                X-Two: 2\r
                \r
                """;
        assertEquals(expected, new String(wire, ISO_8859_1));
    }

    @Test
    void endsAStreamWithoutTrailersWithTheLastChunkAlone() {
        String wire = encode(head(HttpResponse.stream("text/plain", STREAM)),
                new ResponsePart.Chunk(ByteBuffer.wrap("a".getBytes(ISO_8859_1)), true),
                new ResponsePart.Last(new HttpHeaders(), true));
        assertTrue(wire.endsWith("Transfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"), wire);
    }

    @Test
    void streamsRawToAnHttp10ClientUntilTheConnectionCloses() {
        ResponsePart.Head head = HttpResponse.stream("text/plain", STREAM).toHead(HttpVersion.HTTP_1_0, false, true);
        String wire = encode(head,
                new ResponsePart.Chunk(ByteBuffer.wrap("raw ".getBytes(ISO_8859_1)), false),
                new ResponsePart.Chunk(ByteBuffer.wrap("bytes".getBytes(ISO_8859_1)), false),
                new ResponsePart.Last(HttpHeaders.of("X-Dropped", "t"), false));
        assertEquals("""
                HTTP/1.1 200 OK\r
                Content-Type: text/plain\r
                Server: Eddy\r
                Date: Thu, 01 Jan 2026 00:00:00 GMT\r
                Connection: close\r
                \r
                raw bytes""", wire);
    }

    @Test
    void answersHeadOfAStreamWithItsHeadersOnly() {
        ResponsePart.Head head = HttpResponse.stream("text/plain", STREAM).toHead(HttpVersion.HTTP_1_1, true, false);
        assertFalse(head.chunked());
        String wire = encode(head);
        assertTrue(wire.endsWith("Transfer-Encoding: chunked\r\n\r\n"), wire);
    }

    @ParameterizedTest
    @ValueSource(ints = {2047, 2048, 2049, 4096, 100_000, 1 << 20})
    void sendsBodiesOfAnySizeIntact(int size) {
        byte[] body = pattern(size);
        byte[] wire = encodeBytes(head(HttpResponse.bytes(body, "application/octet-stream")));
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nServer: Eddy\r\n" + DATE
                + "Content-Length: " + size + "\r\n\r\n";
        assertEquals(head, new String(wire, 0, head.length(), ISO_8859_1));
        assertArrayEquals(body, Arrays.copyOfRange(wire, head.length(), wire.length));
    }

    @Test
    void writesAHeadLargerThanItsScratchSpace() {
        HttpResponse response = HttpResponse.status(200);
        for (int i = 0; i < 100; i++) {
            response.header("X-Header-" + i, "v".repeat(100));
        }
        String wire = encode(head(response), head(HttpResponse.text("next")));
        assertEquals(100, wire.split("v{100}\r\n", -1).length - 1);
        assertTrue(wire.endsWith("Content-Length: 4\r\n\r\nnext"), wire);
    }

    @Test
    void writesObsTextValuesAsTheirLatin1Bytes() {
        byte[] wire = encodeBytes(head(HttpResponse.status(204).header("X-Name", "caf\u00e9 \u00ff")));
        String text = new String(wire, ISO_8859_1);
        int at = text.indexOf("X-Name: ");
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', (byte) 0xff, '\r', '\n'},
                Arrays.copyOfRange(wire, at + 8, at + 16));
    }

    @Test
    void sendsAFileRangeAndOnlyItsHeadToHead(@TempDir Path dir) throws IOException {
        byte[] content = pattern(10_000);
        Path file = Files.write(dir.resolve("data.bin"), content);
        byte[] wire = encodeBytes(head(HttpResponse.file(file, 100, 5000, "application/octet-stream")));
        String text = new String(wire, ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertTrue(text.substring(0, bodyStart).endsWith("Content-Length: 5000\r\n\r\n"), text.substring(0, bodyStart));
        assertArrayEquals(Arrays.copyOfRange(content, 100, 5100), Arrays.copyOfRange(wire, bodyStart, wire.length));
        String headOnly = encode(HttpResponse.file(file, 0, content.length, "application/octet-stream")
                .toHead(HttpVersion.HTTP_1_1, true, false));
        assertTrue(headOnly.endsWith("Content-Length: 10000\r\n\r\n"), headOnly);
    }

    @Test
    void datesResponsesWithTheClockItIsGiven() {
        ManualTimeSource time = new ManualTimeSource(Instant.ofEpochMilli(NOW));
        var channel = TestChannel.of(Codec.of(new HttpRequestDecoder(),
                new HttpResponseEncoder(new DateHeader(time, true), "Eddy")));
        channel.write(head(HttpResponse.text("a")));
        assertTrue(channel.readOutboundString(ISO_8859_1).contains(DATE));
        time.advance(Duration.ofMillis(1500));
        channel.write(head(HttpResponse.text("b")));
        assertTrue(channel.readOutboundString(ISO_8859_1).contains("Date: Thu, 01 Jan 2026 00:00:01 GMT\r\n"));
    }

    @Test
    void datesResponsesWithTheClockByDefault() {
        var channel = TestChannel.of(Codec.of(new HttpRequestDecoder(), new HttpResponseEncoder()));
        channel.write(head(HttpResponse.status(200)));
        String wire = channel.readOutboundString(ISO_8859_1);
        assertTrue(Pattern.compile("\r\nServer: Eddy\r\nDate: [A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\r\n")
                .matcher(wire).find(), wire);
    }

    /** {@code size} bytes of every value, in an order that shows a misplaced piece. */
    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
