package io.eddy.http.codec;

import io.eddy.http.HeaderNames;
import java.nio.charset.StandardCharsets;

/**
 * The request decoder's lookup from received name bytes to the {@link HeaderNames} constants (and
 * a few other common names), so the common fields of a request allocate no name and compare by
 * identity.
 *
 * <p>Threading: immutable once initialized.
 */
final class KnownHeaderNames {

    private static final String AUTHORIZATION = "Authorization";
    private static final String PROXY_AUTHORIZATION = "Proxy-Authorization";
    private static final String[] KNOWN = {
        HeaderNames.ACCEPT, HeaderNames.ACCEPT_ENCODING, HeaderNames.ACCEPT_LANGUAGE, HeaderNames.CACHE_CONTROL,
        HeaderNames.CONNECTION, HeaderNames.CONTENT_LENGTH, HeaderNames.CONTENT_TYPE, HeaderNames.COOKIE,
        HeaderNames.EXPECT, HeaderNames.HOST, HeaderNames.IF_MODIFIED_SINCE, HeaderNames.IF_NONE_MATCH,
        HeaderNames.IF_RANGE, HeaderNames.ORIGIN, HeaderNames.RANGE, HeaderNames.REFERER,
        HeaderNames.TRANSFER_ENCODING, HeaderNames.UPGRADE, HeaderNames.USER_AGENT,
        "Pragma", "Priority", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-User",
        "Upgrade-Insecure-Requests", "DNT", AUTHORIZATION, "Keep-Alive", "Content-Encoding",
        "Sec-Ch-Ua", "Sec-Ch-Ua-Mobile", "Sec-Ch-Ua-Platform", "X-Forwarded-For", PROXY_AUTHORIZATION,
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


    /**
     * Whether {@code name}, as {@link #intern} gave it, holds a credential ({@code Authorization},
     * {@code Proxy-Authorization}, {@code Cookie}): its values are never kept in a thread's table
     * of recent values, so one client's secret is never held for, or compared with, another's.
     */
    static boolean isCredential(String name) {
        return name == AUTHORIZATION || name == PROXY_AUTHORIZATION || name == HeaderNames.COOKIE;
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

    private KnownHeaderNames() {
    }
}
