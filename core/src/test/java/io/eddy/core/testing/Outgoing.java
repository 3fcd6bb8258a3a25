package io.eddy.core.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Codec;
import io.eddy.core.codec.FileRegion;
import io.eddy.core.codec.LineCodec;

/**
 * What the file-region tests write: text as it is (no newline added), then a file region if there
 * is one, and then, for an encoder that fails half way, a refusal. Lines are read back.
 *
 * @param text   written first, may be null
 * @param region transferred after the text, may be null
 * @param fail   whether the encoder then throws, after queuing both
 */
public record Outgoing(String text, FileRegion region, boolean fail) {

    public static Outgoing text(String text) {
        return new Outgoing(text, null, false);
    }

    public static Outgoing file(FileRegion region) {
        return new Outgoing(null, region, false);
    }

    /** Text, then a region: headers and body. */
    public static Outgoing textThenFile(String text, FileRegion region) {
        return new Outgoing(text, region, false);
    }

    /** Lines in, {@code Outgoing} out. */
    public static Codec<String, Outgoing> codec() {
        return Codec.of(new LineCodec(), Outgoing::encode);
    }

    private static void encode(Outgoing message, ByteSink out) {
        if (message.text != null) {
            out.write(message.text.getBytes(UTF_8));
        }
        if (message.region != null) {
            out.transfer(message.region);
        }
        if (message.fail) {
            throw new IllegalArgumentException("refused after queuing " + message);
        }
    }
}
