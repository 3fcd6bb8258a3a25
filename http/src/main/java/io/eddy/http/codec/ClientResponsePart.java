package io.eddy.http.codec;

import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpVersion;
import java.nio.ByteBuffer;

/**
 * What {@link HttpResponseDecoder} produces: a response's {@link Head}, then, for a body,
 * {@link Body} pieces, and always an {@link End}.
 *
 * <p>Threading: made and read on the connection's loop thread.
 */
public sealed interface ClientResponsePart {

    /** {@link Head#bodyLength} of a body in chunked coding. */
    long CHUNKED = -1;
    /** {@link Head#bodyLength} of a body that ends when the server closes the connection. */
    long UNTIL_CLOSE = -2;

    /**
     * A final (not 1xx) response's status line and header fields.
     *
     * @param version    the response's version
     * @param status     the status code, 200 to 599 (or 101, to a request that asked to switch protocols)
     * @param reason     the reason phrase, perhaps empty
     * @param headers    the header fields, checked
     * @param bodyLength the body's length, 0 when it has none, or {@link #CHUNKED}, or {@link #UNTIL_CLOSE}
     * @param keepAlive  whether the connection may carry another request after this response
     */
    record Head(HttpVersion version, int status, String reason, HttpHeaders headers, long bodyLength,
                boolean keepAlive) implements ClientResponsePart {
    }

    /** A piece of the body: a view of the connection's buffer, valid only during the handler's call. */
    record Body(ByteBuffer data) implements ClientResponsePart {
    }

    /** The end of the response, with its trailer fields (empty unless a chunked body had some). */
    record End(HttpHeaders trailers) implements ClientResponsePart {
    }
}
