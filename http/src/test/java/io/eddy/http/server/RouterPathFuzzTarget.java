package io.eddy.http.server;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.testing.FuzzInput;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Coverage-guided fuzzing of what the router and the static files do with a request's path: the
 * router's pattern matching ({@link Router.Pattern}), percent-decoding ({@link PercentCoding}) and
 * the strict path decoding of {@link PathSegments}. The fuzzer chooses a pattern (up to four
 * segments, each a literal, an encoded literal, an empty one or a parameter, perhaps ending in a
 * wildcard) and the path. The oracles:
 *
 * <ul>
 *   <li>a pattern matches exactly when a naive reading of the documented rules says so (split at
 *       every {@code /}; literals equal as received; parameters non-empty and percent-decoded; a
 *       wildcard takes the rest as received), with the same parameters;</li>
 *   <li>percent-decoding agrees with {@link URLDecoder} (once every {@code %} that starts no
 *       escape is itself escaped, which is what {@link PercentCoding} keeps as it is);</li>
 *   <li>a path {@link PathSegments} accepts gives names that can only lead downwards (none empty,
 *       none starting with a dot, none holding a slash, backslash, colon or control character),
 *       that are what percent-decoding makes of each segment, and that, percent-encoded again,
 *       decode to the same names.</li>
 * </ul>
 */
class RouterPathFuzzTarget {

    private static final String[] LITERALS = {"a", "b%2Fc", "", "%41"};

    @FuzzTest
    void matchesAndDecodesPathsAsTheRulesSay(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        String path = new String(input.stream(), StandardCharsets.UTF_8);
        String pattern = pattern(input);
        String where = "pattern " + pattern + ", path " + path;

        Map<String, String> matched = Router.Pattern.parse(pattern).match(path);
        Map<String, String> expected = naiveMatch(pattern, path);
        if (!Objects.equals(matched, expected)) {
            throw new AssertionError(where + ": matched " + matched + ", the rules say " + expected);
        }

        for (boolean plusIsSpace : new boolean[] {false, true}) {
            String decoded = PercentCoding.decode(path, plusIsSpace);
            String reference = URLDecoder.decode(escapeStrayPercents(plusIsSpace ? path : path.replace("+", "%2B")),
                    StandardCharsets.UTF_8);
            if (!decoded.equals(reference)) {
                throw new AssertionError(where + ": percent-decoded (plus is space: " + plusIsSpace + ") to " + decoded
                        + ", not " + reference);
            }
        }

        String raw = path.startsWith("/") ? path.substring(1) : path;
        List<String> names = PathSegments.decode(raw);
        if (names != null) {
            String[] segments = raw.split("/", -1);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (name.isEmpty() || name.charAt(0) == '.' || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '/'
                        || c == '\\' || c == ':')) {
                    throw new AssertionError(where + ": accepted the name " + name);
                }
                if (!name.equals(PercentCoding.decode(segments[i], false))) {
                    throw new AssertionError(where + ": the name " + name + " is not what percent-decoding makes of "
                            + segments[i]);
                }
            }
            StringBuilder encoded = new StringBuilder();
            for (String name : names) {
                encoded.append(encoded.length() == 0 ? "" : "/").append(encode(name));
            }
            if (!names.equals(PathSegments.decode(encoded.toString()))) {
                throw new AssertionError(where + ": the names " + names + ", encoded as " + encoded + ", decode to "
                        + PathSegments.decode(encoded.toString()));
            }
        }
    }

    /** A pattern from the settings word: bits 0-1 the segment count, two bits a segment's kind, bit 10 a wildcard. */
    private static String pattern(FuzzInput input) {
        StringBuilder pattern = new StringBuilder();
        int segments = input.bits(0, 2) + (input.flag(10) ? 0 : 1);
        for (int i = 0; i < segments; i++) {
            int kind = input.bits(2 + 2 * i, 2);
            pattern.append('/').append(kind == 3 && input.flag(11 + i) ? "{p" + i + "}" : LITERALS[kind]);
        }
        if (input.flag(10)) {
            pattern.append("/{rest...}");
        }
        return pattern.toString();
    }

    /** The documented rules, read as plainly as possible. */
    private static Map<String, String> naiveMatch(String pattern, String path) {
        boolean wildcard = pattern.endsWith("/{rest...}");
        String fixed = wildcard ? pattern.substring(0, pattern.length() - "/{rest...}".length()) : pattern;
        if (!wildcard && !fixed.contains("{")) {
            return fixed.equals(path) ? Map.of() : null;
        }
        if (!path.startsWith("/")) {
            return null;
        }
        List<String> want = fixed.isEmpty() ? List.of() : Arrays.asList(fixed.substring(1).split("/", -1));
        String[] have = path.substring(1).split("/", -1);
        if (have.length < want.size() || (!wildcard && have.length != want.size())) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i);
            if (w.startsWith("{")) {
                if (have[i].isEmpty()) {
                    return null;
                }
                params.put(w.substring(1, w.length() - 1), PercentCoding.decode(have[i], false));
            } else if (!w.equals(have[i])) {
                return null;
            }
        }
        if (wildcard) {
            params.put("rest", String.join("/", Arrays.copyOfRange(have, want.size(), have.length)));
        }
        return params;
    }

    /** {@code s} with every {@code %} that starts no escape ({@code %} and two hex digits) written as {@code %25}. */
    private static String escapeStrayPercents(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escape = c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) && hex(s.charAt(i + 2));
            out.append(c == '%' && !escape ? "%25" : String.valueOf(c));
        }
        return out.toString();
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Every byte of {@code name}'s UTF-8 escaped, but the unreserved characters of RFC 3986. */
    private static String encode(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.write(c);
            } else {
                out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
