package io.eddy.core.codec;

import java.nio.ByteBuffer;

/**
 * Turns bytes into messages: consume what makes a whole message and return it, or return
 * {@code null} and consume nothing more until more bytes arrive.
 *
 * <p>{@code in} holds the bytes received and not yet consumed, from its position to its limit. The
 * decoder advances the position past what it consumed; the transport keeps the rest and calls again
 * with more bytes appended. A decoder may remember how far it has already looked (so a long
 * message arriving byte by byte is scanned once), which is why decoders are per connection, made
 * by a factory. A decoder never keeps {@code in} itself: its contents change after the call.
 *
 * <p>Every decoder has limits, and breaking one fails with a {@link DecodeException} naming it,
 * never with unbounded memory.
 *
 * <p>Threading: called on the connection's loop thread only.
 *
 * @param <T> the messages it produces
 */
@FunctionalInterface
public interface Decoder<T> {

    /**
     * Decodes one message from {@code in}, or returns null when the bytes there are not yet a whole
     * message.
     */
    T decode(ByteBuffer in) throws DecodeException;

    /**
     * Called once the peer has closed its output, with the bytes still unconsumed (maybe none), and
     * again until it returns null. A decoder that can make sense of a partial last message (a last
     * line without its newline) returns it; the default decodes as usual, and leftover bytes are
     * reported as lost.
     */
    default T decodeLast(ByteBuffer in) throws DecodeException {
        return decode(in);
    }
}
