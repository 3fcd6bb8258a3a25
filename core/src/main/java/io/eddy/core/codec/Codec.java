package io.eddy.core.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Function;

/**
 * A decoder and an encoder for one connection: bytes in become {@code I} messages, {@code O}
 * messages out become bytes. A pipeline is a codec, optionally stacked with {@link #map} stages,
 * ending in a typed {@code Handler<I, O>}. To map one side only, use {@link Decoder#map} or
 * {@link Encoder#compose} and join the two sides with {@link #of}.
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
        return of(map(inbound), compose(outbound));
    }
}
