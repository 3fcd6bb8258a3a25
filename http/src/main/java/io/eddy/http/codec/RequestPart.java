package io.eddy.http.codec;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpVersion;
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
     * A whole request head, as received and checked. The server makes its {@code HttpRequest}
     * from it; the codec knows nothing of the server.
     *
     * @param method          the method, as received ({@code GET})
     * @param target          the request target as received ({@code /a/b?x=1}, {@code http://host/a}, {@code *})
     * @param path            the target's path, still percent-encoded
     * @param rawQuery        the query after {@code ?}, still encoded, or null
     * @param version         the protocol version
     * @param headers         the header fields, in order received
     * @param targetAuthority the authority of an absolute-form or authority-form target, or null
     * @param bodyLength      the body's length by {@code Content-Length}; -1 if chunked; 0 if none
     * @param keepAlive       whether the client lets the connection live on after this exchange
     * @param expectContinue  whether the client waits for {@code 100 Continue} before sending the body
     */
    record Head(String method, String target, String path, String rawQuery, HttpVersion version,
                HttpHeaders headers, String targetAuthority, long bodyLength, boolean keepAlive,
                boolean expectContinue) implements RequestPart {

        /** Whether body parts and an end follow. */
        public boolean hasBody() {
            return bodyLength != 0;
        }

        /**
         * The authority the request is for: the target's, when it has one, else the {@code Host}
         * field's value; null when there is neither (RFC 9112 §3.2.2).
         */
        public String authority() {
            return targetAuthority != null ? targetAuthority : headers.get(HeaderNames.HOST);
        }

        /** The first value of header field {@code name}, or null. */
        public String header(String name) {
            return headers.get(name);
        }

        @Override
        public String toString() {
            return "Head[" + method + " " + target + " " + version + ", body " + bodyLength + "]";
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
