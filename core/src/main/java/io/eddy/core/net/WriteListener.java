package io.eddy.core.net;

/**
 * Told when one written message has left for the socket, or has failed to.
 *
 * <p>Threading: called on the connection's loop thread and must not block; only a write whose
 * loop has already terminated is failed at once on the writer's thread.
 */
@FunctionalInterface
public interface WriteListener {

    /**
     * The message's bytes were all handed to the operating system ({@code failure} is null), or
     * the write failed and will never happen ({@code failure} says why: the connection closed,
     * the outbound limit was reached, the encoder refused the message).
     */
    void onWriteComplete(Throwable failure);
}
