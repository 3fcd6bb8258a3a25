package io.eddy.http.codec;

import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertNull;
import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.TestChannel;
import io.eddy.http.ResponseLimits;
import io.eddy.http.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The response decoder in memory: every response split at every size, and byte by byte. */
class HttpResponseDecoderTest {

    /** What a connection would make of the parts: one line per response, or the error. */
    private static final class Recorder implements Handler<ClientResponsePart, ClientRequestPart> {
        final List<String> seen = new ArrayList<>();
        private StringBuilder current;
        private ClientResponsePart.Head head;

        @Override
        public void onMessage(Connection<ClientRequestPart> c, ClientResponsePart part) {
            if (part instanceof ClientResponsePart.Head h) {
                head = h;
                current = new StringBuilder();
            } else if (part instanceof ClientResponsePart.Body b) {
                current.append(StandardCharsets.ISO_8859_1.decode(b.data()));
            } else if (part instanceof ClientResponsePart.End end) {
                seen.add(head.status() + " " + head.keepAlive() + " [" + current + "]"
                        + (end.trailers().isEmpty() ? "" : " " + end.trailers().name(0) + "=" + end.trailers().value(0)));
            }
        }

        @Override
        public void onDecodeError(Connection<ClientRequestPart> c, DecodeException error) {
            seen.add("error: " + error.getMessage());
        }
    }

