package io.eddy.http.server;

import io.eddy.core.net.CloseReason;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpStatus;
import io.eddy.http.codec.HttpRequestDecoder;
import io.eddy.http.codec.Transcript;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Malformed and hostile requests, each refused with the status the decoder decides (400, 414, 417,
 * 431, 505), in one read and byte by byte, and a request smuggled behind each never decoded.
 */
class HostileRequestTest {

    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final int BAD = HttpStatus.BAD_REQUEST;

    /**
     * A request refused with {@code status}; {@code inBody} when the head was fine and the body
     * breaks the rules (its head is delivered before the error).
     */
    record Hostile(String name, String wire, int status, boolean inBody) {
        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    private static Hostile head(String name, String wire, int status) {
        return new Hostile(name, wire, status, false);
    }

    private static Hostile head(String name, String wire) {
        return head(name, wire, BAD);
    }

    private static Hostile body(String name, String wire, int status) {
        return new Hostile(name, wire, status, true);
    }

    /** A POST whose header section holds {@code fields} (each ending in CRLF) and then {@code rest}. */
    private static String post(String fields, String rest) {
        return "POST / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n" + rest;
    }

    /** A GET whose header section holds {@code fields} (each ending in CRLF). */
    private static String get(String fields) {
        return "GET / HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n";
    }

    /** A chunked POST whose body is {@code chunks}. */
    private static String chunked(String chunks) {
        return post("Transfer-Encoding: chunked\r\n", chunks);
    }

    /** A GET of {@code target} with a fine Host. */
    private static String target(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    }

    /** A GET of / with this Host value. */
    private static String host(String value) {
        return "GET / HTTP/1.1\r\nHost: " + value + "\r\n\r\n";
    }

    static Stream<Hostile> hostile() {
        return Stream.of(rows(), excludedTargetCharacters()).flatMap(rows -> rows);
    }

    /**
     * The characters RFC 3986 §2 leaves out of URIs that browsers never send unencoded, in a
     * target's path and in its query ({@code {}|^`[]}, which they do send, are accepted).
     */
    private static Stream<Hostile> excludedTargetCharacters() {
        return "<>\"\\".chars().mapToObj(c -> (char) c).flatMap(c -> Stream.of(
                head("'" + c + "' in the target's path", target("/a" + c + "b")),
                head("'" + c + "' in the target's query", target("/a?q=" + c))));
    }

