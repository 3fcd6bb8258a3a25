package io.eddy.examples;

import io.eddy.core.codec.ByteSink;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A line the chat server sends a client: a prefix ({@code "got: "}, a sender's
 * {@code "[host:port] "}), a text, and {@code \n}. The prefix is bytes made once per kind of line
 * or per sender, and the text is the received message's bytes, so answering and relaying a line
 * encodes nothing anew and builds no string.
 *
 * <p>{@link #writeTo} copies both into the sink at once; a line written from the handler's call
 * is therefore safe even though its text is refilled by the next message. Threading: immutable as
 * long as its text is; lines of fixed texts ({@link #of}) may be sent from any thread.
 *
 * @param prefix the bytes before the text, never changed after the line is made
 * @param text the message
 */
public record ChatLine(byte[] prefix, Text text) {

    /** A line of {@code prefix} and {@code text}, both fixed. */
    public static ChatLine of(String prefix, String text) {
        return new ChatLine(bytes(prefix), Text.of(text));
    }

    /** {@code text} in UTF-8: a prefix to make once and use for many lines. */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Encodes the line, as the chat's encoder: the prefix, the text, {@code \n}. */
    public void writeTo(ByteSink out) {
        Objects.requireNonNull(out, "out");
        out.write(prefix);
        text.writeTo(out);
        out.write((byte) '\n');
    }

    @Override
    public String toString() {
        return new String(prefix, StandardCharsets.UTF_8) + text;
    }
}
