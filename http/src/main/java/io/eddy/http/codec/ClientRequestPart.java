package io.eddy.http.codec;

import io.eddy.http.HttpHeaders;
import java.nio.ByteBuffer;

/**
 * What {@link HttpRequestEncoder} writes: a request's head (with its body when that is bytes),
 * and the chunks of a streamed body.
 *
 * <p>Threading: made on any thread, encoded on the connection's loop thread.
 */
public sealed interface ClientRequestPart {

    /**
     * A request's head, and its body unless the body is streamed. The client makes it from its
     * {@code Request}; the codec knows nothing of the client.
     *
     * @param method    the method
     * @param target    the request target in origin form ({@code /path?query})
     * @param authority the {@code Host} field's value
     * @param headers   the header fields, checked; framing fields are the encoder's
     * @param body      the whole body, or null when there is none or it is streamed
     * @param streamed  true when the body follows as {@link Chunk}s and a {@link Last} (chunked coding)
     * @param userAgent the {@code User-Agent} sent when {@code headers} has none (null: none)
     */
    record Head(String method, String target, String authority, HttpHeaders headers, byte[] body, boolean streamed,
                String userAgent) implements ClientRequestPart {
    }

    /** A piece of a streamed body, sent as one chunk (an empty piece is not sent: it would end the body). */
    record Chunk(ByteBuffer data) implements ClientRequestPart {
    }

    /** The end of a streamed body, with trailer fields (may be null). */
    record Last(HttpHeaders trailers) implements ClientRequestPart {
    }
}
