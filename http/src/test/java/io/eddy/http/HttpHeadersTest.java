package io.eddy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HttpHeaders: a case-insensitive multi-map in order, that never lets a header split a message. */
class HttpHeadersTest {

    @Test
    void findsNamesWhateverTheirCase() {
        HttpHeaders headers = HttpHeaders.of("Content-Type", "text/plain");
        assertEquals("text/plain", headers.get("content-type"));
        assertEquals("text/plain", headers.get("CONTENT-TYPE"));
        assertTrue(headers.contains("cOnTeNt-TyPe"));
        assertNull(headers.get("Content-Length"));
        assertFalse(headers.contains("Content"));
    }

    @Test
    void aCopyAndItsOriginalChangeApart() {
        HttpHeaders original = HttpHeaders.of("A", "1", "B", "2");
        HttpHeaders copy = original.copy();
        copy.add("C", "3");
        copy.set("A", "one");
        original.remove("B");
        HttpHeaders second = original.copy();
        second.add("D", "4");
        assertEquals(List.of("A", "B", "C"), names(copy));
        assertEquals("one", copy.get("A"));
        assertEquals(List.of("A"), names(original));
        assertEquals("1", original.get("A"));
        assertEquals(List.of("A", "D"), names(second));
    }

    @Test
    void settingAFieldToItsValueKeepsOneField() {
        HttpHeaders headers = HttpHeaders.of("A", "1", "a", "2").copy();
        headers.set("A", "1");
        assertEquals(List.of("1"), headers.getAll("a"));
        headers.set("A", "1");
        assertEquals(1, headers.size());
    }

    @Test
    void keepsOrderAndEveryRepeatedField() {
        HttpHeaders headers = new HttpHeaders()
                .add("Set-Cookie", "a=1")
                .add("X-Other", "o")
                .add("set-cookie", "b=2")
                .add("SET-COOKIE", "c=3");
        assertEquals(4, headers.size());
        assertEquals("a=1", headers.get("Set-Cookie"), "get is the first");
        assertEquals(List.of("a=1", "b=2", "c=3"), headers.getAll("set-cookie"));
        assertEquals(List.of(), headers.getAll("Missing"));
        assertEquals(List.of("Set-Cookie", "X-Other", "set-cookie", "SET-COOKIE"), names(headers));
        assertEquals("set-cookie", headers.name(2), "names are kept as added");
        assertEquals("b=2", headers.value(2));
        assertEquals(Set.of("Set-Cookie", "X-Other"), headers.names());
        assertEquals(List.of("Set-Cookie", "X-Other"), new ArrayList<>(headers.names()), "distinct names in order");
        assertThrows(UnsupportedOperationException.class, () -> headers.getAll("Set-Cookie").add("d=4"));
    }

    @Test
    void setReplacesEveryFieldOfTheNameInPlaceOfTheFirst() {
        HttpHeaders headers = HttpHeaders.of("A", "1", "B", "2", "a", "3", "C", "4");
        headers.set("a", "new");
        assertEquals(List.of("A: new", "B: 2", "C: 4"), fields(headers));
        headers.set("D", "added");
        assertEquals(List.of("A: new", "B: 2", "C: 4", "D: added"), fields(headers));
    }

    @Test
    void removeDropsEveryFieldOfTheName() {
        HttpHeaders headers = HttpHeaders.of("A", "1", "B", "2", "a", "3", "C", "4");
        assertTrue(headers.remove("A"));
        assertEquals(List.of("B: 2", "C: 4"), fields(headers));
        assertFalse(headers.remove("A"));
        assertTrue(headers.remove("c"));
        assertTrue(headers.remove("b"));
        assertTrue(headers.isEmpty());
        headers.add("E", "5");
        assertEquals(List.of("E: 5"), fields(headers));
    }

    @Test
    void growsPastItsFirstCapacity() {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < 1000; i++) {
            headers.add("X-" + i, Integer.toString(i));
        }
        assertEquals(1000, headers.size());
        assertEquals("999", headers.get("x-999"));
        assertEquals("X-500", headers.name(500));
    }

    @Test
    void findsTokensInCommaSeparatedValues() {
        HttpHeaders headers = HttpHeaders.of("Connection", "keep-alive, Upgrade", "connection", " \tCLOSE\t ");
        assertTrue(headers.containsToken("Connection", "close"));
        assertTrue(headers.containsToken("CONNECTION", "upgrade"));
        assertTrue(headers.containsToken("Connection", "Keep-Alive"));
        assertFalse(headers.containsToken("Connection", "keep"));
        assertFalse(headers.containsToken("Connection", "alive, upgrade"));
        assertFalse(headers.containsToken("Upgrade", "close"));
        assertFalse(HttpHeaders.of("Connection", "").containsToken("Connection", "close"));
        assertTrue(HttpHeaders.of("Connection", ",,close,").containsToken("Connection", "close"));
        assertFalse(HttpHeaders.of("Connection", "closed").containsToken("Connection", "close"));
        assertFalse(HttpHeaders.of("Connection", "x-close").containsToken("Connection", "close"));
    }

    @Test
    void failsOnAnIndexOutOfRange() {
        HttpHeaders headers = HttpHeaders.of("A", "1");
        assertThrows(IndexOutOfBoundsException.class, () -> headers.name(1));
        assertThrows(IndexOutOfBoundsException.class, () -> headers.value(-1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a\r\nSet-Cookie: admin=1", "a\nb", "a\rb", "a\u0000b", "\u0001", "a\u007f", "a\u001bb", "\r\n", "a\u0100", "\u2028",
    })
    void refusesValuesThatCouldSplitTheMessage(String value) {
        HttpHeaders headers = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> headers.add("X-Name", value));
        assertThrows(IllegalArgumentException.class, () -> headers.set("X-Name", value));
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X-Name", value));
        assertTrue(headers.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X Name", "X-Name:", "X-Name\r\nX-Other", "X\u0000", "Caf\u00e9", "(comment)", "a/b", "a@b", "\t"})
    void refusesNamesThatAreNotTokens(String name) {
        HttpHeaders headers = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> headers.add(name, "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.set(name, "v"));
        assertTrue(headers.isEmpty());
    }

    @Test
    void refusesNullNamesAndValuesAndUnpairedArguments() {
        HttpHeaders headers = new HttpHeaders();
        assertThrows(IllegalArgumentException.class, () -> headers.add(null, "v"));
        assertThrows(IllegalArgumentException.class, () -> headers.add("X-Name", null));
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X-Name"));
    }

    @Test
    void acceptsEveryTokenCharacterAndEveryValueByteAllowed() {
        String name = "!#$%&'*+-.^_`|~09azAZ";
        String value = " \tvisible !\"#~ and obs-text \u0080\u00e9\u00ff ";
        HttpHeaders headers = new HttpHeaders().add(name, value).add("X-Empty", "");
        assertEquals(value, headers.get(name));
        assertEquals("", headers.get("x-empty"));
    }

    @Test
    void showsItsFieldsInToString() {
        assertEquals("HttpHeaders[A: 1, B: 2]", HttpHeaders.of("A", "1", "B", "2").toString());
    }

    private static List<String> names(HttpHeaders headers) {
        List<String> names = new ArrayList<>();
        headers.forEach((name, value) -> names.add(name));
        return names;
    }

    private static List<String> fields(HttpHeaders headers) {
        List<String> fields = new ArrayList<>();
        headers.forEach((name, value) -> fields.add(name + ": " + value));
        return fields;
    }
}
