package io.eddy.http;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Where a {@link ChunkedBody} writes its pieces. Respect backpressure: when
 * {@link #isWritable()} is false, wait for {@link #onWritable} before writing more, or the
 * connection's outbound limit closes it.
 *
 * <p>Threading: every method may be called from any thread; calls from the loop thread take
 * effect at once, others are handed to the loop in order.
 */
public interface BodyWriter {

    /** Queues {@code data} (copied) as the next piece; completes when it has been written to the socket. */
    CompletionStage<Void> write(ByteBuffer data);

    /** Queues {@code data} (copied) as the next piece. */
    CompletionStage<Void> write(byte[] data);

    /** Queues {@code text} in UTF-8 as the next piece. */
    CompletionStage<Void> write(String text);

    /** Whether the connection takes more without passing its high water mark. */
    boolean isWritable();

    /** Runs {@code action} on the loop thread once the connection is writable (at once if it is). */
    void onWritable(Runnable action);

    /** The body is complete. */
    void end();

    /** The body is complete, followed by trailer fields. */
    void end(HttpHeaders trailers);

    /**
     * The body cannot be completed: the response is cut short and the connection closed, so the
     * client sees that it is incomplete.
     */
    void fail(Throwable cause);
}
