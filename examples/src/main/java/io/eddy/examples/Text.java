package io.eddy.examples;

import io.eddy.core.codec.ByteSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The UTF-8 bytes of one text message, kept as bytes: a server can answer and relay them without
 * ever decoding them into a {@code String}. Under a flood that matters: the decoded string and the
 * strings built from it were most of what the chat server allocated per line.
 *
 * <p><b>Valid during the handler's call.</b> A {@link TextDecoder} refills one {@code Text} per
 * connection with each message it decodes, so a text it returned holds that message only until
 * the handler's call returns, as core's byte views do. Whatever keeps it beyond that keeps
 * {@link #toString()}, a copy. A text made by {@link #of} never changes.
 *
 * <p>Threading: a decoder's text is read on its connection's loop only; one made by {@link #of}
 * may be read from any thread.
 */
public final class Text {

    private byte[] bytes;
    private int length;

    private Text(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    /** {@code text} in UTF-8, fixed. */
    public static Text of(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Text(bytes, bytes.length);
    }

    /** An empty text for a decoder to refill, its array grown to the longest message seen. */
    static Text refillable() {
        return new Text(new byte[128], 0);
    }

    /** Makes this text the bytes of {@code in} from {@code start} to {@code end}; {@code in} is left as it was. */
    void refill(ByteBuffer in, int start, int end) {
        length = end - start;
        if (bytes.length < length) {
            // Grown once to the longest message, never per message.
            bytes = new byte[Math.max(length, 2 * bytes.length)];
        }
        in.get(start, bytes, 0, length);
    }

    /** Its length in bytes. */
    public int length() {
        return length;
    }

    /** Whether it has no bytes. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** Copies its bytes into {@code out}, as an encoder does. */
    public void writeTo(ByteSink out) {
        Objects.requireNonNull(out, "out").write(bytes, 0, length);
    }

    /** The text decoded from UTF-8 (malformed input as U+FFFD): a new string, safe to keep. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
