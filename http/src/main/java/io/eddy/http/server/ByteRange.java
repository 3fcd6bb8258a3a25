package io.eddy.http.server;

/**
 * The one byte range a {@code Range} header asks of a representation (RFC 9110 §14.1.2), for
 * {@link StaticFiles}.
 *
 * <p>{@code bytes=0-499} is the first 500 bytes, {@code bytes=500-} everything from offset 500,
 * {@code bytes=-500} the last 500; a last offset past the end is cut to the end. The unit is
 * compared without regard to case. A header that asks for several ranges, names another unit or
 * breaks the grammar (a first offset after the last one included) is ignored, so the whole
 * representation is sent: RFC 9110 lets a server ignore {@code Range}, and one range is what
 * players, download managers and resumed transfers ask for.
 *
 * @param first the offset of the range's first byte
 * @param last  the offset of its last byte (inclusive)
 */
record ByteRange(long first, long last) {

    /** A well-formed range that lies wholly past the end (or asks for nothing): answered with 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** How many bytes the range holds. */
    long length() {
        return last - first + 1;
    }

    /**
     * The range {@code value} asks of a representation of {@code size} bytes: a range within it,
     * {@link #UNSATISFIABLE}, or null when the header is to be ignored.
     */
    static ByteRange parse(String value, long size) {
        int equals = value.indexOf('=');
        if (equals != 5 || !value.regionMatches(true, 0, "bytes", 0, 5)) {
            return null;
        }
        // range-set = 1#range-spec: commas with optional spaces around, empty elements skipped.
        ByteRange range = null;
        int at = equals + 1;
        int n = value.length();
        while (at <= n) {
            int comma = value.indexOf(',', at);
            if (comma < 0) {
                comma = n;
            }
            int from = at;
            int to = comma;
            while (from < to && isSpace(value.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(value.charAt(to - 1))) {
                to--;
            }
            if (from < to) {
                if (range != null) {
                    return null; // several ranges: the whole representation instead
                }
                range = spec(value, from, to, size);
                if (range == null) {
                    return null;
                }
            }
            at = comma + 1;
        }
        return range;
    }

    /** One range-spec in {@code value[from, to)}, or null if it is malformed. */
    private static ByteRange spec(String value, int from, int to, long size) {
        int dash = value.indexOf('-', from);
        if (dash < 0 || dash >= to) {
            return null;
        }
        if (dash == from) {
            long suffix = digits(value, dash + 1, to);
            if (suffix < 0) {
                return null;
            }
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Math.max(0, size - suffix), size - 1);
        }
        long first = digits(value, from, dash);
        if (first < 0) {
            return null;
        }
        long last;
        if (dash + 1 == to) {
            last = Long.MAX_VALUE;
        } else {
            last = digits(value, dash + 1, to);
            if (last < first) {
                return null; // malformed (or not digits): RFC 9110 calls such a spec invalid
            }
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(first, Math.min(last, size - 1));
    }

    /** The decimal number in {@code s[from, to)}, saturating at {@code Long.MAX_VALUE}; -1 if empty or not digits. */
    private static long digits(String s, int from, int to) {
        if (from == to) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            int digit = c - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
