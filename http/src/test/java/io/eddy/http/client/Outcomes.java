package io.eddy.http.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Assertions on a call's future in a test that drives the loop itself: the future must be done
 * already, since nothing else would complete it while the test waited.
 *
 * <p>Threading: the test's thread.
 */
final class Outcomes {

    private Outcomes() {
    }

    /** The response {@code call} completed with. */
    static Response response(CompletableFuture<Response> call) {
        assertTrue(call.isDone(), "no response yet");
        return call.join();
    }

    /** The failure {@code call} completed with. */
    static HttpClientException failure(CompletableFuture<Response> call) {
        assertTrue(call.isDone(), "not failed yet");
        CompletionException e = assertThrows(CompletionException.class, call::join);
        return assertInstanceOf(HttpClientException.class, e.getCause());
    }

    /** {@code call} is still waiting. */
    static void pending(CompletableFuture<Response> call) {
        assertFalse(call.isDone(), () -> "done too early: " + call);
    }
}
