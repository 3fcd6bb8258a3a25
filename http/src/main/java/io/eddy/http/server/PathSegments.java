package io.eddy.http.server;

import io.eddy.http.internal.HttpChars;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes a percent-encoded request path apart into file names that can only lead downwards, for
 * {@link StaticFiles}: what it returns, resolved one name at a time below a directory, stays below
 * that directory (symbolic links aside, which {@link StaticFiles} checks on the real path).
 *
 * <p>It is strict rather than clever. A path is refused as a whole (null) when any segment is
 * empty ({@code //}, a leading {@code /}) other than after a final slash; when an escape is not
 * {@code %} and two hex digits; when the decoded bytes are not well-formed UTF-8 (so overlong
 * forms such as {@code %C0%AE} for a dot are refused, not decoded); when a name holds a control
 * character (NUL included), a slash, a backslash or a colon, whether written plainly or escaped
 * ({@code %2F}, {@code %5C}, {@code %00}); and when a name starts with a dot, which covers
 * {@code .} and {@code ..} in every spelling ({@code %2e%2e}, {@code .%2E}) as well as hidden files
 * ({@code .git}, {@code .env}). The colon goes because on Windows it names a drive or a stream.
 *
 * <p>Threading: stateless.
 */
final class PathSegments {

    private PathSegments() {
    }

    /**
     * The decoded names of {@code raw} ({@code css/site.css} gives {@code [css, site.css]}; a final
     * slash adds nothing; the empty path gives none), or null if it is refused.
     */
    static List<String> decode(String raw) {
        List<String> names = new ArrayList<>();
        int start = 0;
        int n = raw.length();
        while (start < n) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = n;
            }
            String name = decodeName(raw, start, end);
            if (name == null) {
                return null;
            }
            names.add(name);
            start = end + 1; // a final '/' ends the loop here, adding no empty name
        }
        return names;
    }

    /** The name in {@code raw[from, to)}, decoded, or null if it is empty or refused. */
    private static String decodeName(String raw, int from, int to) {
        if (from == to) {
            return null;
        }
        byte[] bytes = new byte[to - from];
        int length = 0;
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < to ? HttpChars.hexValue(ascii(raw.charAt(i + 1))) : -1;
                int low = i + 2 < to ? HttpChars.hexValue(ascii(raw.charAt(i + 2))) : -1;
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes[length++] = (byte) (high << 4 | low);
                escaped = true;
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                bytes[length++] = (byte) c;
            } else {
                return null; // the decoder lets no such byte into a target; refuse it all the same
            }
        }
        String name = escaped ? utf8(bytes, length) : raw.substring(from, to);
        if (name == null || name.charAt(0) == '.') {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == ':') {
                return null;
            }
        }
        return name;
    }

    /** A char that is not ASCII as a byte that is no hex digit. */
    private static byte ascii(char c) {
        return c < 0x80 ? (byte) c : 0;
    }

    /** {@code bytes[0, length)} as UTF-8, or null if they are not well-formed. */
    private static String utf8(byte[] bytes, int length) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, length));
            return chars.toString();
        } catch (CharacterCodingException malformed) {
            return null;
        }
    }
}
