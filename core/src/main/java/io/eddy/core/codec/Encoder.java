package io.eddy.core.codec;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a message into bytes on their way to the socket.
 *
 * <p>An encoder checks a message before it writes anything, so a message it refuses (with an
 * {@link IllegalArgumentException} saying why) leaves the byte stream whole.
 *
 * <p>Threading: called on the connection's loop thread only.
 *
 * @param <T> the messages it accepts
 */
@FunctionalInterface
public interface Encoder<T> {

    /** Writes {@code message} as bytes into {@code out}. */
    void encode(T message, ByteSink out);

    /**
     * An encoder of {@code R} messages: each goes through {@code before}, then this encoder writes
     * the result. The outbound twin of {@link Decoder#map}, named as {@link Function#compose} is:
     * the function runs first.
     *
     * <pre>{@code
     * Encoder<Reply> replies = new LineCodec().compose(Reply::toLine);
     * }</pre>
     */
    default <R> Encoder<R> compose(Function<? super R, ? extends T> before) {
        Objects.requireNonNull(before, "before");
        return (message, out) -> encode(before.apply(message), out);
    }
}
