package io.eddy.http.internal.body;

import io.eddy.core.net.WriteListener;
import io.eddy.http.HttpHeaders;
import java.nio.ByteBuffer;

/**
 * How one side of a connection puts a streamed body on the wire: the server frames a response's
 * pieces (chunks, or raw bytes for HTTP/1.0), the client a request's. {@link StreamedBodyWriter}
 * keeps the body's state and calls it.
 *
 * <p>Threading: called on the loop thread only, once the body is open.
 */
public interface BodyFraming {

    /** Writes {@code data} as the body's next piece; {@code written} hears when it has left. */
    void piece(ByteBuffer data, WriteListener written);

    /** Writes the end of the body, with {@code trailers} (null: none). The writer is closed already. */
    void end(HttpHeaders trailers);

    /** The application failed the body (the writer is closed already): the message cannot be completed. */
    void failed(Throwable cause);
}
