package io.eddy.udp.codec;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.Decoder;
import io.eddy.core.codec.Encoder;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Any core {@link Decoder} and {@link Encoder} as a datagram codec: the payload of each datagram
 * holds exactly one of their messages.
 *
 * <pre>{@code
 * new FramedDatagramCodec<>(LineCodec::new)                     // a line; its newline is optional
 * new FramedDatagramCodec<>(() -> new LengthFieldCodec(2, 1400)) // a length-prefixed frame
 * }</pre>
 *
 * <p>Decoding a payload: the decoder's {@code decode}, and when that finds no whole message its
 * {@code decodeLast}, since nothing more will come. A payload is malformed ({@link DecodeException})
 * when the decoder fails, when it finds no whole message, or when bytes are left after the message
 * (one datagram carries one message). Each datagram gets a decoder of its own from the factory, so
 * a failure never leaves state behind for the next.
 *
 * <p>A message that is a {@link ByteBuffer} (the frames of {@code LengthFieldCodec} and
 * {@code BytesCodec}, which are views of their input) is copied into a buffer of its own, in the
 * same byte order, so the handler may keep it and hand it to other threads: the input is the loop's
 * read buffer, which the next datagram overwrites. A message of another type that holds a view of
 * the input inside it (a decoder of your own could make one) is not copied: such a decoder copies
 * what it keeps itself.
 *
 * <p>Encoding leaves a {@code ByteBuffer} message as it was (the encoder gets a duplicate), so the
 * same frame may be sent to any number of peers.
 *
 * <p>Threading: decoding is safe on any number of loops at once (a decoder per datagram); the one
 * encoder is called from every thread that sends, so it must keep no state between calls, which
 * the core encoders do not.
 *
 * @param <I> messages received
 * @param <O> messages sent
 */
public final class FramedDatagramCodec<I, O> implements DatagramCodec<I, O> {

    private final Supplier<? extends Decoder<? extends I>> decoders;
    private final Encoder<? super O> encoder;

    /**
     * Decodes with a new codec from {@code codecs} per datagram, and encodes with one made now.
     */
    public FramedDatagramCodec(Supplier<? extends Codec<I, O>> codecs) {
        this(codecs, codecs.get());
    }

    /** Decodes with a new decoder from {@code decoders} per datagram, and encodes with {@code encoder}. */
    public FramedDatagramCodec(Supplier<? extends Decoder<? extends I>> decoders, Encoder<? super O> encoder) {
        this.decoders = Objects.requireNonNull(decoders, "decoders");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public I decode(ByteBuffer payload) throws DecodeException {
        int length = payload.remaining();
        Decoder<? extends I> decoder = decoders.get();
        I message = decoder.decode(payload);
        if (message == null) {
            message = decoder.decodeLast(payload);
        }
        if (message == null) {
            throw new DecodeException("payload of " + length + " bytes holds no whole message");
        }
        if (payload.hasRemaining()) {
            throw new DecodeException(payload.remaining() + " bytes follow the message; a datagram carries one");
        }
        return message instanceof ByteBuffer view ? ownCopy(view) : message;
    }

    /** {@code view}'s bytes, from its position to its limit, in a buffer of their own. */
    @SuppressWarnings("unchecked")
    private I ownCopy(ByteBuffer view) {
        ByteBuffer copy = ByteBuffer.allocate(view.remaining()).order(view.order());
        copy.put(view.duplicate()).flip();
        return (I) copy;
    }

    /**
     * Encodes {@code message}. A {@link ByteBuffer} message is handed to the encoder as a
     * duplicate, so its position does not move: a core encoder consumes the buffer it writes, as a
     * channel write does, and a frame sent to several peers one after the other would otherwise go
     * out empty after the first (as {@link BytesDatagramCodec} does, the caller's buffer is left
     * as it was).
     */
    @Override
    @SuppressWarnings("unchecked")
    public void encode(O message, ByteSink out) {
        encoder.encode(message instanceof ByteBuffer buffer ? (O) buffer.duplicate() : message, out);
    }
}
