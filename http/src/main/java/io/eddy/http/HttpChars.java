package io.eddy.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Character classes of RFC 9110/9112, as lookup tables indexed by byte.
 *
 * <p>Threading: immutable.
 */
final class HttpChars {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LINE_FEEDS = 0x0a0a0a0a0a0a0a0aL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        // field-value: VCHAR, obs-text, SP and HTAB; no other controls, no DEL.
        for (int c = 0x20; c < 0x7f; c++) {
            FIELD_VALUE[c] = true;
        }
        for (int c = 0x80; c <= 0xff; c++) {
            FIELD_VALUE[c] = true;
        }
        FIELD_VALUE['\t'] = true;
        // request-target: visible ASCII only (no SP, no controls, no obs-text).
        for (int c = 0x21; c < 0x7f; c++) {
            TARGET[c] = true;
        }
        // Host (RFC 9110 §7.2, RFC 3986 §3.2.2): reg-name, IP literal or IPv4, then ":" port.
        for (int c = 0; c < 256; c++) {
            HOST[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    private HttpChars() {
    }

    static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    static boolean isFieldValue(byte b) {
        return FIELD_VALUE[b & 0xff];
    }

    static boolean isTarget(byte b) {
        return TARGET[b & 0xff];
    }

    static boolean isHost(byte b) {
        return HOST[b & 0xff];
    }

    /**
     * The index of the first LF in {@code a[from, to)}, or -1. Eight bytes at a time: a head's
     * lines are found with a few word operations each instead of a comparison per byte.
     */
    static int indexOfLineFeed(byte[] a, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(a, i) ^ LINE_FEEDS;
            // The classic "has a zero byte" test: the lowest flagged byte is the first LF.
            long zeros = (word - ONES) & ~word & HIGH_BITS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
