package io.eddy.http;

import java.nio.ByteBuffer;

/**
 * What {@link HttpRequestDecoder} produces: a request's head, then (if it has a body) its body in
 * pieces and an end. A request without a body is one {@link Head} alone.
 *
 * <pre>
 *   [Started] Head                      no body
 *   [Started] Head Body* End            Content-Length or chunked body
 * </pre>
 *
 * <p>Threading: made and consumed on the connection's loop thread.
 */
public sealed interface RequestPart {

    /**
     * The first bytes of a request head arrived but not all of it: the moment the head timeout
     * starts. Only produced when the head does not arrive in one read.
     */
    enum Started implements RequestPart {
        INSTANCE
    }

    /**
     * A whole request head.
     *
     * @param request        the request, its body not yet read
     * @param bodyLength     the body's length by {@code Content-Length}; -1 if chunked; 0 if none
     * @param keepAlive      whether the client lets the connection live on after this exchange
     * @param expectContinue whether the client waits for {@code 100 Continue} before sending the body
     */
    record Head(HttpRequest request, long bodyLength, boolean keepAlive, boolean expectContinue) implements RequestPart {

        /** Whether body parts and an end follow. */
        public boolean hasBody() {
            return bodyLength != 0;
        }
    }

    /**
     * A piece of the body. {@code data} is only valid during the handler call that receives it:
     * it is a view of the connection's input, reused afterwards.
     */
    record Body(ByteBuffer data) implements RequestPart {
    }

    /** The body is complete; {@code trailers} are the chunked body's trailer fields (usually empty). */
    record End(HttpHeaders trailers) implements RequestPart {
    }

    /**
     * The bytes broke a rule or a limit, and nothing after them is read. {@link HttpRequestDecoder}
     * throws {@code error} instead; the server's pipeline turns it into this part, so the error is
     * answered in order, after the responses owed to earlier requests.
     */
    record Invalid(HttpDecodeException error) implements RequestPart {
    }
}
