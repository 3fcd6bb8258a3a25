package io.eddy.http.client;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpMethod;
import io.eddy.http.StreamedBody;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.internal.HttpChars;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An HTTP request for {@link HttpClient#send}: a method, an {@code http://} or {@code https://}
 * URL, header fields, and a body of bytes or a streamed one.
 *
 * <pre>{@code
 * Request.get("http://127.0.0.1:9990/hello");
 * Request.post("http://127.0.0.1:9990/echo", "name=eddy", "application/x-www-form-urlencoded");
 * Request.builder("PUT", url).header("Accept", "text/plain").body(bytes, "application/octet-stream").build();
 * }</pre>
 *
 * <p>The client owns the framing: {@code Host} comes from the URL, {@code Content-Length} from a
 * body of bytes ({@code 0} for a POST, PUT or PATCH without one), {@code Transfer-Encoding:
 * chunked} from a streamed body; setting any of them by hand is refused. The URL is parsed with
 * {@link URI}: it must be absolute, with the scheme {@code http} or {@code https} and a host.
 *
 * <p>Threading: immutable (its headers are a copy taken by the builder; do not change the
 * array of a body once it is handed over), so one request may be sent many times, from any thread.
 */
public final class Request {

    /** http's default port. */
    static final int HTTP_PORT = 80;
    /** https's default port. */
    static final int HTTPS_PORT = 443;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final String method;
    private final URI uri;
    private final HttpHeaders headers;
    private final byte[] body;
    private final StreamedBody stream;

    private Request(String method, URI uri, HttpHeaders headers, byte[] body, StreamedBody stream) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
        this.stream = stream;
    }

    /**
     * The largest body given whole (bytes or text): what a connection queues at once (16 MiB,
     * core's {@code maxOutboundBytes}) less 64 KiB for the head. Larger bodies are streamed.
     */
    public static final int MAX_BODY_BYTES = 16 * 1024 * 1024 - 64 * 1024;

    /** {@code GET url}. */
    public static Request get(String url) {
        return builder(HttpMethod.GET, url).build();
    }

    /** {@code POST url} with {@code body} as UTF-8 text ({@code text/plain; charset=utf-8}). */
    public static Request post(String url, String body) {
        return builder(HttpMethod.POST, url).body(body).build();
    }

    /** {@code POST url} with {@code body} as UTF-8 text of {@code contentType}. */
    public static Request post(String url, String body, String contentType) {
        return builder(HttpMethod.POST, url).body(body, contentType).build();
    }

    /** {@code POST url} with {@code body} of {@code contentType}. */
    public static Request post(String url, byte[] body, String contentType) {
        return builder(HttpMethod.POST, url).body(body, contentType).build();
    }

    /**
     * A request to build.
     *
     * @throws IllegalArgumentException if {@code method} is not a token, or {@code url} is not an
     *     absolute {@code http://} or {@code https://} URL with a host
     */
    public static Builder builder(String method, String url) {
        return new Builder(method, parse(url));
    }

    /** The method, such as {@code GET}. */
    public String method() {
        return method;
    }

    /** The URL. */
    public URI uri() {
        return uri;
    }

    /** A copy of the header fields set on the request (without those the client adds). */
    public HttpHeaders headers() {
        return copy(headers);
    }

    /** The body's bytes (the request's own array: do not change it), or null with none or a streamed one. */
    public byte[] body() {
        return body;
    }

    /** Whether the body is streamed in chunked coding (such a request cannot be repeated by the client). */
    public boolean isStreamed() {
        return stream != null;
    }

    /** The streamed body, or null. */
    StreamedBody stream() {
        return stream;
    }

    /** The headers themselves, for the encoder. */
    /**
     * The codec's part that writes this request's head (and its body, unless it is streamed):
     * for the client's own connections, or for driving {@code HttpRequestEncoder} by hand.
     *
     * @param userAgent the {@code User-Agent} sent when the request has none (null: none)
     */
    public ClientRequestPart.Head toHead(String userAgent) {
        return new ClientRequestPart.Head(method, target(uri), authority(uri), fields(), body, isStreamed(), userAgent);
    }

    /** The origin-form target (RFC 9112 §3.2.1): the path as the URL wrote it, and its query. */
    static String target(URI uri) {
        String path = uri.getRawPath();
        String target = path == null || path.isEmpty() ? "/" : path;
        return uri.getRawQuery() == null ? target : target + "?" + uri.getRawQuery();
    }

    /** {@code Host}'s value: the URL's host, and its port unless it is the scheme's default. */
    static String authority(URI uri) {
        int port = uri.getPort();
        return port < 0 || port == defaultPort(uri) ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** Whether {@code uri} is an {@code https} (or {@code wss}) URL (checked: else it is {@code http} or {@code ws}). */
    static boolean isHttps(URI uri) {
        return uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("wss");
    }

    /** The port {@code uri} names, or its scheme's default. */
    static int port(URI uri) {
        return uri.getPort() < 0 ? defaultPort(uri) : uri.getPort();
    }

    private static int defaultPort(URI uri) {
        return isHttps(uri) ? HTTPS_PORT : HTTP_PORT;
    }

    /** Whether the client speaks {@code scheme}: http or https, in any case. */
    static boolean isSupportedScheme(String scheme) {
        return scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https");
    }

    HttpHeaders fields() {
        return headers;
    }

    /** This request sent to {@code target} instead, as a redirect makes it: with {@code newMethod}, with or without the body. */
    Request redirected(URI target, String newMethod, boolean keepBody, boolean sameOrigin) {
        HttpHeaders kept = copy(headers);
        if (!sameOrigin) {
            // Credentials were meant for the origin they were given to.
            kept.remove("Authorization");
            kept.remove(HeaderNames.COOKIE);
        }
        if (!keepBody) {
            kept.remove(HeaderNames.CONTENT_TYPE);
        }
        return new Request(newMethod, target, kept, keepBody ? body : null, keepBody ? stream : null);
    }

    /** Checks {@code uri} is one the client can send to; the message says what was expected. */
    static URI check(URI uri, String url) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("expected an absolute URL starting with http:// or https://, got \""
                    + url + "\"");
        }
        if (!isSupportedScheme(scheme)) {
            throw new IllegalArgumentException("unsupported scheme \"" + scheme + "\": expected an http:// or https:// URL,"
                    + " got \"" + url + "\"");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("expected an " + scheme.toLowerCase(java.util.Locale.ROOT)
                    + ":// URL with a host, got \"" + url + "\"");
        }
        return uri;
    }

    private static URI parse(String url) {
        Objects.requireNonNull(url, "url");
        try {
            return check(new URI(url), url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
        }
    }

    private static HttpHeaders copy(HttpHeaders headers) {
        HttpHeaders copy = new HttpHeaders();
        headers.forEach(copy::add);
        return copy;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }

    /**
     * Builds a {@link Request}. Threading: one thread at a time.
     */
    public static final class Builder {

        private final String method;
        private final URI uri;
        private final HttpHeaders headers = new HttpHeaders();
        private byte[] body;
        private StreamedBody stream;

        private Builder(String method, URI uri) {
            Objects.requireNonNull(method, "method");
            if (method.isEmpty() || !method.chars().allMatch(c -> c < 128 && HttpChars.isToken((byte) c))) {
                throw new IllegalArgumentException("not a method (a token such as GET): \"" + method + "\"");
            }
            this.method = method;
            this.uri = uri;
        }

        /**
         * Adds a header field.
         *
         * @throws IllegalArgumentException if the name or value is invalid, or it is a field the
         *     client sets itself ({@code Host}, {@code Content-Length}, {@code Transfer-Encoding})
         */
        public Builder header(String name, String value) {
            if (name.equalsIgnoreCase(HeaderNames.HOST) || name.equalsIgnoreCase(HeaderNames.CONTENT_LENGTH)
                    || name.equalsIgnoreCase(HeaderNames.TRANSFER_ENCODING)) {
                throw new IllegalArgumentException(name + " is set by the client from the URL and the body");
            }
            headers.add(name, value);
            return this;
        }

        /** The body, as bytes of no declared type. */
        public Builder body(byte[] bytes) {
            Objects.requireNonNull(bytes, "bytes");
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("a body of " + bytes.length + " bytes is over " + MAX_BODY_BYTES
                        + ", the most a connection queues at once: send it with streamBody");
            }
            this.body = bytes;
            this.stream = null;
            return this;
        }

        /** The body, as bytes of {@code contentType}. */
        public Builder body(byte[] bytes, String contentType) {
            headers.set(HeaderNames.CONTENT_TYPE, contentType);
            return body(bytes);
        }

        /** The body, as UTF-8 text ({@code text/plain; charset=utf-8}). */
        public Builder body(String text) {
            return body(text, TEXT);
        }

        /** The body, as UTF-8 text of {@code contentType}. */
        public Builder body(String text, String contentType) {
            return body(text.getBytes(StandardCharsets.UTF_8), contentType);
        }

        /**
         * The body, streamed in chunked coding: {@code body.writeTo} runs on the loop once the head
         * is sent, and writes pieces until it ends the body (the server's {@link StreamedBody}
         * contract). A streamed request is never retried nor sent again on a 307/308 redirect.
         */
        public Builder streamBody(StreamedBody body) {
            this.stream = Objects.requireNonNull(body, "body");
            this.body = null;
            return this;
        }

        /** The request. */
        public Request build() {
            byte[] b = body;
            if (b == null && stream == null && (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT)
                    || method.equals(HttpMethod.PATCH))) {
                b = new byte[0]; // announced as Content-Length: 0, as RFC 9110 §8.6 asks
            }
            return new Request(method, uri, copy(headers), b, stream);
        }
    }
}
