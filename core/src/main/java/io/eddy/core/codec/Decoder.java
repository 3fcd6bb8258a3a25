package io.eddy.core.codec;

import java.nio.ByteBuffer;
import java.util.Objects;

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
 * <p>{@link #map} stacks a stage on the inbound side alone, for a codec whose two sides are
 * typed apart:
 *
 * <pre>{@code
 * LineCodec lines = new LineCodec();
 * Codec<Command, Reply> codec = Codec.of(lines.map(Command::parse), lines.compose(Reply::toLine));
 * }</pre>
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

    /**
     * This decoder followed by {@code stage}: each message it decodes goes through {@code stage},
     * whose result is the new decoder's message. A stage that returns null drops the message (the
     * next one is tried at once); one that throws a {@link DecodeException} fails the decode as
     * this decoder would. The new decoder shares this one's state: use one or the other.
     */
    default <R> Decoder<R> map(MessageDecoder<? super T, ? extends R> stage) {
        Objects.requireNonNull(stage, "stage");
        Decoder<T> below = this;
        return new Decoder<>() {
            @Override
            public R decode(ByteBuffer in) throws DecodeException {
                return firstKept(below, in, stage);
            }

            @Override
            public R decodeLast(ByteBuffer in) throws DecodeException {
                return firstKept(below::decodeLast, in, stage);
            }
        };
    }

    /**
     * The first message from {@code frames} that {@code stage} keeps, mapped; null when no message
     * is whole yet. A dropped message must not end the decode loop, so the next one is tried.
     */
    private static <F, M> M firstKept(Decoder<F> frames, ByteBuffer in,
                                      MessageDecoder<? super F, ? extends M> stage) throws DecodeException {
        while (true) {
            F frame = frames.decode(in);
            if (frame == null) {
                return null;
            }
            M message = stage.decode(frame);
            if (message != null) {
                return message;
            }
        }
    }
}
