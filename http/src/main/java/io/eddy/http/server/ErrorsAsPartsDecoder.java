package io.eddy.http.server;

import io.eddy.core.codec.Decoder;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.codec.HttpRequestDecoder;
import io.eddy.http.codec.RequestPart;
import java.nio.ByteBuffer;

/**
 * The server's decoder: {@link HttpRequestDecoder}, with a broken rule reported as a
 * {@link RequestPart.Invalid} part rather than thrown. Thrown, it would make core close the
 * connection at once, losing what earlier pipelined requests are still owed; as a part, the
 * server answers it in its turn and then closes.
 *
 * <p>Threading: one per connection, loop thread only.
 */
final class ErrorsAsPartsDecoder implements Decoder<RequestPart> {

    private final HttpRequestDecoder decoder;
    private boolean failed;

    ErrorsAsPartsDecoder(HttpRequestDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public RequestPart decode(ByteBuffer in) {
        if (failed) {
            in.position(in.limit());
            return null;
        }
        try {
            return decoder.decode(in);
        } catch (HttpDecodeException e) {
            failed = true;
            in.position(in.limit());
            return new RequestPart.Invalid(e);
        }
    }
}
