package io.eddy.http;

import io.eddy.core.net.Connection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BodyWriter} of one streamed response: each piece becomes a chunk (or raw bytes for
 * HTTP/1.0), the end a last chunk; then the connection moves on to the next response.
 *
 * <p>Threading: its public methods may be called from any thread; they reach the connection
 * through {@link Connection#write} (safe from any thread, in order per calling thread) and
 * {@code loop.execute}. Everything else runs on the loop thread.
 */
final class StreamWriter implements BodyWriter {

    private static final Logger log = LoggerFactory.getLogger(StreamWriter.class);

    private final ServerConnection owner;
    private final Connection<ResponsePart> connection;
    private final boolean chunked;
    private volatile boolean ended;
    /** Actions waiting for writability; loop thread only. */
    private List<Runnable> whenWritable;

    StreamWriter(ServerConnection owner, Connection<ResponsePart> connection, boolean chunked) {
        this.owner = owner;
        this.connection = connection;
        this.chunked = chunked;
    }

    @Override
    public CompletionStage<Void> write(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        return send(copy);
    }

    @Override
    public CompletionStage<Void> write(byte[] data) {
        return send(ByteBuffer.wrap(data.clone()));
    }

    @Override
    public CompletionStage<Void> write(String text) {
        return send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    private CompletionStage<Void> send(ByteBuffer data) {
        if (ended) {
            return CompletableFuture.failedFuture(new IllegalStateException("the body has ended"));
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        connection.write(new ResponsePart.Chunk(data, chunked), failure -> {
            if (failure == null) {
                written.complete(null);
            } else {
                written.completeExceptionally(failure);
            }
        });
        return written;
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public void onWritable(Runnable action) {
        owner.loop().execute(() -> {
            if (connection.isWritable() || !connection.isOpen()) {
                action.run();
            } else {
                if (whenWritable == null) {
                    whenWritable = new ArrayList<>(1);
                }
                whenWritable.add(action);
            }
        });
    }

    @Override
    public void end() {
        end(null);
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (ended) {
            return;
        }
        ended = true;
        connection.write(new ResponsePart.Last(trailers, chunked));
        owner.loop().execute(() -> owner.streamEnded(this));
    }

    @Override
    public void fail(Throwable cause) {
        if (ended) {
            return;
        }
        ended = true;
        // Closing without the last chunk tells the client the body is incomplete.
        owner.loop().execute(() -> {
            log.warn("{}: streamed response body failed; closing", connection, cause);
            connection.close();
        });
    }

    /** Loop thread: the connection is writable again. */
    void writableAgain() {
        List<Runnable> actions = whenWritable;
        whenWritable = null;
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }

    /** Loop thread: the connection closed; waiting actions run and find it closed. */
    void connectionClosed() {
        ended = true;
        writableAgain();
    }
}
