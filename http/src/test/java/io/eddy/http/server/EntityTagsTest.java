package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The weak comparison of If-None-Match and the strong one of If-Range. */
class EntityTagsTest {

    private static final String TAG = "\"3e8-1a2b\"";

    static Stream<Arguments> noneMatch() {
        return Stream.of(
                Arguments.of(List.of(TAG), true),
                Arguments.of(List.of("W/" + TAG), true),
                Arguments.of(List.of("*"), true),
                Arguments.of(List.of(" * "), true),
                Arguments.of(List.of("\"other\", " + TAG), true),
                Arguments.of(List.of("\"a,b\",W/" + TAG), true),
                Arguments.of(List.of("\"other\"", TAG), true),
                Arguments.of(List.of(", ," + TAG + " ,"), true),
                Arguments.of(List.of("\"other\""), false),
                Arguments.of(List.of("\"3e8-1a2\""), false),
                Arguments.of(List.of("3e8-1a2b"), false),
                Arguments.of(List.of("w/" + TAG), false),
                Arguments.of(List.of("\"other\" junk, " + TAG), false),
                Arguments.of(List.of("\"unterminated, " + TAG), false),
                Arguments.of(List.of("\"a\" \"b\""), false),
                Arguments.of(List.of(""), false),
                Arguments.of(List.of(), false));
    }

    @ParameterizedTest
    @MethodSource("noneMatch")
    void matchesIfNoneMatchWeakly(List<String> values, boolean matches) {
        assertEquals(matches, EntityTags.noneMatchHits(values, TAG), values.toString());
    }

    static Stream<Arguments> ifRange() {
        return Stream.of(
                Arguments.of(TAG, true),
                Arguments.of(" " + TAG + " ", true),
                Arguments.of("W/" + TAG, false),
                Arguments.of("\"other\"", false),
                Arguments.of(TAG + ", \"other\"", false),
                Arguments.of("*", false),
                Arguments.of("\"3e8-1a2b", false));
    }

    @ParameterizedTest
    @MethodSource("ifRange")
    void matchesIfRangeStrongly(String value, boolean matches) {
        assertEquals(matches, EntityTags.strongMatch(value, TAG), value);
    }
}
