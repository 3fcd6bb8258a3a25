package io.eddy.http.client;

import io.eddy.http.HttpHeaders;
import java.nio.ByteBuffer;

/**
 * What {@link HttpRequestEncoder} writes: a request's head (with its body when that is bytes),
 * and the chunks of a streamed body.
 *
 * <p>Threading: made on any thread, encoded on the connection's loop thread.
 */
public sealed interface SentPart {

    /**
     * A request's head, and its body unless the body is streamed.
     *
     * @param request   the request
     * @param userAgent the {@code User-Agent} sent when the request has none (null: none)
     */
    record Head(Request request, String userAgent) implements SentPart {
    }

    /** A piece of a streamed body, sent as one chunk (an empty piece is not sent: it would end the body). */
    record Chunk(ByteBuffer data) implements SentPart {
    }

    /** The end of a streamed body, with trailer fields (may be null). */
    record Last(HttpHeaders trailers) implements SentPart {
    }
}
