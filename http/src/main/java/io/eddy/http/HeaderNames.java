package io.eddy.http;

import java.nio.charset.StandardCharsets;

/**
 * Common header names, and the decoder's lookup that turns received name bytes into these very
 * strings, so the common fields of a request allocate no name and compare by identity.
 *
 * <p>Threading: immutable.
 */
public final class HeaderNames {

    public static final String ACCEPT = "Accept";
    public static final String ACCEPT_ENCODING = "Accept-Encoding";
    public static final String ACCEPT_LANGUAGE = "Accept-Language";
    public static final String ACCEPT_RANGES = "Accept-Ranges";
    public static final String ALLOW = "Allow";
    public static final String CACHE_CONTROL = "Cache-Control";
    public static final String CONNECTION = "Connection";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String CONTENT_RANGE = "Content-Range";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String COOKIE = "Cookie";
    public static final String DATE = "Date";
    public static final String ETAG = "ETag";
    public static final String EXPECT = "Expect";
    public static final String HOST = "Host";
    public static final String IF_MODIFIED_SINCE = "If-Modified-Since";
    public static final String IF_NONE_MATCH = "If-None-Match";
    public static final String IF_RANGE = "If-Range";
    public static final String LAST_MODIFIED = "Last-Modified";
    public static final String LOCATION = "Location";
    public static final String ORIGIN = "Origin";
    public static final String RANGE = "Range";
    public static final String REFERER = "Referer";
    public static final String SERVER = "Server";
    public static final String TRANSFER_ENCODING = "Transfer-Encoding";
    public static final String UPGRADE = "Upgrade";
    public static final String USER_AGENT = "User-Agent";

    private static final String[] KNOWN = {
        ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, CACHE_CONTROL, CONNECTION, CONTENT_LENGTH, CONTENT_TYPE,
        COOKIE, EXPECT, HOST, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, ORIGIN, RANGE, REFERER,
        TRANSFER_ENCODING, UPGRADE, USER_AGENT,
        "Pragma", "Priority", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User",
        "Upgrade-Insecure-Requests", "DNT", "Authorization", "Keep-Alive", "Content-Encoding",
        "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "X-Forwarded-For",
    };
    /** Known names by length, as lower-case bytes for comparing. */
    private static final String[][] BY_LENGTH = new String[32][];
    private static final byte[][][] LOWER_BY_LENGTH = new byte[32][][];

    static {
        for (String name : KNOWN) {
            int n = name.length();
            String[] names = BY_LENGTH[n] == null ? new String[0] : BY_LENGTH[n];
            byte[][] lower = LOWER_BY_LENGTH[n] == null ? new byte[0][] : LOWER_BY_LENGTH[n];
            names = java.util.Arrays.copyOf(names, names.length + 1);
            lower = java.util.Arrays.copyOf(lower, lower.length + 1);
            names[names.length - 1] = name;
            lower[lower.length - 1] = name.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            BY_LENGTH[n] = names;
            LOWER_BY_LENGTH[n] = lower;
        }
    }

    private HeaderNames() {
    }

    /** The name in {@code a[from, from + length)} (token bytes, checked), a known constant when it is one. */
    static String intern(byte[] a, int from, int length) {
        if (length < BY_LENGTH.length && LOWER_BY_LENGTH[length] != null) {
            byte[][] candidates = LOWER_BY_LENGTH[length];
            for (int c = 0; c < candidates.length; c++) {
                if (equalsLowerCase(a, from, candidates[c])) {
                    return BY_LENGTH[length][c];
                }
            }
        }
        return new String(a, from, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean equalsLowerCase(byte[] a, int from, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            // Token bytes only: setting 0x20 lower-cases letters and leaves '-' and digits alone.
            if ((a[from + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }
}
