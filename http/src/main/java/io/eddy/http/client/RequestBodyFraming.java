package io.eddy.http.client;

import io.eddy.core.net.Connection;
import io.eddy.core.net.WriteListener;
import io.eddy.http.HttpHeaders;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.internal.body.BodyFraming;
import io.eddy.http.internal.body.StreamedBodyWriter;
import java.nio.ByteBuffer;

/**
 * How one streamed request body goes on the wire: each piece a chunk, the end the last chunk
 * (with trailers). The application writes through {@link #writer()}, with the same contract as a
 * streamed response's on the server.
 *
 * <p>Threading: loop thread only; its {@link #writer()} may be used from any thread.
 */
final class RequestBodyFraming implements BodyFraming {

    private final PooledConnection owner;
    private final Connection<ClientRequestPart> connection;
    private final StreamedBodyWriter writer;

    RequestBodyFraming(PooledConnection owner, Connection<ClientRequestPart> connection) {
        this.owner = owner;
        this.connection = connection;
        this.writer = new StreamedBodyWriter(connection, "request", this);
    }

    /** The application's side. */
    StreamedBodyWriter writer() {
        return writer;
    }

    @Override
    public void piece(ByteBuffer data, WriteListener written) {
        connection.write(new ClientRequestPart.Chunk(data), written);
    }

    @Override
    public void end(HttpHeaders trailers) {
        connection.write(new ClientRequestPart.Last(trailers), failure -> {
            if (failure == null) {
                owner.requestBodySent(this);
            }
        });
    }

    @Override
    public void failed(Throwable cause) {
        owner.requestBodyFailed(cause);
    }
}
