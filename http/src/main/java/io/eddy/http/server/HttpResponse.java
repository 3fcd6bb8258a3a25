package io.eddy.http.server;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.StreamedBody;
import io.eddy.http.codec.ResponsePart;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A response for the server to send: status, headers and a body, which is bytes, a range of a
 * file (sent with {@code FileChannel.transferTo}, without copying), or a stream the handler writes
 * piece by piece ({@link StreamedBody}).
 *
 * <p>The server frames the body itself: it writes {@code Content-Length} (or chunked coding for a
 * stream), {@code Date} and {@code Server}, so a handler sets neither {@code Content-Length} nor
 * {@code Transfer-Encoding} (they are ignored). Setting {@code Connection: close} closes the
 * connection once this response is sent. A 1xx, 204 or 304 response never has a body; a response
 * to {@code HEAD} carries the headers of its {@code GET} twin but no body.
 *
 * <pre>{@code
 * HttpResponse.text("hello world")
 * HttpResponse.status(201).header("Location", "/users/7")
 * HttpResponse.bytes(png, "image/png")
 * }</pre>
 *
 * <p>Threading: not thread-safe; build it on one thread and do not touch it once returned to the
 * server (it may be sent from the loop thread at any time after).
 */
public final class HttpResponse {

    private static final byte[] EMPTY = new byte[0];
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String HTML = "text/html; charset=utf-8";

    /**
     * The headers of the common responses, shared by every response that has not changed its
     * headers: such a response takes no headers of its own until it does ({@link #own}).
     */
    private static final HttpHeaders NONE = new HttpHeaders(0).copy();
    private static final HttpHeaders TEXT_ONLY = HttpHeaders.of(HeaderNames.CONTENT_TYPE, TEXT).copy();
    private static final HttpHeaders HTML_ONLY = HttpHeaders.of(HeaderNames.CONTENT_TYPE, HTML).copy();

    private int status;
    /** One of the shared headers above, or this response's own once it changed or handed them out. */
    private HttpHeaders headers;
    private boolean ownHeaders;
    private byte[] body = EMPTY;
    private ResponsePart.FileBody file;
    private StreamedBody stream;


    private HttpResponse(int status) {
        this(status, NONE);
    }

    private HttpResponse(int status, HttpHeaders shared) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
        this.status = status;
        this.headers = shared;
    }

    /** An empty response with {@code status}. */
    public static HttpResponse status(int status) {
        return new HttpResponse(status);
    }

    /** 200 with {@code text} as UTF-8 {@code text/plain}. */
    public static HttpResponse text(String text) {
        return text(HttpStatus.OK, text);
    }

    /** {@code status} with {@code text} as UTF-8 {@code text/plain}. */
    public static HttpResponse text(int status, String text) {
        return new HttpResponse(status, TEXT_ONLY).body(text.getBytes(StandardCharsets.UTF_8), TEXT);
    }

    /** 200 with {@code html} as UTF-8 {@code text/html}. */
    public static HttpResponse html(String html) {
        return new HttpResponse(HttpStatus.OK, HTML_ONLY).body(html.getBytes(StandardCharsets.UTF_8), HTML);
    }

    /**
     * 200 with {@code body} (not copied: do not change it afterwards) of type {@code contentType}.
     * The body counts toward the connection's {@code maxOutboundBytes} (16 MiB by default): a
     * larger one is answered 500 and logged; send it with {@link #file} or {@link #stream}.
     */
    public static HttpResponse bytes(byte[] body, String contentType) {
        return new HttpResponse(HttpStatus.OK).body(body, contentType);
    }

    /**
     * 200 with {@code length} bytes of the file at {@code path} from {@code position}, sent without
     * copying. The file is opened when the response is sent; the length must be right (take it
     * from the file's attributes).
     */
    public static HttpResponse file(Path path, long position, long length, String contentType) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("position and length must be >= 0");
        }
        HttpResponse response = new HttpResponse(HttpStatus.OK);
        response.file = new ResponsePart.FileBody(Objects.requireNonNull(path, "path"), position, length);
        response.contentType(contentType);
        return response;
    }

    /**
     * 200 whose body {@code body} writes piece by piece, sent with chunked coding (or, to an
     * HTTP/1.0 client, until the connection closes).
     */
    public static HttpResponse stream(String contentType, StreamedBody body) {
        HttpResponse response = new HttpResponse(HttpStatus.OK);
        response.stream = Objects.requireNonNull(body, "body");
        response.contentType(contentType);
        return response;
    }

    /** Adds a header (repeated names are kept). */
    public HttpResponse header(String name, String value) {
        own().add(name, value);
        return this;
    }

    /** Replaces every header named {@code name} by one with {@code value}. */
    public HttpResponse setHeader(String name, String value) {
        own().set(name, value);
        return this;
    }

    /** Replaces {@code Content-Type}. */
    public HttpResponse contentType(String contentType) {
        if (contentType != null && !(headers == TEXT_ONLY && contentType.equals(TEXT))
                && !(headers == HTML_ONLY && contentType.equals(HTML))) {
            own().set(HeaderNames.CONTENT_TYPE, contentType);
        }
        return this;
    }

    /** Replaces the status. */
    public HttpResponse withStatus(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status must have three digits: " + status);
        }
        this.status = status;
        return this;
    }

    /** Replaces the body by {@code body} (not copied) of type {@code contentType}. */
    public HttpResponse body(byte[] body, String contentType) {
        this.body = Objects.requireNonNull(body, "body");
        this.file = null;
        this.stream = null;
        return contentType(contentType);
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** The headers; changes are seen until the response is returned to the server. */
    public HttpHeaders headers() {
        return own();
    }

    /** The headers, shared or not, for reading only. */
    HttpHeaders headersToRead() {
        return headers;
    }

    /** This response's own headers, a copy of the shared ones the first time (sharing their fields until changed). */
    private HttpHeaders own() {
        if (!ownHeaders) {
            headers = headers.copy();
            ownHeaders = true;
        }
        return headers;
    }

    /** The bytes body (empty for a file or stream body). Not a copy. */
    public byte[] body() {
        return body;
    }

    ResponsePart.FileBody fileBody() {
        return file;
    }

    StreamedBody streamBody() {
        return stream;
    }

    /**
     * The codec's part that writes this response's head (and its body, unless it is streamed):
     * for a server's own pipeline, or for driving {@code HttpResponseEncoder} by hand.
     *
     * @param version  the version of the request answered
     * @param omitBody true when answering HEAD
     * @param close    true when the connection closes after this response
     */
    public ResponsePart.Head toHead(HttpVersion version, boolean omitBody, boolean close) {
        return new ResponsePart.Head(version, status, headers, body, file, stream != null, omitBody, close);
    }

    /** The body's length if it is known before sending: bytes or file; -1 for a stream. */
    public long contentLength() {
        if (stream != null) {
            return -1;
        }
        return file != null ? file.length() : body.length;
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + headers + "]";
    }
}
