package io.eddy.http.server;

import io.eddy.http.internal.HttpChars;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding of path segments and query strings (UTF-8), without {@code URLDecoder}'s
 * exceptions: a {@code %} not followed by two hex digits is kept as it is.
 *
 * <p>Threading: stateless.
 */
final class PercentCoding {

    private PercentCoding() {
    }

    /** Decodes {@code %XX} escapes; {@code +} becomes a space only if {@code plusIsSpace}. */
    static String decode(String s, boolean plusIsSpace) {
        int first = firstEscape(s, plusIsSpace);
        if (first < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (b == '%' && i + 2 < utf8.length && HttpChars.hexValue(utf8[i + 1]) >= 0 && HttpChars.hexValue(utf8[i + 2]) >= 0) {
                out.write(HttpChars.hexValue(utf8[i + 1]) << 4 | HttpChars.hexValue(utf8[i + 2]));
                i += 2;
            } else if (b == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int firstEscape(String s, boolean plusIsSpace) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || (plusIsSpace && c == '+')) {
                return i;
            }
        }
        return -1;
    }

    /** Query parameters, decoded, in order of first appearance; a name without {@code =} has value "". */
    static Map<String, List<String>> parseQuery(String query) {
        if (query == null || query.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        int i = 0;
        while (i <= query.length()) {
            int amp = query.indexOf('&', i);
            if (amp < 0) {
                amp = query.length();
            }
            if (amp > i) {
                int eq = query.indexOf('=', i);
                String name;
                String value;
                if (eq < 0 || eq > amp) {
                    name = decode(query.substring(i, amp), true);
                    value = "";
                } else {
                    name = decode(query.substring(i, eq), true);
                    value = decode(query.substring(eq + 1, amp), true);
                }
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            i = amp + 1;
        }
        params.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(params);
    }
}
