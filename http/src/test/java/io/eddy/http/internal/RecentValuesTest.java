package io.eddy.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RecentValues: text that comes again is the same String, checked as the decoder checks it. */
class RecentValuesTest {

    private final RecentValues recent = RecentValues.ofThread();

    @Test
    void aValueThatComesAgainIsTheSameStringFromItsThirdTimeOn() {
        byte[] a = bytes("x: \tgzip;q=0.3, only-here-7 ");
        String first = recent.fieldValue(a, 2, a.length);
        String second = recent.fieldValue(a, 2, a.length);
        String third = recent.fieldValue(a, 2, a.length);
        assertEquals("gzip;q=0.3, only-here-7", first);
        assertEquals(first, second);
        assertNotSame(first, second);   // admitted on its second coming
        assertSame(second, third);
        assertSame(third, recent.fieldValue(bytes("gzip;q=0.3, only-here-7"), 0, 23));
    }

    @Test
    void aValueWithAForbiddenByteIsRefusedEveryTime() {
        byte[] a = bytes("bad\u0001value");
        for (int i = 0; i < 3; i++) {
            assertNull(recent.fieldValue(a, 0, a.length));
        }
        assertEquals("", recent.fieldValue(bytes("   "), 0, 3));
    }

    @Test
    void textsSharingASlotAreNeverMixedUp() {
        // Same length, same first, middle and last eight bytes: the same hash, so the same slot.
        byte[] one = bytes("/aaaaaaaaaaaaaaa1bbbbbbbbbbbbbbbbb/zzzzzzzz");
        byte[] two = bytes("/aaaaaaaaaaaaaaa2bbbbbbbbbbbbbbbbb/zzzzzzzz");
        for (int i = 0; i < 3; i++) {
            assertEquals(new String(one, StandardCharsets.ISO_8859_1), recent.checkedText(one, 0, one.length));
            assertEquals(new String(two, StandardCharsets.ISO_8859_1), recent.checkedText(two, 0, two.length));
        }
    }

    @Test
    void longTextIsNeverKept() {
        byte[] a = bytes("v".repeat(300));
        recent.fieldValue(a, 0, a.length);
        recent.fieldValue(a, 0, a.length);
        assertNotSame(recent.fieldValue(a, 0, a.length), recent.fieldValue(a, 0, a.length));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
