package io.eddy.http.server;

/**
 * An error the server answers with an error response: a request that broke the protocol or a
 * limit, no matching route, or a handler that failed.
 *
 * @param status  the status the default response carries (400, 404, 405, 408, 413, 500, 503, ...)
 * @param message what went wrong, safe to show the client for 4xx; for 5xx, log it instead
 * @param cause   the exception behind it, or null
 * @param request the request, or null when the error came before a whole head was read
 *
 * <p>Threading: made on the loop thread and handed to the {@link HttpErrorHandler} there; immutable,
 * but its request must not be changed.
 */
public record HttpError(int status, String message, Throwable cause, HttpRequest request) {
}
