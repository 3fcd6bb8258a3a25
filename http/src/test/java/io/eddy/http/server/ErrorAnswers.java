package io.eddy.http.server;

import io.eddy.http.HeaderNames;
import java.util.Random;

/**
 * Ways for a server to answer errors, for the randomized tests: its error handler, and what a
 * client must then see. Every way but the default answers {@code error NNN} (NNN the status), so
 * the client can check the body.
 */
enum ErrorAnswers implements HttpErrorHandler {
    /** The default error handler. */
    DEFAULT,
    /** {@code error NNN}, streamed in two pieces. */
    STREAMED,
    /** {@code error NNN} again and again, too large to be sent along with the head. */
    LARGE,
    /** {@code error NNN}, and {@code Connection: close}. */
    CLOSING;

    static ErrorAnswers random(Random random) {
        return values()[random.nextInt(values().length)];
    }

    @Override
    public HttpResponse handle(HttpError error) throws Exception {
        return switch (this) {
            case DEFAULT -> HttpErrorHandler.defaults().handle(error);
            case STREAMED -> HttpResponse.stream("text/plain", writer -> {
                writer.write("error ");
                writer.write(String.valueOf(error.status()));
                writer.end();
            }).withStatus(error.status());
            case LARGE -> HttpResponse.text(error.status(), large(error.status()));
            case CLOSING -> HttpResponse.text(error.status(), "error " + error.status()).header(HeaderNames.CONNECTION, "close");
        };
    }

    /** The body of an error answer, or null if it is not checked. */
    String body(int status) {
        return switch (this) {
            case STREAMED, CLOSING -> "error " + status;
            case LARGE -> large(status);
            default -> null;
        };
    }

    /** Whether the answer is streamed: to HTTP/1.0, read to the end of the connection. */
    boolean streams() {
        return this == STREAMED;
    }

    /** Whether an error answer to a request of this version and method closes the connection. */
    boolean closes(boolean http10, boolean isHead) {
        return this == CLOSING || (streams() && http10 && !isHead); // HTTP/1.0: the body ends with the connection
    }

    private static String large(int status) {
        return ("error " + status + "\n").repeat(500);
    }
}
