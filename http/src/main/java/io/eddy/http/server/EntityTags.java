package io.eddy.http.server;

import java.util.List;

/**
 * Comparing entity tags ({@code "abc"}, weak {@code W/"abc"}) as RFC 9110 §8.8.3 does, for
 * {@link StaticFiles}' conditional requests.
 *
 * <p>A tag's opaque part may hold commas, so a list is read tag by tag, not split on commas. A
 * list that breaks the grammar matches nothing from the point where it breaks: the client then
 * gets the full response, which is always a correct answer.
 *
 * <p>Threading: stateless.
 */
final class EntityTags {

    private EntityTags() {
    }

    /**
     * Whether {@code If-None-Match} fields {@code values} match {@code etag} (a strong tag, with
     * its quotes): {@code *}, or a listed tag equal to it in the weak comparison, which ignores
     * {@code W/}.
     */
    static boolean noneMatchHits(List<String> values, String etag) {
        for (String value : values) {
            if (value.strip().equals("*") || listsWeakly(value, etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code value} is exactly one strong tag equal to {@code etag}: the strong comparison
     * {@code If-Range} requires, so a weak tag never matches.
     */
    static boolean strongMatch(String value, String etag) {
        String tag = value.strip();
        return tag.startsWith("\"") && tagEnd(tag, 0) == tag.length() && tag.equals(etag);
    }

    private static boolean listsWeakly(String value, String etag) {
        int n = value.length();
        int at = 0;
        while (true) {
            while (at < n && (value.charAt(at) == ',' || isSpace(value.charAt(at)))) {
                at++;
            }
            if (at == n) {
                return false;
            }
            int opaque = value.startsWith("W/", at) ? at + 2 : at;
            int end = tagEnd(value, opaque);
            if (end < 0) {
                return false;
            }
            if (end - opaque == etag.length() && value.startsWith(etag, opaque)) {
                return true;
            }
            at = end;
            while (at < n && isSpace(value.charAt(at))) {
                at++;
            }
            if (at < n && value.charAt(at) != ',') {
                return false;
            }
        }
    }

    /** The index just past the quoted opaque tag starting at {@code from}, or -1 if there is none. */
    private static int tagEnd(String s, int from) {
        if (from >= s.length() || s.charAt(from) != '"') {
            return -1;
        }
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            // etagc = %x21 / %x23-7E / obs-text
            if (c < 0x21 || c == 0x7f || c > 0xff) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
