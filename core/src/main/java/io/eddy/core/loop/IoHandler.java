package io.eddy.core.loop;

/**
 * What a channel registered on an {@link EventLoop} is told: that it is ready for I/O, that the
 * loop stops accepting, that the loop is closing, that the loop's close deadline has passed.
 *
 * <p>This is the seam transports are built on (TCP connections and listeners, UDP endpoints);
 * applications use {@code TcpServer}, {@code TcpClient} or the UDP module's {@code UdpEndpoint}
 * instead.
 *
 * <p>Threading: every method runs on the loop thread and must not block.
 */
public interface IoHandler {

    /**
     * The channel is ready for the operations in {@code readyOps} (the {@code SelectionKey.OP_*}
     * bits). An exception thrown here is logged and the channel is closed by calling
     * {@link #onForceClose()}; the loop goes on.
     */
    void onReady(int readyOps);

    /**
     * The first phase of a graceful close: a listener stops accepting (and closes its socket);
     * every other channel goes on as before, and does nothing here by default. Every channel of
     * every loop being closed together hears this before any hears {@link #onLoopClosing()}.
     */
    default void onStopAccepting() {
    }

    /**
     * The loop is closing gracefully: stop taking new work, finish what is queued, then close the
     * channel. The loop ends once every registered channel has closed or its deadline has passed.
     */
    void onLoopClosing();

    /** Close now, dropping whatever is still queued: the loop's close deadline has passed. */
    void onForceClose();
}
