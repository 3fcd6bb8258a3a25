package io.eddy.http;

import io.eddy.core.net.Connection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link BodyWriter} of one streamed response: each piece becomes a chunk (or raw bytes for
 * HTTP/1.0), the end a last chunk; then the connection moves on to the next response.
 *
 * <p>Threading: its public methods may be called from any thread. Each hands itself to the loop
 * (at once when called there), where the state lives: so a piece written after {@code end}, even
 * from a racing thread, is refused rather than sent after the next response's head.
 */
final class StreamWriter implements BodyWriter {

    private static final Logger log = LoggerFactory.getLogger(StreamWriter.class);

    private final ServerConnection owner;
    private final Connection<ResponsePart> connection;
    private final boolean chunked;
    private final boolean closeAfter;
    /** False once the body ended (or failed, or the connection closed); written on the loop only. */
    private volatile boolean open = true;
    /** Actions waiting for writability; loop thread only. */
    private List<Runnable> whenWritable;

    StreamWriter(ServerConnection owner, Connection<ResponsePart> connection, boolean chunked, boolean closeAfter) {
        this.owner = owner;
        this.connection = connection;
        this.chunked = chunked;
        this.closeAfter = closeAfter;
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
        CompletableFuture<Void> written = new CompletableFuture<>();
        boolean handedOver = onLoop(() -> {
            if (!open || !connection.isOpen()) {
                written.completeExceptionally(new IllegalStateException("the response body has ended"));
                return;
            }
            connection.write(new ResponsePart.Chunk(data, chunked), failure -> {
                if (failure == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(failure);
                }
            });
        });
        if (!handedOver) {
            written.completeExceptionally(new IllegalStateException("the event loop has ended"));
        }
        return written;
    }

    @Override
    public boolean isWritable() {
        return open && connection.isWritable();
    }

    @Override
    public boolean isOpen() {
        return open && connection.isOpen();
    }

    @Override
    public void onWritable(Runnable action) {
        onLoop(() -> {
            if (!open || !connection.isOpen()) {
                return; // never: the body is over, and the action would only find it closed
            }
            if (connection.isWritable()) {
                action.run();
                return;
            }
            if (whenWritable == null) {
                whenWritable = new ArrayList<>(1);
            }
            whenWritable.add(action);
        });
    }

    @Override
    public void end() {
        end(null);
    }

    @Override
    public void end(HttpHeaders trailers) {
        onLoop(() -> {
            if (!open) {
                return;
            }
            finished();
            connection.write(new ResponsePart.Last(trailers, chunked), closeAfter ? owner.closeWhenWritten() : null);
            owner.streamEnded(this);
        });
    }

    @Override
    public void fail(Throwable cause) {
        onLoop(() -> {
            if (!open) {
                return;
            }
            finished();
            log.warn("{}: streamed response body failed; closing", connection, cause);
            if (chunked) {
                connection.close(); // without the last chunk: the client sees the body is incomplete
            } else {
                connection.abort(); // a close would look like the end of an HTTP/1.0 body
            }
        });
    }

    /** Runs {@code task} on the loop; false if the loop has ended (then nothing is left to write to). */
    private boolean onLoop(Runnable task) {
        if (owner.loop().inEventLoop()) {
            task.run();
            return true;
        }
        try {
            owner.loop().execute(task);
            return true;
        } catch (RejectedExecutionException loopEnded) {
            return false;
        }
    }

    private void finished() {
        open = false;
        whenWritable = null;
    }

    /** Loop thread: the connection is writable again. */
    void writableAgain() {
        List<Runnable> actions = whenWritable;
        whenWritable = null;
        if (actions != null) {
            for (Runnable action : actions) {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        }
    }

    /** Loop thread: the connection closed; waiting actions are dropped, never run. */
    void connectionClosed() {
        finished();
    }
}
