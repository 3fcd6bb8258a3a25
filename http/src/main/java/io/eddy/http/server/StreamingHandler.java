package io.eddy.http.server;

/**
 * Handles a request whose body is delivered piece by piece as it arrives rather than gathered:
 * large uploads, bodies with no size limit, or bodies processed on the fly. The server sends
 * {@code 100 Continue} to a client that waits for it.
 *
 * <p>Threading: runs on the connection's loop thread and must not block.
 */
@FunctionalInterface
public interface StreamingHandler {

    /** Called with the request's head (its {@link HttpRequest#body()} empty); returns who receives the body. */
    BodyReceiver onRequest(HttpRequest request) throws Exception;
}
