package io.eddy.core.codec;

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
}
