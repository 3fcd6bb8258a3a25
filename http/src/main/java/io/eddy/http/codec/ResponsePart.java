package io.eddy.http.codec;

import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import java.nio.ByteBuffer;
import java.nio.file.Path;

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
     * A response's head, and its body unless it is a stream. The server makes it from its
     * {@code HttpResponse}; the codec knows nothing of the server.
     *
     * @param version  the version of the request answered (decides framing of a stream, keep-alive)
     * @param status   the status code
     * @param headers  the header fields; framing fields in it ({@code Content-Length},
     *                 {@code Transfer-Encoding}, {@code Connection}) are left out, the encoder writes its own
     * @param body     the body's bytes (empty for none, a file or a stream)
     * @param file     the file whose range is the body, or null
     * @param streamed true when the body follows as {@link Chunk}s and a {@link Last}
     * @param omitBody true when answering HEAD: headers as for GET, no body
     * @param close    true when the connection closes after this response ({@code Connection: close})
     */
    record Head(HttpVersion version, int status, HttpHeaders headers, byte[] body, FileBody file, boolean streamed,
                boolean omitBody, boolean close) implements ResponsePart {

        /** Whether the body follows as {@link Chunk}s and a {@link Last} in chunked coding. */
        public boolean chunked() {
            return streamed && version == HttpVersion.HTTP_1_1 && !omitBody && !HttpStatus.forbidsBody(status);
        }

        /** The body's length if it is known before sending: bytes or file; -1 for a stream. */
        public long contentLength() {
            if (streamed) {
                return -1;
            }
            return file != null ? file.length() : body.length;
        }

        @Override
        public String toString() {
            return "Head[" + version + " " + status + ", " + headers + "]";
        }
    }

    /**
     * A body that is a byte range of a file, opened when the response is encoded (on the loop) and
     * sent without passing through the heap.
     */
    record FileBody(Path path, long position, long length) {
    }

    /** A piece of a streamed body; {@code chunked} false writes it raw (HTTP/1.0, close-delimited). */
    record Chunk(ByteBuffer data, boolean chunked) implements ResponsePart {
    }

    /** The end of a streamed body, with trailer fields (only sent in chunked coding). */
    record Last(HttpHeaders trailers, boolean chunked) implements ResponsePart {
    }
}
