package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Taking a request path apart into names that only lead downwards. */
class PathSegmentsTest {

    static Stream<Arguments> acceptedPaths() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of("a.txt", List.of("a.txt")),
                Arguments.of("css/site.css", List.of("css", "site.css")),
                Arguments.of("docs/", List.of("docs")),
                Arguments.of("a%20b.txt", List.of("a b.txt")),
                Arguments.of("100%25.txt", List.of("100%.txt")),
                Arguments.of("caf%C3%A9.html", List.of("caf\u00e9.html")),
                Arguments.of("a..b", List.of("a..b")),
                Arguments.of("x.", List.of("x.")),
                Arguments.of("%2Bplus+", List.of("+plus+")));
    }

    @ParameterizedTest
    @MethodSource("acceptedPaths")
    void decodesNamesBelowTheRoot(String raw, List<String> names) {
        assertEquals(names, PathSegments.decode(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "..", "../etc/passwd", "a/../../b", ".", "./a", "a/./b",
        "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%2e", "a/%2e%2e/%2e%2e/b",
        "%2e%2e%2fetc%2fpasswd", "..%2Fa", "a%2Fb", "a%2fb", "%2Fetc%2Fpasswd",
        "..%5Ca", "a%5cb", "..\\a", "a\\b",
        "%00", "a%00.txt", "a%0d%0a", "a%7f", "a%09b",
        "/etc/passwd", "a//b", "//", "/",
        "C:%5Cwindows", "c:", "a.txt::$DATA",
        "%C0%AE%C0%AE/a", "%c0%af", "%ff", "%e2%82", "%ED%A0%80",
        "%", "%2", "%zz", "a%g0", "a%0",
        ".hidden", ".git/config", "%2egit/config", "a/.env",
        "a b", "a\u00e9",
    })
    void refusesEverythingElse(String raw) {
        assertNull(PathSegments.decode(raw), raw);
    }
}
