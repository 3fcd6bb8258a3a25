package io.eddy.http.server;

import io.eddy.core.net.Connection;
import io.eddy.core.net.WriteListener;
import io.eddy.http.HttpHeaders;
import io.eddy.http.codec.ResponsePart;
import io.eddy.http.internal.body.BodyFraming;
import io.eddy.http.internal.body.StreamedBodyWriter;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one streamed response body goes on the wire: each piece a chunk (or raw bytes for
 * HTTP/1.0), the end a last chunk; then the connection moves on to the next response.
 *
 * <p>Threading: loop thread only; its {@link #writer()} may be used from any thread.
 */
final class ResponseBodyFraming implements BodyFraming {

    private static final Logger log = LoggerFactory.getLogger(ResponseBodyFraming.class);

    private final Http1Connection owner;
    private final Connection<ResponsePart> connection;
    private final boolean chunked;
    private final boolean closeAfter;
    private final StreamedBodyWriter writer;

    ResponseBodyFraming(Http1Connection owner, Connection<ResponsePart> connection, boolean chunked, boolean closeAfter) {
        this.owner = owner;
        this.connection = connection;
        this.chunked = chunked;
        this.closeAfter = closeAfter;
        this.writer = new StreamedBodyWriter(connection, "response", this);
    }

    /** The application's side. */
    StreamedBodyWriter writer() {
        return writer;
    }

    @Override
    public void piece(ByteBuffer data, WriteListener written) {
        connection.write(new ResponsePart.Chunk(data, chunked), written);
    }

    @Override
    public void end(HttpHeaders trailers) {
        connection.write(new ResponsePart.Last(trailers, chunked), closeAfter ? owner.closeWhenWritten() : null);
        owner.streamEnded(this);
    }

    @Override
    public void failed(Throwable cause) {
        log.warn("{}: streamed response body failed; closing", connection, cause);
        if (chunked) {
            connection.close(); // without the last chunk: the client sees the body is incomplete
        } else {
            connection.abort(); // a close would look like the end of an HTTP/1.0 body
        }
    }
}
