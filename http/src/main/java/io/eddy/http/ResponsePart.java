package io.eddy.http;

import java.nio.ByteBuffer;

/**
 * What {@link HttpResponseEncoder} writes: a response's head (with its body when that is bytes or
 * a file), an interim {@code 100 Continue}, and the pieces of a streamed body.
 *
 * <p>Threading: made on any thread, encoded on the connection's loop thread.
 */
public sealed interface ResponsePart {

    /** {@code HTTP/1.1 100 Continue}: the client may send the body it announced. */
    enum Continue implements ResponsePart {
        INSTANCE
    }

    /**
     * A response's head, and its body unless it is a stream.
     *
     * @param version  the version of the request answered (decides framing of a stream, keep-alive)
     * @param response the response
     * @param omitBody true when answering HEAD: headers as for GET, no body
     * @param close    true when the connection closes after this response ({@code Connection: close})
     */
    record Head(HttpVersion version, HttpResponse response, boolean omitBody, boolean close) implements ResponsePart {

        /** Whether the body follows as {@link Chunk}s and a {@link Last} in chunked coding. */
        public boolean chunked() {
            return response.streamBody() != null && version == HttpVersion.HTTP_1_1 && !omitBody
                    && !HttpStatus.forbidsBody(response.status());
        }
    }

    /** A piece of a streamed body; {@code chunked} false writes it raw (HTTP/1.0, close-delimited). */
    record Chunk(ByteBuffer data, boolean chunked) implements ResponsePart {
    }

    /** The end of a streamed body, with trailer fields (only sent in chunked coding). */
    record Last(HttpHeaders trailers, boolean chunked) implements ResponsePart {
    }
}
