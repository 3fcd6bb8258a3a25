package io.eddy.http.server;

import io.eddy.http.HttpStatus;

/**
 * Turns an {@link HttpError} into the response the client sees. The default answers plain text:
 * the status and reason, and for client errors (4xx) the rule that was broken; a server error's
 * cause is logged, never shown.
 *
 * <p>Threading: runs on the connection's loop thread; must not block. If it throws, the default
 * answers instead.
 */
@FunctionalInterface
public interface HttpErrorHandler {

    /** The response for {@code error}; its status may differ from {@code error.status()}. */
    HttpResponse handle(HttpError error) throws Exception;

    /**
     * The default: the error's status with a short plain-text body, {@code "404 Not Found: no route
     * for /x"}; for a 5xx only the status line's words, never the cause.
     */
    static HttpErrorHandler defaults() {
        return error -> {
            int status = error.status();
            String text = status + " " + HttpStatus.reasonPhrase(status);
            if (status < 500 && error.message() != null) {
                text += ": " + error.message();
            }
            return HttpResponse.text(status, text + "\n");
        };
    }
}
