package io.eddy.http.server;

/**
 * Lets a {@link BodyReceiver} slow its client down: while paused, the server reads nothing more
 * from the connection, so the client's sends back up through TCP's own window instead of piling
 * up in memory. The same idea as Vert.x's {@code request.pause()} or Netty's auto-read.
 *
 * <p>Threading: both methods may be called from any thread (an executor writing the body to a
 * slow store, say). From the loop thread they take effect at once: no {@code onData} follows a
 * {@code pause()} until {@code resume()}. From another thread they take effect at the loop's
 * next turn, so a piece already being delivered may still arrive.
 */
public interface FlowControl {

    /** Stops delivering the body (and reading the connection) until {@link #resume}. */
    void pause();

    /** Delivers the body again. Resuming when not paused does nothing. */
    void resume();
}
