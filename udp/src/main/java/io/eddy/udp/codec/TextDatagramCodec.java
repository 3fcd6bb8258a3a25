package io.eddy.udp.codec;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.DecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A payload is text in one charset, UTF-8 by default, with nothing around it: what
 * {@code sock.sendto("...".encode(), address)} sends.
 *
 * <p>Strict on the way in: a payload whose bytes are not valid in the charset is malformed
 * ({@link DecodeException}), never patched with replacement characters. On the way out, characters
 * the charset cannot encode become {@code ?}, as {@link String#getBytes(Charset)} makes them (UTF-8
 * encodes every string but one with unpaired surrogates).
 *
 * <p>Threading: keeps no state; one instance may serve any number of endpoints.
 */
public final class TextDatagramCodec implements DatagramCodec<String, String> {

    private final Charset charset;

    /** UTF-8 text. */
    public TextDatagramCodec() {
        this(StandardCharsets.UTF_8);
    }

    /** Text in {@code charset}. */
    public TextDatagramCodec(Charset charset) {
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    @Override
    public String decode(ByteBuffer payload) throws DecodeException {
        int start = payload.position();
        try {
            // A decoder per datagram: decoders keep state, and decode runs on every loop that uses this codec.
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(payload)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DecodeException("payload is not valid " + charset.name() + " text (at byte "
                    + (payload.position() - start) + ")", e);
        }
    }

    @Override
    public void encode(String message, ByteSink out) {
        out.write(message.getBytes(charset));
    }

    /** The charset of the text. */
    public Charset charset() {
        return charset;
    }
}
