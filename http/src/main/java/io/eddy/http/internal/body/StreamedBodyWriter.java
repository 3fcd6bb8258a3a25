package io.eddy.http.internal.body;

import io.eddy.core.net.Connection;
import io.eddy.core.net.WriteListener;
import io.eddy.http.BodyWriter;
import io.eddy.http.HttpHeaders;
import io.eddy.http.StreamedBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The {@link BodyWriter} of one streamed body on a connection, a server's response or a client's
 * request: it keeps the body's state, hands every call to the loop, and waits for writability.
 * How a piece and the end are framed and written, and what a failure does to the connection, is
 * the {@link BodyFraming}'s.
 *
 * <p>Threading: its public {@code BodyWriter} methods may be called from any thread. Each hands
 * itself to the loop (at once when called there), where the state lives: so a piece written after
 * {@code end}, even from a racing thread, is refused rather than sent after the next message's
 * head. {@link #start}, {@link #writableAgain} and {@link #connectionClosed} are for the loop
 * thread.
 *
 * <p>Internal: this package is not exported, and may change in any release.
 */
public final class StreamedBodyWriter implements BodyWriter {

    private final Connection<?> connection;
    /** "request" or "response", for the message a refused write fails with. */
    private final String message;
    private final BodyFraming output;
    /** False once the body ended (or failed, or the connection closed); written on the loop only. */
    private volatile boolean open = true;
    /** Actions waiting for writability; loop thread only. */
    private List<Runnable> whenWritable;

    /** A writer of a {@code message} ("request" or "response") body on {@code connection}, written through {@code output}. */
    public StreamedBodyWriter(Connection<?> connection, String message, BodyFraming output) {
        this.connection = connection;
        this.message = message;
        this.output = output;
    }

    /** Loop thread: hands the writer to the application's {@code body}; a body that throws fails. */
    public void start(StreamedBody body) {
        try {
            body.writeTo(this);
        } catch (Exception e) {
            fail(e);
        }
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
                written.completeExceptionally(new IllegalStateException("the " + message + " body has ended"));
                return;
            }
            output.piece(data, failure -> {
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
            output.end(trailers);
        });
    }

    @Override
    public void fail(Throwable cause) {
        onLoop(() -> {
            if (!open) {
                return;
            }
            finished();
            output.failed(cause);
        });
    }

    /** Loop thread: the connection is writable again; the waiting actions run. */
    public void writableAgain() {
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
    public void connectionClosed() {
        finished();
    }

    /** Runs {@code task} on the loop; false if the loop has ended (then nothing is left to write to). */
    private boolean onLoop(Runnable task) {
        if (connection.loop().inEventLoop()) {
            task.run();
            return true;
        }
        try {
            connection.loop().execute(task);
            return true;
        } catch (RejectedExecutionException loopEnded) {
            return false;
        }
    }

    private void finished() {
        open = false;
        whenWritable = null;
    }
}
