package io.eddy.core.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;

/**
 * A decoder and an encoder for one connection: bytes in become {@code I} messages, {@code O}
 * messages out become bytes. A pipeline is a codec, optionally stacked with {@link #map} stages,
 * ending in a typed {@code Handler<I, O>}.
 *
 * <p>Codecs keep per-connection state, so a server is given a factory that makes one per
 * connection.
 *
 * <p>Threading: loop thread only.
 *
 * @param <I> inbound messages, as the handler receives them
 * @param <O> outbound messages, as the handler writes them
 */
public interface Codec<I, O> extends Decoder<I>, Encoder<O> {

    /** A codec made of a separate decoder and encoder. */
    static <I, O> Codec<I, O> of(Decoder<I> decoder, Encoder<O> encoder) {
        Objects.requireNonNull(decoder, "decoder");
        Objects.requireNonNull(encoder, "encoder");
        return new Codec<>() {
            @Override
            public I decode(ByteBuffer in) throws DecodeException {
                return decoder.decode(in);
            }

            @Override
            public I decodeLast(ByteBuffer in) throws DecodeException {
                return decoder.decodeLast(in);
            }

            @Override
            public void encode(O message, ByteSink out) {
                encoder.encode(message, out);
            }
        };
    }

    /**
     * Stacks a stage on this codec: each inbound {@code I} goes through {@code inbound} (a null
     * result drops it), and each outbound {@code O2} goes through {@code outbound} before this
     * codec encodes it.
     *
     * <pre>{@code
     * Codec<String, String> text = new LengthFieldCodec(2, 4096)
     *         .map(frame -> UTF_8.decode(frame).toString(),
     *              string -> ByteBuffer.wrap(string.getBytes(UTF_8)));
     * }</pre>
     */
    default <I2, O2> Codec<I2, O2> map(MessageDecoder<? super I, ? extends I2> inbound,
                                       Function<? super O2, ? extends O> outbound) {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(outbound, "outbound");
        Codec<I, O> below = this;
        return new Codec<>() {
            @Override
            public I2 decode(ByteBuffer in) throws DecodeException {
                return firstKept(below, in, inbound);
            }

            @Override
            public I2 decodeLast(ByteBuffer in) throws DecodeException {
                return firstKept(below::decodeLast, in, inbound);
            }

            @Override
            public void encode(O2 message, ByteSink out) {
                below.encode(outbound.apply(message), out);
            }
        };
    }

    /**
     * The first frame from {@code frames} that {@code stage} keeps, decoded; null when no frame is
     * whole yet. A dropped frame must not end the decode loop, so the next one is tried.
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
