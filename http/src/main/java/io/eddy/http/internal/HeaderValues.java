package io.eddy.http.internal;

/**
 * Reading comma-separated header values ({@code Connection: keep-alive, Upgrade}) without
 * splitting them into new strings.
 *
 * <p>Threading: stateless.
 */
public final class HeaderValues {

    private HeaderValues() {
    }

    /** Whether {@code value}'s comma-separated elements include {@code token}, ignoring case. */
    public static boolean hasToken(String value, String token) {
        int n = value.length();
        int i = 0;
        while (i < n) {
            int start = skipSpaces(value, i);
            int end = value.indexOf(',', start);
            if (end < 0) {
                end = n;
            }
            int last = end;
            while (last > start && isSpace(value.charAt(last - 1))) {
                last--;
            }
            if (last - start == token.length() && value.regionMatches(true, start, token, 0, token.length())) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
