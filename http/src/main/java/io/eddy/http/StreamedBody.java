package io.eddy.http;

/**
 * A response body written piece by piece, when its length is not known in advance: the server
 * calls {@link #writeTo} once the response's turn comes (earlier pipelined responses are sent),
 * and the body ends when the writer is told {@link BodyWriter#end}.
 *
 * <p>Threading: {@code writeTo} runs on the connection's loop thread and must not block; the
 * writer it receives may be used from any thread.
 */
@FunctionalInterface
public interface StreamedBody {

    /** Starts writing the body to {@code writer}; may return before the body is complete. */
    void writeTo(BodyWriter writer) throws Exception;
}
