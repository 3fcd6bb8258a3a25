package io.eddy.http.server;

import java.util.concurrent.CompletionStage;

/**
 * Answers a request whose body (if any) has been gathered: {@code req -> HttpResponse.text("hi")}.
 *
 * <p>Threading: runs on the connection's loop thread and must not block. A handler that blocks (a
 * database, a file system, a remote call) is added with {@code routeBlocking} instead, which runs
 * it on the server's blocking work, off the loop; or it becomes an {@link Async} handler that hands
 * its work to an {@code Executor} itself. A handler that throws is answered through the server's
 * {@link HttpErrorHandler} (500 by default); the connection goes on.
 */
@FunctionalInterface
public interface HttpHandler {

    /** The response to {@code request}; never null. */
    HttpResponse handle(HttpRequest request) throws Exception;

    /**
     * Answers later, from any thread: {@code req -> CompletableFuture.supplyAsync(() -> ..., pool)}.
     * Pipelined requests are still answered in the order they arrived.
     *
     * <p>Threading: {@code handle} runs on the loop thread and must not block; the stage may
     * complete on any thread.
     */
    @FunctionalInterface
    interface Async {

        /** A stage completing with the response to {@code request} (or failing, answered as an error). */
        CompletionStage<HttpResponse> handle(HttpRequest request) throws Exception;
    }
}
