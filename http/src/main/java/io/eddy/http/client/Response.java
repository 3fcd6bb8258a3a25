package io.eddy.http.client;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpVersion;
import io.eddy.http.internal.BodyText;
import java.net.URI;

/**
 * A complete HTTP response: status line, header fields, the whole body, and trailer fields.
 *
 * <pre>{@code
 * Response response = Http.get("http://127.0.0.1:9990/hello");
 * System.out.println(response.status() + " " + response.text());
 * }</pre>
 *
 * <p>Threading: safe to read from any thread once the future has completed; treat its headers
 * and body array as read-only.
 */
public final class Response {

    private final URI uri;
    private final HttpVersion version;
    private final int status;
    private final String reason;
    private final HttpHeaders headers;
    private final byte[] body;
    private final HttpHeaders trailers;

    Response(URI uri, HttpVersion version, int status, String reason, HttpHeaders headers, byte[] body,
             HttpHeaders trailers) {
        this.uri = uri;
        this.version = version;
        this.status = status;
        this.reason = reason;
        this.headers = headers;
        this.body = body;
        this.trailers = trailers;
    }

    /** The status code, such as 200. */
    public int status() {
        return status;
    }

    /** The reason phrase, such as {@code OK} (perhaps empty: it carries no meaning). */
    public String reason() {
        return reason;
    }

    /** The version the server answered with. */
    public HttpVersion version() {
        return version;
    }

    /** The header fields. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body's bytes (empty for HEAD, 204 and 304): the response's own array. */
    public byte[] body() {
        return body;
    }

    /**
     * The body as text, decoded by the {@code charset} of its {@code Content-Type}, or UTF-8 when it
     * names none (or one this JVM does not know).
     */
    public String text() {
        return BodyText.decode(body, headers.get(HeaderNames.CONTENT_TYPE));
    }

    /** The trailer fields that came after a chunked body (usually empty). */
    public HttpHeaders trailers() {
        return trailers;
    }

    /** The URL that answered: the request's, or the last one a redirect led to. */
    public URI uri() {
        return uri;
    }

    @Override
    public String toString() {
        return version + " " + status + (reason.isEmpty() ? "" : " " + reason) + " (" + body.length + " bytes from " + uri + ")";
    }
}