    private static List<String> decode(String method, String wire, int chunk, boolean end) {
        HttpResponseDecoder decoder = new HttpResponseDecoder(ResponseLimits.defaults().withMaxBodySize(100));
        Recorder recorder = new Recorder();
        TestChannel<ClientResponsePart, ClientRequestPart> channel = TestChannel.of(Codec.of(decoder, new HttpRequestEncoder()), recorder);
        decoder.expectResponseTo(method);
        channel.feedInChunks(wire.getBytes(StandardCharsets.ISO_8859_1), chunk);
        if (end) {
            channel.feedEnd();
            if (decoder.endOfStream()) {
                recorder.onMessage(channel, new ClientResponsePart.End(new io.eddy.http.HttpHeaders()));
            }
        }
        return recorder.seen;
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, "200 true [hello]"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-Sum: 5\r\n\r\n",
                        false, "200 true [hello] X-Sum=5"),
                Arguments.of("GET", "HTTP/1.0 200 OK\r\n\r\nuntil close", true, "200 false [until close]"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", false, "200 false [ok]"),
                Arguments.of("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, "200 true []"),
                Arguments.of("GET", "HTTP/1.1 204 No Content\r\n\r\n", false, "204 true []"),
                Arguments.of("GET", "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", false, "304 true []"),
                Arguments.of("GET", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                        + "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", false, "200 true [x]"),
                Arguments.of("GET", "HTTP/1.1 102 Processing\r\n\r\n".repeat(HttpResponseDecoder.MAX_INTERIM_RESPONSES)
                        + "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", false, "200 true [x]"),
                Arguments.of("GET", "HTTP/1.1 102 Processing\r\n\r\n".repeat(HttpResponseDecoder.MAX_INTERIM_RESPONSES + 1)
                        + "HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", false,
                        "error: more than 16 interim (1xx) responses before the final one"),
                Arguments.of("GET", "HTTP/1.1 2OO OK\r\n\r\n", false, "error: malformed status line (expected \"HTTP/1.1 200 OK\"): \"HTTP/1.1 2OO OK\""),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", false,
                        "error: chunk size is not a hexadecimal number: \"zz\""),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", false,
                        "error: both Content-Length and Transfer-Encoding"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", false,
                        "error: differing Content-Length values"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", false,
                        "error: whitespace between header field name and colon"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", false,
                        "error: Content-Length 101 exceeds the limit maxBodySize = 100 bytes"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n", false,
                        "error: chunk data not followed by CRLF"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n65;big\r\n", false,
                        "error: response body exceeds the limit maxBodySize = 100 bytes"),
                Arguments.of("GET", "HTTP/1.0 200 OK\r\n\r\n" + "x".repeat(101), true,
                        "error: response body exceeds the limit maxBodySize = 100 bytes"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(100), true, "200 false [" + "x".repeat(100) + "]"),
                Arguments.of("GET", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA", false,
                        "200 true [ok]\nerror: bytes received with no request outstanding (a body longer than announced, or a response nobody asked for)"));
    }

    static Stream<Arguments> responsesSplit() {
        return responses().flatMap(a -> IntStream.of(1, 2, 3, 7, 64, 4096)
                .mapToObj(chunk -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], a.get()[3], chunk)));
    }

    @ParameterizedTest
    @MethodSource("responsesSplit")
    void decodesTheSameAtEverySplit(String method, String wire, boolean closeDelimited, String expected, int chunk) {
        assertEquals(List.of(expected.split("\n")), decode(method, wire, chunk, closeDelimited));
    }

    @ParameterizedTest
    @MethodSource("responses")
    void decodesTheSameSplitAtEveryOffset(String method, String wire, boolean closeDelimited, String expected) {
        for (int at = 1; at < wire.length(); at++) {
            HttpResponseDecoder decoder = new HttpResponseDecoder(ResponseLimits.defaults().withMaxBodySize(100));
            Recorder recorder = new Recorder();
            TestChannel<ClientResponsePart, ClientRequestPart> channel = TestChannel.of(Codec.of(decoder, new HttpRequestEncoder()), recorder);
            decoder.expectResponseTo(method);
            channel.feed(wire.substring(0, at).getBytes(StandardCharsets.ISO_8859_1));
            channel.feed(wire.substring(at).getBytes(StandardCharsets.ISO_8859_1));
            if (closeDelimited) {
                channel.feedEnd();
                if (decoder.endOfStream()) {
                    recorder.onMessage(channel, new ClientResponsePart.End(new io.eddy.http.HttpHeaders()));
                }
            }
            assertEquals(List.of(expected.split("\n")), recorder.seen, "split at " + at);
        }
    }

    @ParameterizedTest
    @MethodSource("requests")
    void encodesRequestsFramedByTheirBodies(Request request, String expected) {
        TestChannel<ClientResponsePart, ClientRequestPart> channel = TestChannel.of(
                Codec.of(new HttpResponseDecoder(ResponseLimits.defaults()), new HttpRequestEncoder()));
        channel.write(request.toHead("Eddy/0.1"));
        String wire = channel.readOutboundString(StandardCharsets.ISO_8859_1);
        assertNotNull(wire);
        assertEquals(expected, wire);
        assertTrue(wire.indexOf("\r\n\r\n") > 0);
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(Request.get("http://example.test/a%20b?q=1#frag"),
                        "GET /a%20b?q=1 HTTP/1.1\r\nHost: example.test\r\nUser-Agent: Eddy/0.1\r\n\r\n"),
                Arguments.of(Request.post("http://127.0.0.1:9990/echo", "héllo"),
                        "POST /echo HTTP/1.1\r\nHost: 127.0.0.1:9990\r\nUser-Agent: Eddy/0.1\r\n"
                                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n\r\nh\u00c3\u00a9llo"),
                Arguments.of(Request.builder("PUT", "http://h/x").header("User-Agent", "mine").build(),
                        "PUT /x HTTP/1.1\r\nHost: h\r\nUser-Agent: mine\r\nContent-Length: 0\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64})
    void takesA101OnlyWhenTheRequestAskedToSwitchAndLeavesTheBytesBehindIt(int chunk) throws Exception {
        String wire = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0081\u0002hi";
        HttpResponseDecoder refusing = new HttpResponseDecoder(ResponseLimits.defaults());
        refusing.expectResponseTo("GET");
        DecodeException refused = org.junit.jupiter.api.Assertions.assertThrows(DecodeException.class,
                () -> refusing.decode(java.nio.ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1))));
        assertTrue(refused.getMessage().contains("never asked to switch"));
        HttpResponseDecoder decoder = new HttpResponseDecoder(ResponseLimits.defaults());
        decoder.expectResponseTo("GET", true);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocate(wire.length());
        ClientResponsePart head = null;
        int fed = 0;
        for (byte b : wire.getBytes(StandardCharsets.ISO_8859_1)) {
            in.put(b);
            if (++fed % chunk != 0 && fed != wire.length()) {
                continue;
            }
            in.flip();
            ClientResponsePart part = head == null ? decoder.decode(in) : null;
            if (part != null) {
                head = part;
            }
            in.compact();
        }
        assertEquals(101, ((ClientResponsePart.Head) head).status());
        in.flip();
        assertEquals(4, in.remaining(), "the frame behind the 101 is left for the next protocol");
        assertNull(decoder.decode(in));
        assertEquals(4, in.remaining());
    }
}
