package io.eddy.http.internal;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A message body as text: decoded by the {@code charset} parameter of its {@code Content-Type},
 * or UTF-8 when it names none, or one this JVM does not know. Used by the server's request and the
 * client's response alike.
 *
 * <p>Threading: stateless. Internal: this package is not exported, and may change in any release.
 */
public final class BodyText {

    private BodyText() {
    }

    /** {@code body} decoded as {@code contentType} (may be null) says. */
    public static String decode(byte[] body, String contentType) {
        return new String(body, charset(contentType));
    }

    /** The charset a {@code charset} parameter of {@code contentType} names, else UTF-8. */
    static Charset charset(String contentType) {
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        // Parameter by parameter: "charset=" inside another parameter's value names nothing.
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
