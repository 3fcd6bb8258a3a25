package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One {@code Range: bytes=...} of a 1,000-byte file. */
class ByteRangeTest {

    private static final long SIZE = 1000;

    static Stream<Arguments> satisfiable() {
        return Stream.of(
                Arguments.of("bytes=0-9", 0, 9),
                Arguments.of("bytes=0-0", 0, 0),
                Arguments.of("bytes=990-", 990, 999),
                Arguments.of("bytes=0-", 0, 999),
                Arguments.of("bytes=-10", 990, 999),
                Arguments.of("bytes=-5000", 0, 999),
                Arguments.of("bytes=500-99999", 500, 999),
                Arguments.of("bytes=999-999", 999, 999),
                Arguments.of("bytes=5-99999999999999999999999", 5, 999),
                Arguments.of("BYTES=1-2", 1, 2),
                Arguments.of("bytes= 1-2 ", 1, 2),
                Arguments.of("bytes=1-2,", 1, 2),
                Arguments.of("bytes=, 1-2", 1, 2));
    }

    @ParameterizedTest
    @MethodSource("satisfiable")
    void readsOneRangeCutToTheEnd(String header, long first, long last) {
        assertEquals(new ByteRange(first, last), ByteRange.parse(header, SIZE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=99999999999999999999-"})
    void findsRangesPastTheEndUnsatisfiable(String header) {
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse(header, SIZE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-", "bytes=-1"})
    void findsEveryRangeOfAnEmptyFileUnsatisfiable(String header) {
        assertSame(ByteRange.UNSATISFIABLE, ByteRange.parse(header, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "bytes=0-1,5-6", "bytes=0-1, -5", "bytes=0-1,2000-",
        "items=0-5", "bytes 0-5", "byte=0-5", "bytes=", "bytes=,", "bytes=-", "bytes=5", "bytes=a-b",
        "bytes=5-1", "bytes=1-2-3", "bytes=-5-", "bytes=+1-2", "bytes=1 - 2", "bytes=0x10-", "=0-1", "",
    })
    void ignoresSeveralRangesOtherUnitsAndMalformedHeaders(String header) {
        assertNull(ByteRange.parse(header, SIZE), header);
    }
}
