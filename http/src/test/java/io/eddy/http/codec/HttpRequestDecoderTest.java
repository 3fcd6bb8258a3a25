package io.eddy.http.codec;

import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpStatus;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.server.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Valid requests of every form, each decoded the same however its bytes are cut: in one read, in
 * reads of every size from one byte to its length, split in two at every point, and handed to the
 * decoder one byte more at a time at moving offsets. Also the limits' exact boundaries, and a head
 * trickling in byte by byte scanned once.
 */
class HttpRequestDecoderTest {

    /** A request (or a batch of pipelined ones) and the transcript it must decode to. */
    record Valid(String name, String wire, String expected) {
        byte[] bytes() {
            return wire.getBytes(ISO_8859_1);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Valid> valid() {
        return Stream.of(
                new Valid("characters browsers send unencoded in a path and a query", """
                        GET /a[0]/{x}|y^z`?list[]=1&f={a|b}^`[2] HTTP/1.1\r
                        Host: x\r
                        \r
                        """, """
                        GET /a[0]/{x}|y^z`?list[]=1&f={a|b}^`[2] HTTP/1.1 path=/a[0]/{x}|y^z` query=list[]=1&f={a|b}^`[2] body=0 keepAlive=true continue=false
                          Host: x
                        """),
                new Valid("GET with a browser's headers", """
                        GET /search?q=eddy+nio&lang=en HTTP/1.1\r
                        Host: localhost:9990\r
                        Connection: keep-alive\r
                        sec-ch-ua: "Chromium";v="124", "Not-A.Brand";v="99"\r
                        sec-ch-ua-mobile: ?0\r
                        sec-ch-ua-platform: "Linux"\r
                        Upgrade-Insecure-Requests: 1\r
                        User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r
                        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
                        Sec-Fetch-Site: none\r
                        Sec-Fetch-Mode: navigate\r
                        Sec-Fetch-User: ?1\r
                        Sec-Fetch-Dest: document\r
                        Accept-Encoding: gzip, deflate, br, zstd\r
                        Accept-Language: en-GB,en;q=0.9,fr;q=0.8\r
                        Cookie: session=abc123; theme=dark\r
                        \r
                        """, """
                        GET /search?q=eddy+nio&lang=en HTTP/1.1 path=/search query=q=eddy+nio&lang=en body=0 keepAlive=true continue=false
                          Host: localhost:9990
                          Connection: keep-alive
                          Sec-Ch-Ua: "Chromium";v="124", "Not-A.Brand";v="99"
                          Sec-Ch-Ua-Mobile: ?0
                          Sec-Ch-Ua-Platform: "Linux"
                          Upgrade-Insecure-Requests: 1
                          User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36
                          Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8
                          Sec-Fetch-Site: none
                          Sec-Fetch-Mode: navigate
                          Sec-Fetch-User: ?1
                          Sec-Fetch-Dest: document
                          Accept-Encoding: gzip, deflate, br, zstd
                          Accept-Language: en-GB,en;q=0.9,fr;q=0.8
                          Cookie: session=abc123; theme=dark
                        """),
                new Valid("absolute-form target", """
                        GET http://example.com:8080/a/b%2Fc?x=1&y=2 HTTP/1.1\r
                        Host: example.com:8080\r
                        \r
                        """, """
                        GET http://example.com:8080/a/b%2Fc?x=1&y=2 HTTP/1.1 path=/a/b%2Fc query=x=1&y=2 body=0 keepAlive=true continue=false
                          Host: example.com:8080
                        """),
                new Valid("absolute-form https target with an IPv6 literal, a query and no path", """
                        GET HTTPS://[2001:db8::1]:8443?x=1 HTTP/1.1\r
                        Host: other.example\r
                        \r
                        """, """
                        GET HTTPS://[2001:db8::1]:8443?x=1 HTTP/1.1 path=/ query=x=1 body=0 keepAlive=true continue=false
                          Host: other.example
                        """),
                new Valid("a target of every character RFC 3986 allows in a path and a query", """
                        GET /AZaz09-._~!$&'()*+,;=:@/%2F%c3%A9//x?q=/?:@!$&'()*+,;=%20&b= HTTP/1.1\r
                        Host: x\r
                        \r
                        """, """
                        GET /AZaz09-._~!$&'()*+,;=:@/%2F%c3%A9//x?q=/?:@!$&'()*+,;=%20&b= HTTP/1.1 path=/AZaz09-._~!$&'()*+,;=:@/%2F%c3%A9//x query=q=/?:@!$&'()*+,;=%20&b= body=0 keepAlive=true continue=false
                          Host: x
                        """),
                new Valid("OPTIONS with the asterisk-form", """
                        OPTIONS * HTTP/1.1\r
                        Host: example.com\r
                        \r
                        """, """
                        OPTIONS * HTTP/1.1 path=* query=null body=0 keepAlive=true continue=false
                          Host: example.com
                        """),
                new Valid("CONNECT with the authority-form", """
                        CONNECT example.com:443 HTTP/1.1\r
                        Host: example.com:443\r
                        Proxy-Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l\r
                        \r
                        """, """
                        CONNECT example.com:443 HTTP/1.1 path= query=null body=0 keepAlive=true continue=false
                          Host: example.com:443
                          Proxy-Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l
                        """),
                new Valid("HTTP/1.0 without keep-alive and without Host", """
                        GET /old HTTP/1.0\r
                        User-Agent: Lynx/2.8.9\r
                        \r
                        """, """
                        GET /old HTTP/1.0 path=/old query=null body=0 keepAlive=false continue=false
                          User-Agent: Lynx/2.8.9
                        """),
                new Valid("HTTP/1.0 with keep-alive", """
                        GET /old?again HTTP/1.0\r
                        Connection: Keep-Alive\r
                        \r
                        """, """
                        GET /old?again HTTP/1.0 path=/old query=again body=0 keepAlive=true continue=false
                          Connection: Keep-Alive
                        """),
                new Valid("POST with Content-Length", """
                        POST /echo HTTP/1.1\r
                        Host: x\r
                        Content-Type: text/plain\r
                        Content-Length: 14\r
                        \r
                        hello,\r
                        world!""", """
                        POST /echo HTTP/1.1 path=/echo query=null body=14 keepAlive=true continue=false
                          Host: x
                          Content-Type: text/plain
                          Content-Length: 14
                        BODY hello,\r
                        world!
                        END
                        """),
                new Valid("chunked with extensions and trailers", """
                        POST /upload HTTP/1.1\r
                        Host: x\r
                        Transfer-Encoding: chunked\r
                        Trailer: Checksum\r
                        \r
                        5;name=value\r
                        hello\r
                        7 ; ext="quoted;value"\r
                        , world\r
                        A\r
                        0123456789\r
                        00000;last\r
                        Checksum: abc\r
                        X-Trailer-Two: 2\r
                        \r
                        """, """
                        POST /upload HTTP/1.1 path=/upload query=null body=-1 keepAlive=true continue=false
                          Host: x
                          Transfer-Encoding: chunked
                          Trailer: Checksum
                        BODY hello, world0123456789
                        END
                          Checksum: abc
                          X-Trailer-Two: 2
                        """),
                new Valid("chunk extensions of every form RFC 9112 allows", """
                        POST /ext HTTP/1.1\r
                        Host: x\r
                        Transfer-Encoding: chunked\r
                        \r
                        5;name\r
                        hello\r
                        1 ; name = value\r
                        ,\r
                        1;a="x \\" y";b=c\r
                         \r
                        3\t;\tq\t=\t"";e="\\\\";t=!#$%&'*+-.^_`|~\r
                        abc\r
                        2;o="caf\u00e9 \t(;=,)"\r
                        de\r
                        0;last="x";more\r
                        X-T: t\r
                        \r
                        """, """
                        POST /ext HTTP/1.1 path=/ext query=null body=-1 keepAlive=true continue=false
                          Host: x
                          Transfer-Encoding: chunked
                        BODY hello, abcde
                        END
                          X-T: t
                        """),
                new Valid("a pipelined batch", """
                        GET /1 HTTP/1.1\r
                        Host: x\r
                        \r
                        POST /2 HTTP/1.1\r
                        Host: x\r
                        Content-Length: 3\r
                        \r
                        abcPUT /3 HTTP/1.1\r
                        Host: x\r
                        Transfer-Encoding: chunked\r
                        \r
                        3\r
                        xyz\r
                        0\r
                        \r
                        DELETE /4 HTTP/1.1\r
                        Host: x\r
                        Content-Length: 0\r
                        \r
                        HEAD /5 HTTP/1.1\r
                        Host: x\r
                        Connection: close\r
                        \r
                        """, """
                        GET /1 HTTP/1.1 path=/1 query=null body=0 keepAlive=true continue=false
                          Host: x
                        POST /2 HTTP/1.1 path=/2 query=null body=3 keepAlive=true continue=false
                          Host: x
                          Content-Length: 3
                        BODY abc
                        END
                        PUT /3 HTTP/1.1 path=/3 query=null body=-1 keepAlive=true continue=false
                          Host: x
                          Transfer-Encoding: chunked
                        BODY xyz
                        END
                        DELETE /4 HTTP/1.1 path=/4 query=null body=0 keepAlive=true continue=false
                          Host: x
                          Content-Length: 0
                        HEAD /5 HTTP/1.1 path=/5 query=null body=0 keepAlive=false continue=false
                          Host: x
                          Connection: close
                        """),
                new Valid("empty lines before the request line", """
                        \r
                        \r
                        GET /after-empty-lines HTTP/1.1\r
                        Host: x\r
                        \r
                        """, """
                        GET /after-empty-lines HTTP/1.1 path=/after-empty-lines query=null body=0 keepAlive=true continue=false
                          Host: x
                        """),
                new Valid("Expect: 100-continue", """
                        PUT /file HTTP/1.1\r
                        Host: x\r
                        Expect: 100-Continue\r
                        Content-Length: 4\r
                        \r
                        data""", """
                        PUT /file HTTP/1.1 path=/file query=null body=4 keepAlive=true continue=true
                          Host: x
                          Expect: 100-Continue
                          Content-Length: 4
                        BODY data
                        END
                        """),
                new Valid("field values: empty, padded, obs-text, repeated, a list of equal lengths", """
                        PATCH /fields HTTP/1.1\r
                        host: x\r
                        X-Empty:\r
                        X-Padded: \t padded  value \t\r
                        X-Latin1: caf\u00e9 \u00ff\r
                        X-Repeat: 1\r
                        x-repeat: 2\r
                        Connection: Upgrade, close\r
                        Content-Length: 2, 2\r
                        content-length: 2\r
                        \r
                        ok""", """
                        PATCH /fields HTTP/1.1 path=/fields query=null body=2 keepAlive=false continue=false
                          Host: x
                          X-Empty:\s
                          X-Padded: padded  value
                          X-Latin1: caf\u00e9 \u00ff
                          X-Repeat: 1
                          x-repeat: 2
                          Connection: Upgrade, close
                          Content-Length: 2, 2
                          Content-Length: 2
                        BODY ok
                        END
                        """));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesInOneRead(Valid request) {
        Transcript transcript = Transcript.ofChunks(request.bytes(), request.bytes().length);
        assertEquals(request.expected(), transcript.text());
        assertEquals(0, transcript.started(), "a head that arrives whole is not announced as started");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesTheSameInReadsOfEverySize(Valid request) {
        byte[] wire = request.bytes();
        for (int chunk = 1; chunk <= wire.length; chunk++) {
            Transcript transcript = Transcript.ofChunks(wire, chunk);
            assertEquals(request.expected(), transcript.text(), "reads of " + chunk + " bytes");
            assertTrue(transcript.started() <= transcript.heads(), "at most one Started per head");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesTheSameSplitInTwoAtEveryPoint(Valid request) {
        byte[] wire = request.bytes();
        for (int split = 0; split <= wire.length; split++) {
            var c = Transcript.channel(new HttpRequestDecoder());
            c.channel().feed(Arrays.copyOfRange(wire, 0, split));
            c.channel().feed(Arrays.copyOfRange(wire, split, wire.length));
            assertEquals(request.expected(), c.transcript().text(), "split at " + split);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesTheSameFromABufferGrowingByteByByte(Valid request) throws HttpDecodeException {
        Transcript transcript = Transcript.ofGrowingBuffer(request.bytes(), new HttpRequestDecoder());
        assertEquals(request.expected(), transcript.text());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void decodesTheSameFromADirectBuffer(Valid request) throws HttpDecodeException {
        byte[] wire = request.bytes();
        ByteBuffer in = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
        var decoder = new HttpRequestDecoder();
        Transcript transcript = new Transcript();
        RequestPart part;
        while ((part = decoder.decode(in)) != null) {
            transcript.add(part);
        }
        assertEquals(request.expected(), transcript.text());
        assertEquals(0, in.remaining());
    }

    // ---- Host and authority ----

    @ParameterizedTest
    @ValueSource(strings = {
        "", "localhost", "localhost:9990", "example.com.", "EXAMPLE.com", "xn--caf-dma.example", "a-b_c~d.e",
        "127.0.0.1", "127.0.0.1:80", "999.1.1.1", "a:", ":80", "a%20b%C3%A9", "!$&'()*+,;=",
        "[::1]", "[::1]:8080", "[::]", "[::]:", "[1:2:3:4:5:6:7:8]", "[1::]", "[1:2:3:4:5:6:7::]", "[::2:3:4:5:6:7:8]",
        "[1:2:3:4:5:6:1.2.3.4]", "[1::5:6:1.2.3.4]", "[::ffff:192.0.2.1]", "[::0.0.0.0]", "[::255.255.255.255]",
        "[2001:DB8:0:0:0:0:0:1]", "[fEdC:0000:ba98::]", "[v1.fe80::a+en1]", "[V1F.x!$:]:1",
    })
    void acceptsAHostOfEveryFormRfc3986Allows(String host) throws HttpDecodeException {
        RequestPart part = decodeOne(HttpLimits.defaults(), "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        assertEquals(host, ((RequestPart.Head) part).authority());
    }

    static Stream<Arguments> authorities() {
        return Stream.of(
                Arguments.of("GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", "example.com:8080"),
                Arguments.of("GET / HTTP/1.1\r\nHost:\r\n\r\n", ""),
                Arguments.of("GET / HTTP/1.0\r\n\r\n", null),
                Arguments.of("OPTIONS * HTTP/1.1\r\nHost: example.com\r\n\r\n", "example.com"),
                Arguments.of("GET http://target.example/a HTTP/1.1\r\nHost: other.example\r\n\r\n", "target.example"),
                Arguments.of("GET Http://target.example HTTP/1.1\r\nHost:\r\n\r\n", "target.example"),
                Arguments.of("GET https://[::1]:8443?q HTTP/1.1\r\nHost: x\r\n\r\n", "[::1]:8443"),
                Arguments.of("GET http://a.example:/ HTTP/1.0\r\n\r\n", "a.example:"),
                Arguments.of("GET http://%61.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", "%61.example"),
                Arguments.of("CONNECT example.com:443 HTTP/1.1\r\nHost: proxy.example\r\n\r\n", "example.com:443"),
                Arguments.of("CONNECT [2001:db8::1]:65535 HTTP/1.1\r\nHost: x\r\n\r\n", "[2001:db8::1]:65535"),
                Arguments.of("CONNECT 127.0.0.1:00443 HTTP/1.1\r\nHost: x\r\n\r\n", "127.0.0.1:00443"));
    }

    /** The target's authority when it has one, whatever the Host says; else the Host; else none. */
    @ParameterizedTest
    @MethodSource("authorities")
    void takesTheAuthorityFromTheTargetElseTheHost(String wire, String authority) throws HttpDecodeException {
        RequestPart part = decodeOne(HttpLimits.defaults(), wire);
        assertEquals(authority, ((RequestPart.Head) part).authority());
    }

    @Test
    void aRequestMadeByHandHasTheAuthorityOfItsHost() {
        assertEquals("example.com", HttpRequest.of("GET", "/", HttpHeaders.of("Host", "example.com"), new byte[0]).authority());
        assertNull(HttpRequest.of("GET", "/", new HttpHeaders(), new byte[0]).authority());
    }

    @Test
    void announcesAHeadStartedOnceWhenItArrivesInPieces() throws HttpDecodeException {
        var decoder = new HttpRequestDecoder();
        ByteBuffer in = ByteBuffer.wrap("GET / HTTP/1.1\r\nHo".getBytes(ISO_8859_1));
        assertSame(RequestPart.Started.INSTANCE, decoder.decode(in));
        assertNull(decoder.decode(in));
        in = grow(in, "st: x\r\n");
        assertNull(decoder.decode(in), "still one head: started is not announced again");
        in = grow(in, "\r\n");
        assertInstanceOf(RequestPart.Head.class, decoder.decode(in));
        assertNull(decoder.decode(in));
        assertEquals(0, in.remaining());
    }

    @Test
    void ignoresEmptyLinesBetweenPipelinedRequestsWithoutAnnouncingAHead() throws HttpDecodeException {
        var decoder = new HttpRequestDecoder();
        ByteBuffer in = ByteBuffer.wrap("\r\n\r\n\r".getBytes(ISO_8859_1));
        assertNull(decoder.decode(in));
        assertEquals(1, in.remaining(), "a CR that may start an empty line waits for its LF");
        in = grow(in, "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertInstanceOf(RequestPart.Head.class, decoder.decode(in));
    }

    // ---- limits, at their exact boundaries ----

    @Test
    void acceptsARequestLineOfExactlyTheLimit() throws HttpDecodeException {
        HttpLimits limits = HttpLimits.defaults().withMaxRequestLineLength(64);
        String line = "GET /" + "a".repeat(64 - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertEquals(64, line.length());
        assertInstanceOf(RequestPart.Head.class, decodeOne(limits, line + "\r\nHost: x\r\n\r\n"));
        HttpDecodeException e = assertThrows(HttpDecodeException.class,
                () -> decodeOne(limits, "GET /a" + line.substring(5) + "\r\nHost: x\r\n\r\n"));
        assertEquals(HttpStatus.URI_TOO_LONG, e.status());
    }

    @Test
    void acceptsAHeaderSectionOfExactlyTheLimitCountingEveryCrlf() throws HttpDecodeException {
        HttpLimits limits = HttpLimits.defaults().withMaxHeaderSize(64);
        // "Host: x\r\n" (9) + "X-Fill: " (8) + fill + "\r\n" (2) + "\r\n" (2) = 64
        String fill = "f".repeat(64 - 21);
        assertInstanceOf(RequestPart.Head.class,
                decodeOne(limits, "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: " + fill + "\r\n\r\n"));
        HttpDecodeException e = assertThrows(HttpDecodeException.class,
                () -> decodeOne(limits, "GET / HTTP/1.1\r\nHost: x\r\nX-Fill: " + fill + "f\r\n\r\n"));
        assertEquals(HttpStatus.HEADER_FIELDS_TOO_LARGE, e.status());
    }

    @Test
    void acceptsExactlyTheMaximumNumberOfFields() throws HttpDecodeException {
        StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 1; i < 100; i++) {
            head.append("X-").append(i).append(": v\r\n");
        }
        RequestPart part = decodeOne(HttpLimits.defaults(), head + "\r\n");
        assertEquals(100, ((RequestPart.Head) part).headers().size());
        HttpDecodeException e = assertThrows(HttpDecodeException.class,
                () -> decodeOne(HttpLimits.defaults(), head + "X-100: v\r\n\r\n"));
        assertEquals(HttpStatus.HEADER_FIELDS_TOO_LARGE, e.status());
    }

    // ---- trickling ----

    /**
     * A 16 KiB header section, one long field, handed over one byte at a time. After each call the
     * byte just seen is overwritten with LF: a decoder that looked at it again would find a line end
     * there. The bytes are put back only before the field's own CRLF arrives.
     */
    @Test
    void scansAHeadTricklingInByteByByteOnlyOnce() throws HttpDecodeException {
        String before = "GET / HTTP/1.1\r\nHost: x\r\nCookie: ";
        int valueLength = 16 * 1024 - "Host: x\r\nCookie: \r\n\r\n".length();
        String value = "c".repeat(valueLength);
        byte[] wire = (before + value + "\r\n\r\n").getBytes(ISO_8859_1);
        int valueStart = before.length();
        int valueEnd = valueStart + valueLength;
        ByteBuffer in = ByteBuffer.wrap(wire).limit(0);
        var decoder = new HttpRequestDecoder();
        RequestPart.Head head = null;
        int calls = 0;
        for (int limit = 1; limit <= wire.length; limit++) {
            if (limit == valueEnd + 1) {
                Arrays.fill(wire, valueStart, valueEnd, (byte) 'c');
            }
            in.limit(limit);
            RequestPart part;
            while ((part = decoder.decode(in)) != null) {
                calls++;
                if (part instanceof RequestPart.Head h) {
                    head = h;
                }
            }
            if (limit > valueStart && limit <= valueEnd) {
                wire[limit - 1] = '\n';
            }
        }
        assertEquals(value, head.header("Cookie"));
        assertEquals(2, calls, "Started, then the head");
        assertEquals(0, in.remaining());
    }

    @Test
    void decodesA16KibHeaderSectionOfManyFieldsFedOneByteAtATime() {
        StringBuilder head = new StringBuilder("GET /slow HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 98; i++) {
            head.append("X-Field-").append(i).append(": ").append("v".repeat(150)).append("\r\n");
        }
        head.append("\r\n");
        byte[] wire = head.toString().getBytes(ISO_8859_1);
        assertTrue(wire.length > 15 * 1024 && wire.length < 16 * 1024);
        Transcript transcript = Transcript.ofChunks(wire, 1);
        assertEquals(1, transcript.heads());
        assertEquals(1, transcript.started());
        assertNull(transcript.error());
    }

    /**
     * Values a client repeats become one shared String, but never a credential's: one client's
     * cookie or token is not kept for, or compared with, the next request's.
     */
    @Test
    void sharesRepeatedValuesButNeverCredentials() throws HttpDecodeException {
        String wire = "GET /shared HTTP/1.1\r\nHost: x\r\nUser-Agent: agent/1.0\r\nCookie: session=s3cret\r\n"
                + "Authorization: Bearer t0ken\r\nProxy-Authorization: Basic cHJveHk6cGFzcw==\r\n\r\n";
        List<HttpHeaders> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(((RequestPart.Head) decodeOne(HttpLimits.defaults(), wire)).headers());
        }
        assertSame(seen.get(1).get("User-Agent"), seen.get(2).get("User-Agent"), "admitted on its second miss, shared after");
        for (String credential : List.of("Cookie", "Authorization", "Proxy-Authorization")) {
            assertEquals(seen.get(1).get(credential), seen.get(2).get(credential));
            assertNotSame(seen.get(1).get(credential), seen.get(2).get(credential), credential + " is never shared");
        }
    }

    // ---- helpers ----

    /** The first part other than Started that a strict decoder with {@code limits} makes of {@code wire}. */
    private static RequestPart decodeOne(HttpLimits limits, String wire) throws HttpDecodeException {
        var decoder = new HttpRequestDecoder(limits, EnumSet.noneOf(Leniency.class), ViolationListener.ignore());
        ByteBuffer in = ByteBuffer.wrap(wire.getBytes(ISO_8859_1));
        RequestPart part;
        do {
            part = decoder.decode(in);
        } while (part == RequestPart.Started.INSTANCE);
        return part;
    }

    /** What {@code in} has left, with {@code more} appended, as a connection hands it back. */
    static ByteBuffer grow(ByteBuffer in, String more) {
        byte[] added = more.getBytes(ISO_8859_1);
        ByteBuffer next = ByteBuffer.allocate(in.remaining() + added.length);
        next.put(in).put(added).flip();
        return next;
    }
}