    private static Stream<Hostile> rows() {
        String manyFields = "X-Field: v\r\n".repeat(100);
        return Stream.of(
                // Framing: Content-Length and Transfer-Encoding (request smuggling).
                head("CL.TE: Content-Length then Transfer-Encoding",
                        post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG")),
                head("TE.CL: Transfer-Encoding then Content-Length",
                        post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", "5c\r\nGPOST / HTTP/1.1\r\n\r\n0\r\n\r\n")),
                head("differing Content-Length fields", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!")),
                head("Content-Length list 5, 6", post("Content-Length: 5, 6\r\n", "hello!")),
                head("Content-Length list with an empty element", post("Content-Length: 5,,5\r\n", "hello")),
                head("Content-Length list ending in a comma", post("Content-Length: 5,\r\n", "hello")),
                head("Content-Length not digits", post("Content-Length: abc\r\n", "")),
                head("Content-Length negative", post("Content-Length: -1\r\n", "")),
                head("Content-Length with a plus sign", post("Content-Length: +5\r\n", "hello")),
                head("Content-Length in hex", post("Content-Length: 0x5\r\n", "hello")),
                head("Content-Length with a decimal point", post("Content-Length: 5.0\r\n", "hello")),
                head("Content-Length of two numbers", post("Content-Length: 5 5\r\n", "hello")),
                head("Content-Length empty", post("Content-Length:\r\n", "")),
                head("Content-Length overflowing a long", post("Content-Length: 99999999999999999999\r\n", "")),
                head("Transfer-Encoding gzip", post("Transfer-Encoding: gzip\r\n", "")),
                head("Transfer-Encoding chunked, gzip", post("Transfer-Encoding: chunked, gzip\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding chunked twice in one field", post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding chunked in two fields",
                        post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding xchunked", post("Transfer-Encoding: xchunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding quoted", post("Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding with a parameter", post("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding empty", post("Transfer-Encoding:\r\n", "")),
                head("Transfer-Encoding with a vertical tab", post("Transfer-Encoding: chunked\u000b\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding in HTTP/1.0",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                head("Transfer-Encoding after a leading space (obs-fold)",
                        post("Content-Length: 0\r\n Transfer-Encoding: chunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding value folded onto the next line",
                        post("Transfer-Encoding:\r\n chunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding with a space before the colon", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n")),
                head("Transfer-Encoding with a tab before the colon", post("Transfer-Encoding\t: chunked\r\n", "0\r\n\r\n")),
                head("Content-Length with a space before the colon", post("Content-Length : 5\r\n", "hello")),

                // Field syntax.
                head("obs-fold", get("X-Folded: a\r\n b\r\n")),
                head("obs-fold by a tab", get("X-Folded: a\r\n\tb\r\n")),
                head("a space before the colon", get("X-Name : v\r\n")),
                head("a tab before the colon", get("X-Name\t: v\r\n")),
                head("NUL in a value", get("X-Name: a\u0000b\r\n")),
                head("a control character in a value", get("X-Name: a\u0001b\r\n")),
                head("DEL in a value", get("X-Name: a\u007fb\r\n")),
                head("escape sequence in a value", get("X-Name: \u001b[31mred\r\n")),
                head("bare CR in a value", get("X-Name: a\rb\r\n")),
                head("bare CR ending a value before CRLF", get("X-Name: a\r\r\n")),
                head("bare LF ending a field line", get("X-Name: v\n")),
                head("bare LF ending the header section", "GET / HTTP/1.1\r\nHost: x\r\n\n"),
                head("bare LF ending every line", "GET / HTTP/1.1\nHost: x\n\n"),
                head("empty field name", get(": v\r\n")),
                head("field line without a colon", get("X-Name v\r\n")),
                head("field line of a name alone", get("X-Name\r\n")),
                head("a slash in a field name", get("X-Na/me: v\r\n")),
                head("non-ASCII in a field name", get("X-Caf\u00e9: v\r\n")),
                head("a field line starting with a colon and a name", get(":authority: x\r\n")),

                // Request line.
                head("invalid character in the method", "GE(T / HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("NUL in the method", "G\u0000ET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("a space before the method", " GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("a tab between method and target", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("a space in the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("non-ASCII in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("a control character in the target", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("DEL in the target", "GET /a\u007f HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("bare CR in the request line", "GET /\r HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("bare CR ending the request line before CRLF", "GET / HTTP/1.1\r\r\nHost: x\r\n\r\n"),
                head("two spaces between method and target", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("two spaces between target and version", "GET /  HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("missing version (HTTP/0.9)", "GET /\r\nHost: x\r\n\r\n"),
                head("method alone", "GET\r\nHost: x\r\n\r\n"),
                head("a space after the version", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n"),
                head("lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n"),
                head("version HTTP/1.10", "GET / HTTP/1.10\r\nHost: x\r\n\r\n"),
                head("version HTTP/1", "GET / HTTP/1\r\nHost: x\r\n\r\n"),
                head("version HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", HttpStatus.HTTP_VERSION_NOT_SUPPORTED),
                head("version HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", HttpStatus.HTTP_VERSION_NOT_SUPPORTED),
                head("version HTTP/0.9", "GET / HTTP/0.9\r\nHost: x\r\n\r\n", HttpStatus.HTTP_VERSION_NOT_SUPPORTED),
                head("a target neither a path nor an absolute URI", "GET a/b HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT with a path", "CONNECT /path HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT with an absolute URI", "CONNECT http://x:443/ HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT without a port", "CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n"),
                head("CONNECT with an empty port", "CONNECT example.com: HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT to port 0", "CONNECT example.com:0 HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT to port 65536", "CONNECT example.com:65536 HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT to port 443 plus 2^32", "CONNECT example.com:4294967739 HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT without a host", "CONNECT :443 HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT with user info", "CONNECT user@example.com:443 HTTP/1.1\r\nHost: x\r\n\r\n"),
                head("CONNECT to an unclosed IPv6 literal", "CONNECT [::1:443 HTTP/1.1\r\nHost: x\r\n\r\n"),

                // Target syntax (RFC 3986): fragments, escapes.
                head("a fragment in the target", target("/a#frag")),
                head("a fragment alone after the path", target("/#")),
                head("a fragment in an absolute-form target", target("http://x/a#frag")),
                head("'%' ending the target", target("/a%")),
                head("'%' and one hex digit", target("/a%2")),
                head("'%' and non-hex", target("/a%zz")),
                head("'%' and one non-hex after a hex digit", target("/a%4g")),
                head("'%' twice", target("/a%%41")),
                head("'%' and one hex digit in the query", target("/?q=%2")),

                // Absolute-form targets: http or https, with a host.
                head("absolute-form of scheme ftp", target("ftp://x/file")),
                head("absolute-form of scheme file", target("file:///etc/passwd")),
                head("absolute-form of scheme ws", target("ws://x/")),
                head("absolute-form of a scheme starting with http", target("httpx://x/")),
                head("absolute-form of a scheme ending in http", target("xhttp://x/")),
                head("an http URI without '//'", target("http:/x/")),
                head("an http URI of a path alone", target("http:x")),
                head("an http URI with an empty authority", target("http:///a")),
                head("an http URI of the scheme alone", target("http://")),
                head("an http URI with a port and no host", target("http://:80/")),
                head("an http URI with user info", target("http://user@x/")),
                head("an http URI with user and password", target("http://user:secret@x/")),
                head("an http URI with a port that is not digits", target("http://x:y/")),
                head("an http URI with two ports", target("http://x:80:81/")),
                head("an http URI with an unclosed IPv6 literal", target("http://[::1/")),
                head("an http URI with text after an IPv6 literal", target("http://[::1]x/")),
                head("an http URI with an invalid IPv6 literal", target("http://[::1::2]/")),
                head("an http URI with a bad escape in the host", target("http://x%zz/")),
                head("an absolute-form target with a valid authority and an invalid Host",
                        "GET http://x/ HTTP/1.1\r\nHost: a:b:c\r\n\r\n"),

                // Host.
                head("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
                head("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                head("two Host fields in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
                head("two hosts in one Host field", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n"),
                head("a Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
                head("a Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"),
                head("a Host with user info", "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n"),
                head("a Host of three parts", host("a:b:c")),
                head("a Host with a port that is not digits", host("a:b")),
                head("a Host with a port followed by text", host("a:80x")),
                head("a Host with a negative port", host("a:-1")),
                head("a Host of an IPv6 address without brackets", host("::1")),
                head("a Host of an unclosed IPv6 literal", host("[::1")),
                head("a Host of an IPv6 literal closed twice", host("[::1]]")),
                head("a Host with text after an IPv6 literal", host("[::1]x")),
                head("a Host of an empty IP literal", host("[]")),
                head("a Host of an IPv6 literal of nine groups", host("[1:2:3:4:5:6:7:8:9]")),
                head("a Host of an IPv6 literal of seven groups", host("[1:2:3:4:5:6:7]")),
                head("a Host of an IPv6 literal with '::' twice", host("[1::2::3]")),
                head("a Host of an IPv6 literal with '::' for no group", host("[1:2:3:4::5:6:7:8]")),
                head("a Host of an IPv6 literal with a group of five digits", host("[12345::]")),
                head("a Host of an IPv6 literal with ':::'", host("[1:::2]")),
                head("a Host of an IPv6 literal ending in one colon", host("[1:2:3:4:5:6:7:]")),
                head("a Host of an IPv6 literal with an IPv4 octet over 255", host("[::ffff:1.2.3.256]")),
                head("a Host of an IPv6 literal with an IPv4 octet's leading zero", host("[::ffff:1.2.3.04]")),
                head("a Host of an IPv6 literal with an IPv4 address not last", host("[::1.2.3.4:1]")),
                head("a Host of an IPv6 literal with a zone", host("[fe80::1%25eth0]")),
                head("a Host of an IPv6 literal with brackets inside", host("[[::1]]")),
                head("a Host of an IPvFuture without a dot", host("[v1]")),
                head("a Host of an IPvFuture without a version", host("[v.abc]")),
                head("a Host of an IPvFuture with nothing after the dot", host("[v1.]")),
                head("a Host of a reg-name with brackets", host("a[b]")),
                head("a Host with '%' and one hex digit", host("a%2")),
                head("a Host with '%' and non-hex", host("a%zz")),
                head("a Host with a query", host("a?b")),
                head("a Host with a fragment", host("a#b")),
                head("a Host with a backslash", host("a\\b")),
                head("a Host with a quote", host("\"a\"")),

                // Expectations.
                head("an expectation other than 100-continue", post("Expect: 101-upgrade\r\nContent-Length: 0\r\n", ""),
                        HttpStatus.EXPECTATION_FAILED),

                // Chunked bodies.
                body("chunk size not hex", chunked("zz\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk size negative", chunked("-5\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk size with a 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk size of 17 hex digits", chunked("10000000000000000\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk size of 16 hex digits overflowing a long", chunked("FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk size missing", chunked("\r\nhello\r\n0\r\n\r\n"), BAD),
                body("garbage after the chunk size", chunked("5x\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a control character in a chunk extension", chunked("5;a=\u0001\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a space after the chunk size without an extension", chunked("5 \r\nhello\r\n0\r\n\r\n"), BAD),
                body("a tab after the chunk size without an extension", chunked("5\t\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a space after the last chunk's size", chunked("0 \r\n\r\n"), BAD),
                body("a chunk extension without a name", chunked("5;\r\nhello\r\n0\r\n\r\n"), BAD),
                body("the last chunk with an extension without a name", chunked("0;\r\n\r\n"), BAD),
                body("two semicolons", chunked("5;;a\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a chunk extension name that is not a token", chunked("5;a@b\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a chunk extension without a value after '='", chunked("5;a=\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a chunk extension of '=' and a value without a name", chunked("5;=b\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a chunk extension value of two words", chunked("5;a=b c\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a chunk extension value that is not a token", chunked("5;a=b/c\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a space after the last chunk extension", chunked("5;a=b \r\nhello\r\n0\r\n\r\n"), BAD),
                body("a space after a chunk extension name", chunked("5;a \r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk extensions joined by a comma", chunked("5;a,b\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a quoted chunk extension value unterminated",
                        chunked("5;a=\"unterminated\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a quoted chunk extension value ending in a backslash",
                        chunked("5;a=\"x\\\r\nhello\r\n0\r\n\r\n"), BAD),
                body("text after a quoted chunk extension value", chunked("5;a=\"x\"y\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a quoted chunk extension value opened in the middle", chunked("5;a=b\"c\"\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a control character in a quoted chunk extension value",
                        chunked("5;a=\"x\u0001\"\r\nhello\r\n0\r\n\r\n"), BAD),
                body("DEL in a quoted chunk extension value", chunked("5;a=\"x\u007f\"\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a quoted-pair escaping a control character",
                        chunked("5;a=\"\\\u0001\"\r\nhello\r\n0\r\n\r\n"), BAD),
                body("a bare CR in a quoted chunk extension value", chunked("5;a=\"\r\"\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk size line longer than 4 KiB", chunked("5;" + "e".repeat(4096) + "\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk data not followed by CRLF", chunked("5\r\nhelloX\r\n0\r\n\r\n"), BAD),
                body("chunk data longer than its size", chunked("3\r\nhello\r\n0\r\n\r\n"), BAD),
                body("chunk data followed by a bare LF", chunked("5\r\nhello\n0\r\n\r\n"), BAD),
                body("chunk size ended by a bare LF", chunked("5\nhello\r\n0\r\n\r\n"), BAD),
                body("a bad trailer field", chunked("0\r\nX Bad: v\r\n\r\n"), BAD),
                body("obs-fold in the trailers", chunked("0\r\nX-T: a\r\n b\r\n\r\n"), BAD),

                // Limits.
                head("request line over 8 KiB", "GET /" + "a".repeat(8 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                        HttpStatus.URI_TOO_LONG),
                head("request line over 8 KiB, no line end in sight", "GET /" + "a".repeat(9 * 1024),
                        HttpStatus.URI_TOO_LONG),
                head("one field over 16 KiB", get("X-Big: " + "b".repeat(16 * 1024) + "\r\n"),
                        HttpStatus.HEADER_FIELDS_TOO_LARGE),
                head("a header section over 16 KiB in many fields", get(("X-Field: " + "f".repeat(100) + "\r\n").repeat(150)),
                        HttpStatus.HEADER_FIELDS_TOO_LARGE),
                head("101 fields", "GET / HTTP/1.1\r\nHost: x\r\n" + manyFields + "\r\n",
                        HttpStatus.HEADER_FIELDS_TOO_LARGE),
                body("trailer section over 16 KiB",
                        chunked("0\r\n" + ("X-Trailer: " + "t".repeat(100) + "\r\n").repeat(150) + "\r\n"),
                        HttpStatus.HEADER_FIELDS_TOO_LARGE),
                body("101 trailer fields", chunked("0\r\n" + manyFields + "X-Last: v\r\n\r\n"),
                        HttpStatus.HEADER_FIELDS_TOO_LARGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusedInOneReadAndNothingBehindItDecoded(Hostile request) {
        refused(request, Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusedByteByByteAndNothingBehindItDecoded(Hostile request) {
        refused(request, 1);
    }

    private static void refused(Hostile request, int chunk) {
        byte[] wire = (request.wire() + SMUGGLED).getBytes(ISO_8859_1);
        var c = Transcript.channel(new HttpRequestDecoder());
        c.channel().feedInChunks(wire, Math.min(chunk, wire.length));
        Transcript transcript = c.transcript();
        HttpDecodeException error = transcript.error();
        assertNotNull(error, () -> "accepted: " + transcript);
        assertEquals(request.status(), error.status(), error.getMessage());
        assertEquals(request.inBody() ? 1 : 0, transcript.heads(), transcript::text);
        assertFalse(transcript.text().contains("/smuggled"), transcript::text);
        assertFalse(c.channel().isOpen());
        assertEquals(CloseReason.Kind.DECODE_ERROR, c.channel().closeReason().kind());
    }

    @Test
    void readsNothingMoreOnceItFailed() throws HttpDecodeException {
        var decoder = new HttpRequestDecoder();
        ByteBuffer in = ByteBuffer.wrap(("GET / HTTP/1.1\r\nHost: x\r\nX-Name : v\r\n\r\n" + SMUGGLED).getBytes(ISO_8859_1));
        HttpDecodeException e = assertThrows(HttpDecodeException.class, () -> decoder.decode(in));
        assertEquals(BAD, e.status());
        assertNull(decoder.decode(in));
        assertEquals(0, in.remaining(), "everything after the error is dropped");
        ByteBuffer more = ByteBuffer.wrap(SMUGGLED.getBytes(ISO_8859_1));
        assertNull(decoder.decode(more));
        assertEquals(0, more.remaining());
    }

    @Test
    void namesTheRuleItBroke() {
        var decoder = new HttpRequestDecoder();
        ByteBuffer in = ByteBuffer.wrap(post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "").getBytes(ISO_8859_1));
        HttpDecodeException e = assertThrows(HttpDecodeException.class, () -> decoder.decode(in));
        assertEquals("both Content-Length and Transfer-Encoding", e.getMessage());
    }
}
