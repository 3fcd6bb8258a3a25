package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Percent-decoding of paths and queries, forgiving of stray percent signs. */
class PercentCodingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "plain          | plain",
        "a%20b          | a b",
        "%2e%2E         | ..",
        "a%2Fb          | a/b",
        "caf%C3%A9      | café",
        "%E2%82%AC      | €",
        "%F0%9F%98%80   | \uD83D\uDE00",
        "a+b            | a+b",
        "100%           | 100%",
        "%4             | %4",
        "a%4            | a%4",
        "%zz            | %zz",
        "%%41           | %A",
        "%41%           | A%",
        "%00            | '\u0000'",
        "%C3            | \uFFFD",
        "%FF%FE         | \uFFFD\uFFFD",
    })
    void decodesPathsKeepingStrayPercentSignsAndPlus(String encoded, String decoded) {
        assertEquals(decoded, PercentCoding.decode(encoded, false));
    }

    @Test
    void decodesPlusAsSpaceOnlyWhenAsked() {
        assertEquals("a b c", PercentCoding.decode("a+b%20c", true));
        assertEquals("a+b", PercentCoding.decode("a%2Bb", true));
        assertEquals("a+b c", PercentCoding.decode("a+b%20c", false));
    }

    @Test
    void returnsTheSameStringWhenThereIsNothingToDecode() {
        String s = "/a/b/c";
        assertSame(s, PercentCoding.decode(s, true));
    }

    @Test
    void parsesAQueryInOrderWithRepeatsAndEmptyParts() {
        Map<String, List<String>> params = PercentCoding.parseQuery("b=2&a=1&&b=3&flag&empty=&=nameless&x=a=b&sp=a+b%26c");
        assertEquals(List.of("b", "a", "flag", "empty", "", "x", "sp"), List.copyOf(params.keySet()));
        assertEquals(List.of("2", "3"), params.get("b"));
        assertEquals(List.of("1"), params.get("a"));
        assertEquals(List.of(""), params.get("flag"));
        assertEquals(List.of(""), params.get("empty"));
        assertEquals(List.of("nameless"), params.get(""));
        assertEquals(List.of("a=b"), params.get("x"));
        assertEquals(List.of("a b&c"), params.get("sp"));
        assertThrows(UnsupportedOperationException.class, () -> params.put("z", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> params.get("b").add("4"));
    }

    @Test
    void parsesNoQueryAsNoParameters() {
        assertEquals(Map.of(), PercentCoding.parseQuery(null));
        assertEquals(Map.of(), PercentCoding.parseQuery(""));
        assertEquals(Map.of(), PercentCoding.parseQuery("&&"));
    }

    @Test
    void decodesParameterNames() {
        assertEquals(List.of("v"), PercentCoding.parseQuery("a%20b=v").get("a b"));
        assertEquals(List.of("v"), PercentCoding.parseQuery("a+b=v").get("a b"));
    }
}
