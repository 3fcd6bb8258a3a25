package io.eddy.http.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header values and request targets a thread decoded lately, so that text a client sends again
 * and again (a browser repeats its {@code Accept}, {@code User-Agent}, {@code Cookie} and the same
 * paths on every request of a connection, and so do its other connections) becomes one
 * {@code String} that every request shares, instead of a new one each time. Strings are immutable,
 * so sharing one between requests, connections and threads changes nothing a handler can see.
 *
 * <p>A fixed table of {@value #SLOTS} slots in pairs, each holding one text and its bytes, the pair
 * picked by a hash of a few of its bytes; text is admitted the second time its hash misses, so
 * one-off text (a random token) costs a hash and nothing more, and the slots hold what repeats. Text longer than
 * {@value #MAX_LENGTH} bytes is never kept. A hit is checked byte for byte, so a collision costs a
 * miss and never a wrong value; text found here was checked by the decoder when it was admitted.
 *
 * <p>Threading: one table per thread ({@link #ofThread}), so nothing is shared and nothing locked;
 * a loop's connections all read through their loop's table.
 */
public final class RecentValues {

    /** Slots, in pairs: text may sit in either slot of its pair, so two texts of one pair both stay. */
    private static final int SLOTS = 256;
    /** The pair is picked by the hash's top bits, the best mixed ones. */
    private static final int PAIR_SHIFT = Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS / 2);
    /** Hashes seen missing, by their low bits: a text is admitted the second time it misses. */
    private static final int SEEN = 1024;
    private static final int MAX_LENGTH = 256;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<RecentValues> OF_THREAD = ThreadLocal.withInitial(RecentValues::new);

    private final byte[][] bytes = new byte[SLOTS][];
    private final String[] texts = new String[SLOTS];
    /** Per pair, which of its two slots the next admitted text replaces. */
    private final boolean[] replaceSecond = new boolean[SLOTS / 2];
    private final int[] seen = new int[SEEN];

    private RecentValues() {
    }

    /** The calling thread's table. */
    public static RecentValues ofThread() {
        return OF_THREAD.get();
    }

    /**
     * The field value in {@code a[from, end)} without surrounding whitespace, as
     * {@link HttpChars#fieldValue} gives it (null when it holds a byte no field value may hold), the
     * same {@code String} as the last time these bytes came.
     */
    public String fieldValue(byte[] a, int from, int end) {
        while (from < end && (a[from] == ' ' || a[from] == '\t')) {
            from++;
        }
        while (end > from && (a[end - 1] == ' ' || a[end - 1] == '\t')) {
            end--;
        }
        if (from == end || end - from > MAX_LENGTH) {
            return HttpChars.fieldValue(a, from, end);
        }
        int hash = hash(a, from, end);
        String known = lookup(hash, a, from, end);
        if (known != null) {
            return known;
        }
        String value = HttpChars.fieldValue(a, from, end);
        if (value != null) {
            admit(hash, a, from, end, value);
        }
        return value;
    }

    /**
     * The text in {@code a[from, end)}, ISO-8859-1, which the caller checked already (a request
     * target), the same {@code String} as the last time these bytes came.
     */
    public String checkedText(byte[] a, int from, int end) {
        if (end - from > MAX_LENGTH) {
            return new String(a, from, end - from, StandardCharsets.ISO_8859_1);
        }
        int hash = hash(a, from, end);
        String known = lookup(hash, a, from, end);
        if (known != null) {
            return known;
        }
        String text = new String(a, from, end - from, StandardCharsets.ISO_8859_1);
        admit(hash, a, from, end, text);
        return text;
    }

    private String lookup(int hash, byte[] a, int from, int end) {
        int first = 2 * (hash >>> PAIR_SHIFT);
        for (int slot = first; slot < first + 2; slot++) {
            byte[] candidate = bytes[slot];
            if (candidate != null && Arrays.equals(candidate, 0, candidate.length, a, from, end)) {
                return texts[slot];
            }
        }
        return null;
    }

    private void admit(int hash, byte[] a, int from, int end, String text) {
        int seenAt = hash & (SEEN - 1);
        if (seen[seenAt] != hash) {
            seen[seenAt] = hash;
            return;
        }
        int pair = hash >>> PAIR_SHIFT;
        int slot = 2 * pair + (replaceSecond[pair] ? 1 : 0);
        replaceSecond[pair] = !replaceSecond[pair];
        bytes[slot] = Arrays.copyOfRange(a, from, end);
        texts[slot] = text;
    }

    /** The length and up to 24 bytes (the first, middle and last eight), mixed: cheap, and enough to pick a slot. */
    private static int hash(byte[] a, int from, int end) {
        int length = end - from;
        long h = length;
        if (length >= Long.BYTES) {
            h = h * 31 + (long) LONGS.get(a, from);
            h = h * 31 + (long) LONGS.get(a, from + (length - Long.BYTES) / 2);
            h = h * 31 + (long) LONGS.get(a, end - Long.BYTES);
        } else {
            for (int i = from; i < end; i++) {
                h = h * 31 + a[i];
            }
        }
        // Fibonacci hashing: the product's top bits depend on every bit of h.
        int mixed = (int) ((h * 0x9E3779B97F4A7C15L) >>> 32);
        return mixed == 0 ? 1 : mixed;   // never 0, the value of a hash never seen
    }
}
