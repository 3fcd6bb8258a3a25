package io.eddy.http;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Where a {@link StreamedBody} writes its pieces. Respect backpressure: when
 * {@link #isWritable()} is false, wait for {@link #onWritable} before writing more, or the
 * connection's outbound limit closes it. When the client goes away, {@link #isOpen()} turns
 * false, writes fail, and {@code onWritable} actions are dropped: a writer that only writes from
 * its {@code onWritable} action stops by itself.
 *
 * <pre>{@code
 * Runnable pump = new Runnable() {
 *     public void run() {
 *         while (more() && writer.isWritable()) writer.write(next());
 *         if (!more()) writer.end();
 *         else writer.onWritable(this);      // never runs if the client has gone
 *     }
 * };
 * }</pre>
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

    /** Whether the connection takes more without passing its high water mark (false once closed). */
    boolean isWritable();

    /** Whether the body can still be written: not ended, and the connection is open. */
    boolean isOpen();

    /**
     * Runs {@code action} on the loop thread once the connection is writable: right away (in order
     * with this writer's other calls) if it is, later if not, never if the body has ended or the
     * connection closed.
     */
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
