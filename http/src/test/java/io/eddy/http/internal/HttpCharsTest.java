package io.eddy.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time line feed search agrees with a byte-by-byte one everywhere. */
class HttpCharsTest {

    private static int naive(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstLineFeedInEveryRangeOfRandomBytes() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            byte[] a = new byte[random.nextInt(40) + 1];
            random.nextBytes(a);
            // Bytes next to LF in value (0x09, 0x0b, 0x8a), and some LFs.
            for (int i = 0; i < a.length; i++) {
                int pick = random.nextInt(10);
                a[i] = pick == 0 ? (byte) '\n' : pick == 1 ? 0x0b : pick == 2 ? (byte) 0x8a : pick == 3 ? 0x09 : a[i];
            }
            for (int from = 0; from <= a.length; from++) {
                for (int to = from; to <= a.length; to++) {
                    assertEquals(naive(a, from, to), HttpChars.indexOfLineFeed(a, from, to), "from " + from + " to " + to);
                }
            }
        }
    }
}
