package io.eddy.core.codec;

/**
 * A decoding stage above the byte level: turns one decoded frame into one message (or null to drop
 * it). Used with {@link Codec#map} to stack stages, bytes → frames → messages.
 *
 * <p>Threading: called on the connection's loop thread only.
 *
 * @param <F> the frames it takes
 * @param <M> the messages it makes
 */
@FunctionalInterface
public interface MessageDecoder<F, M> {

    /** Decodes {@code frame}; returns null to drop it, or fails with a {@link DecodeException}. */
    M decode(F frame) throws DecodeException;
}
