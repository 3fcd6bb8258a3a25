package io.eddy.http.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Character classes of RFC 9110/9112 and RFC 3986, as lookup tables indexed by byte, and the
 * syntax of a host and port, of field values and of chunk extensions: what the server's request
 * decoder and the client's response decoder both read by.
 *
 * <p>Internal: this package is not exported, and may change in any release.
 *
 * <p>Threading: immutable.
 */
public final class HttpChars {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LINE_FEEDS = 0x0a0a0a0a0a0a0a0aL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] REG_NAME = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];

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
        // RFC 3986 §3.2.2 reg-name: unreserved and sub-delims ('%' starts a pct-encoded triplet, checked apart).
        for (int c = 0; c < 128; c++) {
            REG_NAME[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        for (char c : "-._~!$&'()*+,;=".toCharArray()) {
            REG_NAME[c] = true;
        }
        // Origin-form and absolute-form targets (RFC 3986 §3.3, §3.4): pchar, '/' and '?'; '%' must
        // start a pct-encoded triplet, checked apart. Browsers send {}|^`[] unencoded (a[]=1 in a
        // query, say), so they are taken too, as every widely used server takes them; never a
        // fragment ('#'), <>"\ (which browsers encode), SP, controls or obs-text.
        System.arraycopy(REG_NAME, 0, TARGET, 0, 256);
        for (char c : ":@/?{}|^`[]".toCharArray()) {
            TARGET[c] = true;
        }
    }

    private HttpChars() {
    }

    /** Whether {@code a} holds the ASCII text {@code ascii} from {@code from} on (the caller knows it is long enough). */
    public static boolean startsWith(byte[] a, int from, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (a[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b} may be part of a token (RFC 9110 §5.6.2): a method, a field name. */
    public static boolean isToken(byte b) {
        return TOKEN[b & 0xff];
    }

    /** Whether {@code b} may be part of a field value: VCHAR, obs-text, SP or HTAB. */
    public static boolean isFieldValue(byte b) {
        return FIELD_VALUE[b & 0xff];
    }

    /** Whether {@code b} may stand as itself in a request target (RFC 3986 pchar, "/" and "?", and what browsers leave unencoded). */
    public static boolean isTarget(byte b) {
        return TARGET[b & 0xff];
    }

    /** Whether {@code a[i]} starts a pct-encoded triplet ({@code %} and two hex digits) that ends before {@code end}. */
    public static boolean isPctEncoded(byte[] a, int i, int end) {
        return a[i] == '%' && i + 2 < end && hexValue(a[i + 1]) >= 0 && hexValue(a[i + 2]) >= 0;
    }

    /**
     * The length of the host in {@code s[from, to)} if that is {@code uri-host [ ":" port ]}
     * (RFC 9110 §7.2, RFC 3986 §3.2.2, §3.2.3), else -1. The host is an IP literal
     * ({@code [IPv6]} or {@code [vX.IPvFuture]}) or a reg-name (unreserved, sub-delims,
     * pct-encoded; IPv4 addresses are reg-names too), perhaps empty; the port is digits, perhaps none.
     */
    public static int hostLength(String s, int from, int to) {
        int i = from;
        if (i < to && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0 || close >= to || !isIpLiteral(s, i + 1, close)) {
                return -1;
            }
            i = close + 1;
        } else {
            while (i < to) {
                char c = s.charAt(i);
                if (c < 128 && REG_NAME[c]) {
                    i++;
                } else if (c == '%' && i + 2 < to && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                    i += 3;
                } else {
                    break;
                }
            }
        }
        int hostEnd = i;
        if (i < to && s.charAt(i) == ':') {
            i++;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
            }
        }
        return i == to ? hostEnd - from : -1;
    }

    /** Whether {@code s[from, to)} is what an IP-literal holds between its brackets: IPv6address or IPvFuture. */
    private static boolean isIpLiteral(String s, int from, int to) {
        if (from < to && (s.charAt(from) == 'v' || s.charAt(from) == 'V')) {
            // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            int i = from + 1;
            while (i < to && isHex(s.charAt(i))) {
                i++;
            }
            if (i == from + 1 || i == to || s.charAt(i) != '.' || i + 1 == to) {
                return false;
            }
            for (i++; i < to; i++) {
                char c = s.charAt(i);
                if (c != ':' && (c >= 128 || !REG_NAME[c])) {
                    return false;
                }
            }
            return true;
        }
        return isIpv6(s, from, to);
    }

    /**
     * Whether {@code s[from, to)} is an IPv6address (RFC 3986 §3.2.2): eight groups of one to four
     * hex digits (the last two perhaps an IPv4 address), or fewer with one {@code ::} standing for
     * at least one group of zeros.
     */
    static boolean isIpv6(String s, int from, int to) {
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (s.startsWith("::", i) && i + 2 <= to) {
            compressed = true;
            i += 2;
        }
        while (i < to) {
            int start = i;
            while (i < to && i - start < 5 && isHex(s.charAt(i))) {
                i++;
            }
            if (i < to && s.charAt(i) == '.') {
                // ls32 as an IPv4 address: the last thing, in place of two groups.
                return groups <= 6 && isIpv4(s, start, to) && (compressed ? groups + 2 <= 7 : groups + 2 == 8);
            }
            if (i == start || i - start > 4) {
                return false;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':' || ++i == to) {
                return false;
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /** Whether {@code s[from, to)} is an IPv4address: four dec-octets (0 to 255, no leading zero). */
    static boolean isIpv4(String s, int from, int to) {
        int i = from;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i == to || s.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
            int start = i;
            int value = 0;
            while (i < to && i - start < 3 && isDigit(s.charAt(i))) {
                value = value * 10 + s.charAt(i) - '0';
                i++;
            }
            if (i == start || value > 255 || (s.charAt(start) == '0' && i - start > 1)) {
                return false;
            }
        }
        return i == to;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return c < 128 && hexValue((byte) c) >= 0;
    }

    /**
     * {@code a[from, end)} as it can be shown in an error message: at most 80 characters, control
     * and non-ASCII bytes escaped, so a hostile peer's bytes cannot forge log lines.
     */
    public static String printable(byte[] a, int from, int end) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < Math.min(end, from + 80); i++) {
            int c = a[i] & 0xff;
            s.append(c < 0x20 || c >= 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c));
        }
        return end - from > 80 ? s + "..." : s.toString();
    }

    /**
     * The index of the first LF in {@code a[from, to)}, or -1. Eight bytes at a time: a head's
     * lines are found with a few word operations each instead of a comparison per byte.
     */
    public static int indexOfLineFeed(byte[] a, int from, int to) {
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

    /**
     * The field value in {@code a[from, end)} without surrounding whitespace, or null when it holds
     * a byte no field value may hold (see {@link #fieldValueProblem}).
     */
    public static String fieldValue(byte[] a, int from, int end) {
        while (from < end && (a[from] == ' ' || a[from] == '\t')) {
            from++;
        }
        while (end > from && (a[end - 1] == ' ' || a[end - 1] == '\t')) {
            end--;
        }
        for (int i = from; i < end; i++) {
            if (!isFieldValue(a[i])) {
                return null;
            }
        }
        return from == end ? "" : new String(a, from, end - from, StandardCharsets.ISO_8859_1);
    }

    /** What is wrong with the field value in {@code a[from, end)} that {@link #fieldValue} refused. */
    public static String fieldValueProblem(byte[] a, int from, int end) {
        for (int i = from; i < end; i++) {
            if (!isFieldValue(a[i])) {
                return a[i] == '\r' ? "bare CR in header field value" : "invalid character in header field value";
            }
        }
        return "invalid header field value";
    }

    /**
     * Null if {@code a[from, end)}, what follows a chunk size, is well-formed chunk extensions
     * (RFC 9112 §7.1.1), else what is wrong: {@code *( BWS ";" BWS name [ BWS "=" BWS value ] )},
     * a name a token, a value a token or a quoted-string. Whitespace is only allowed around
     * {@code ;} and {@code =}, not at the end. Extensions are allowed and ignored.
     */
    public static String chunkExtensionProblem(byte[] a, int from, int end) {
        int i = from;
        while (i < end) {
            i = skipWhitespace(a, i, end);
            if (i == end || a[i] != ';') {
                return i == end ? "whitespace at the end of a chunk size line"
                        : i == from ? "invalid character after chunk size" : "invalid character in chunk extension";
            }
            i = skipWhitespace(a, i + 1, end);
            int name = i;
            while (i < end && isToken(a[i])) {
                i++;
            }
            if (i == name) {
                return "chunk extension without a name";
            }
            int afterName = i;
            i = skipWhitespace(a, i, end);
            if (i == end || a[i] != '=') {
                i = afterName; // no value: the whitespace must lead to the next ';'
                continue;
            }
            i = skipWhitespace(a, i + 1, end);
            int value = i;
            if (i < end && a[i] == '"') {
                i = quotedStringEnd(a, i, end);
                if (i < 0) {
                    return i == -1 ? "invalid character in chunk extension" : "unterminated quoted string in chunk extension";
                }
            } else {
                while (i < end && isToken(a[i])) {
                    i++;
                }
                if (i == value) {
                    return "chunk extension without a value after '='";
                }
            }
        }
        return null;
    }

    private static int skipWhitespace(byte[] a, int i, int end) {
        while (i < end && (a[i] == ' ' || a[i] == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * The index after the quoted-string starting at {@code a[from]}: qdtext (field-value bytes but
     * DQUOTE and backslash) and quoted-pairs (a backslash and a field-value byte), closed by DQUOTE.
     * -1 for an invalid character, -2 if it is not closed.
     */
    private static int quotedStringEnd(byte[] a, int from, int end) {
        for (int i = from + 1; i < end; i++) {
            if (a[i] == '"') {
                return i + 1;
            }
            if (a[i] == '\\') {
                i++;
                if (i == end) {
                    break;
                }
            }
            if (!isFieldValue(a[i])) {
                return -1;
            }
        }
        return -2;
    }

    /** The value of hex digit {@code b}, or -1 if it is not one. */
    public static int hexValue(byte b) {
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
