package io.eddy.http.server;

import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpStatus;
import io.eddy.http.Leniency;
import io.eddy.http.codec.HttpRequestDecoder;
import io.eddy.http.codec.Transcript;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each leniency, one by one: what it lets through is decoded and reported to the violation
 * listener when it is on, refused with 400 when it is off, and still refused when every other
 * leniency is on. Framing fields stay strict whatever is on.
 */
class RequestLeniencyTest {

    /** A request only {@code leniency} lets through, and its transcript when it does. */
    record Lenient(String name, Leniency leniency, String wire, String expected) {
        @Override
        public String toString() {
            return leniency + ": " + name;
        }
    }

    static Stream<Lenient> lenient() {
        return Stream.of(
                new Lenient("every line ended by LF", Leniency.BARE_LF,
                        "GET /lf HTTP/1.1\nHost: x\nX-A: a\n\n", """
                        GET /lf HTTP/1.1 path=/lf query=null body=0 keepAlive=true continue=false
                          Host: x
                          X-A: a
                        """),
                new Lenient("a chunked body with LF line ends", Leniency.BARE_LF,
                        "POST /lf HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\nX-T: t\n\n", """
                        POST /lf HTTP/1.1 path=/lf query=null body=-1 keepAlive=true continue=false
                          Host: x
                          Transfer-Encoding: chunked
                        BODY hello
                        END
                          X-T: t
                        """),
                new Lenient("an empty line of LF before the request line", Leniency.BARE_LF,
                        "\nGET /lf HTTP/1.1\r\nHost: x\r\n\r\n", """
                        GET /lf HTTP/1.1 path=/lf query=null body=0 keepAlive=true continue=false
                          Host: x
                        """),
                new Lenient("a value folded onto two more lines", Leniency.OBS_FOLD,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: first\r\n  second\r\n\tthird\r\nX-After: a\r\n\r\n", """
                        GET / HTTP/1.1 path=/ query=null body=0 keepAlive=true continue=false
                          Host: x
                          X-Folded: first second third
                          X-After: a
                        """),
                new Lenient("a fold continuing the last of repeated fields", Leniency.OBS_FOLD,
                        "GET / HTTP/1.1\r\nX-R: 1\r\nHost: x\r\nX-R: 2\r\n more\r\n\r\n", """
                        GET / HTTP/1.1 path=/ query=null body=0 keepAlive=true continue=false
                          X-R: 1
                          Host: x
                          X-R: 2 more
                        """),
                new Lenient("a fold of an empty value and an empty fold", Leniency.OBS_FOLD,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-E:\r\n value\r\nX-F: f\r\n \r\n\r\n", """
                        GET / HTTP/1.1 path=/ query=null body=0 keepAlive=true continue=false
                          Host: x
                          X-E: value
                          X-F: f
                        """),
                new Lenient("a space before the colon", Leniency.WHITESPACE_BEFORE_COLON,
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Space : a\r\nX-Tabs\t\t: b\r\n\r\n", """
                        GET / HTTP/1.1 path=/ query=null body=0 keepAlive=true continue=false
                          Host: x
                          X-Space: a
                          X-Tabs: b
                        """),
                new Lenient("no Host in HTTP/1.1", Leniency.MISSING_HOST,
                        "GET /nohost HTTP/1.1\r\nAccept: */*\r\n\r\n", """
                        GET /nohost HTTP/1.1 path=/nohost query=null body=0 keepAlive=true continue=false
                          Accept: */*
                        """));
    }

    /**
     * Requests refused whatever leniency is on: they fold or pad a field that frames the message,
     * or break a rule no leniency relaxes (target, Host and chunk extension syntax).
     */
    static Stream<String> strictWhateverIsOn() {
        return Stream.of(
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n 0\r\n\r\n0123456789",
                "GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n close\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n ,x\r\nContent-Length: 1\r\n\r\n1",
                " X-Fold-First: a\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\n X-Fold-First: a\r\nHost: x\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length\t: 5\r\n\r\nhello",
                "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
                "GET / HTTP/1.1\nHost: x\r\n\rX: y\r\n\r\n",
                "GET /a<b HTTP/1.1\nHost: x\n\n",
                "GET /a%zz HTTP/1.1\nHost: x\n\n",
                "GET /a#b HTTP/1.1\nHost: x\n\n",
                "GET ftp://x/ HTTP/1.1\nHost: x\n\n",
                "GET http://user@x/ HTTP/1.1\nHost: x\n\n",
                "GET / HTTP/1.1\nHost: a:b:c\n\n",
                "GET / HTTP/1.1\nHost: [::1\n\n",
                "POST / HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5 \nhello\n0\n\n",
                "POST / HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n5;a=\"x\nhello\n0\n\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenient")
    void acceptedAndReportedWhenOn(Lenient request) {
        List<Leniency> reported = new ArrayList<>();
        var c = Transcript.channel(decoder(EnumSet.of(request.leniency()), reported));
        c.channel().feed(request.wire().getBytes(ISO_8859_1));
        assertNull(c.transcript().error());
        assertEquals(request.expected(), c.transcript().text());
        assertFalse(reported.isEmpty(), "reported to the violation listener");
        assertTrue(reported.stream().allMatch(l -> l == request.leniency()), reported::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenient")
    void acceptedTheSameByteByByte(Lenient request) throws HttpDecodeException {
        Transcript transcript = Transcript.ofGrowingBuffer(request.wire().getBytes(ISO_8859_1),
                decoder(EnumSet.of(request.leniency()), new ArrayList<>()));
        assertEquals(request.expected(), transcript.text());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenient")
    void refusedWhenOff(Lenient request) {
        assertRefused(request.wire(), EnumSet.noneOf(Leniency.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenient")
    void refusedWhenOnlyTheOthersAreOn(Lenient request) {
        assertRefused(request.wire(), EnumSet.complementOf(EnumSet.of(request.leniency())));
    }

    @ParameterizedTest
    @MethodSource("strictWhateverIsOn")
    void framingFieldsStayStrictWithEveryLeniencyOn(String wire) {
        assertRefused(wire, EnumSet.allOf(Leniency.class));
    }

    private static void assertRefused(String wire, Set<Leniency> on) {
        var c = Transcript.channel(decoder(on, new ArrayList<>()));
        c.channel().feed(wire.getBytes(ISO_8859_1));
        HttpDecodeException error = c.transcript().error();
        assertNotNull(error, () -> "accepted: " + c.transcript());
        assertEquals(HttpStatus.BAD_REQUEST, error.status(), error.getMessage());
    }

    private static HttpRequestDecoder decoder(Set<Leniency> on, List<Leniency> reported) {
        return new HttpRequestDecoder(HttpLimits.defaults(), on, (leniency, detail) -> {
            assertFalse(detail.isEmpty());
            reported.add(leniency);
        });
    }
}
