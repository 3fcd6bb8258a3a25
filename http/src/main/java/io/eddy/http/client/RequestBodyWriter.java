package io.eddy.http.client;

import io.eddy.core.net.Connection;
import io.eddy.http.BodyWriter;
import io.eddy.http.ChunkedBody;
import io.eddy.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link BodyWriter} of one streamed request body: each piece becomes a chunk, the end the
 * last chunk (with trailers). The same contract as a streamed response's on the server.
 *
 * <p>Threading: its public methods may be called from any thread; each runs on the loop (at once
 * when called there), where the state lives.
 */
final class RequestBodyWriter implements BodyWriter {

    private final PooledConnection owner;
    private final Connection<SentPart> connection;
    /** False once the body ended, failed, or the connection closed; written on the loop only. */
    private volatile boolean open = true;
    private boolean ended;
    private List<Runnable> whenWritable;

    RequestBodyWriter(PooledConnection owner, Connection<SentPart> connection) {
        this.owner = owner;
        this.connection = connection;
    }

    /** Loop thread: hands the writer to the application's body. */
    void start(ChunkedBody body) {
        try {
            body.writeTo(this);
        } catch (Exception e) {
            fail(e);
        }
    }

    /** Whether the last chunk was written. */
    boolean ended() {
        return ended;
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
        onLoop(() -> {
            if (!open || !connection.isOpen()) {
                written.completeExceptionally(new IllegalStateException("the request body has ended"));
                return;
            }
            connection.write(new SentPart.Chunk(data), failure -> {
                if (failure == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(failure);
                }
            });
        }, written);
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
                return;
            }
            if (connection.isWritable()) {
                action.run();
                return;
            }
            if (whenWritable == null) {
                whenWritable = new ArrayList<>(1);
            }
            whenWritable.add(action);
        }, null);
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
            open = false;
            ended = true;
            whenWritable = null;
            connection.write(new SentPart.Last(trailers));
        }, null);
    }

    @Override
    public void fail(Throwable cause) {
        onLoop(() -> {
            if (!open) {
                return;
            }
            open = false;
            whenWritable = null;
            owner.requestBodyFailed(cause);
        }, null);
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
        open = false;
        whenWritable = null;
    }

    private void onLoop(Runnable task, CompletableFuture<Void> orFail) {
        if (connection.loop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            connection.loop().execute(task);
        } catch (RejectedExecutionException loopEnded) {
            if (orFail != null) {
                orFail.completeExceptionally(new IllegalStateException("the event loop has ended"));
            }
        }
    }
}
