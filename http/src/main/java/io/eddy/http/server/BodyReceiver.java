package io.eddy.http.server;

import io.eddy.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Receives a request body piece by piece, for a {@link StreamingHandler}.
 *
 * <p>Threading: every method runs on the connection's loop thread and must not block. A piece's
 * buffer is only valid during the call that receives it: copy what must be kept.
 */
public interface BodyReceiver {

    /**
     * Called once, before the first piece, with the body's flow control: keep it to
     * {@link FlowControl#pause pause} the body while a slow consumer catches up. By default the
     * body flows as fast as the client sends it.
     */
    default void onStart(FlowControl flow) throws Exception {
    }

    /** The next piece of the body. */
    void onData(ByteBuffer data) throws Exception;

    /** The body is complete ({@code trailers} usually empty); returns a stage completing with the response. */
    CompletionStage<HttpResponse> onEnd(HttpHeaders trailers) throws Exception;

    /**
     * The body will not be delivered further: the client went away or broke the protocol, the
     * request was answered before its body was read, or {@link #onData} threw (then the client
     * gets a 500). Whatever {@link #onEnd} would have answered is not asked for.
     */
    default void onAbort(Throwable cause) {
    }

    /** Completes {@code response} at once: for {@link #onEnd} implementations that answer synchronously. */
    static CompletionStage<HttpResponse> respond(HttpResponse response) {
        return java.util.concurrent.CompletableFuture.completedFuture(response);
    }
}
