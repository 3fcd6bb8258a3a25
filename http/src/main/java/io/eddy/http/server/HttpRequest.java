package io.eddy.http.server;

import io.eddy.core.tls.TlsSession;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpVersion;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.internal.BodyText;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the server received it: method, target, version, headers, and (for a handler that
 * asked for a gathered body) the body.
 *
 * <p>The target is kept as received; {@link #path()} is its path part, still percent-encoded, so
 * that an encoded slash ({@code %2F}) is never mistaken for a separator. Path parameters
 * ({@link #pathParam}) and query parameters ({@link #queryParam}) are decoded.
 *
 * <p>Like {@link #remoteAddress()}, {@link #isSecure()}, {@link #scheme()} and {@link #tls()} tell
 * about the connection the request came on: over TLS (a server's {@code bindTls} listener) or not,
 * and what TLS agreed, the client's certificates included.
 *
 * <p>Threading: not thread-safe, but immutable once the handler receives it, so a handler may pass
 * it to another thread to answer there.
 */
public final class HttpRequest {

    private static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final String target;
    private final String path;
    private final String rawQuery;
    private final HttpVersion version;
    private final HttpHeaders headers;
    private final String targetAuthority;
    private byte[] body = NO_BODY;
    private InetSocketAddress remoteAddress;
    /** What TLS agreed for the request's connection, or null over plaintext (and for a request made by hand). */
    private TlsSession tls;

    /** The client, scheme and host as trusted proxies said, or as the connection saw them; null when made by hand. */
    private Origin origin;
    private Map<String, String> pathParams = Map.of();
    private Map<String, List<String>> queryParams;

    /** The request the codec read, from {@code remoteAddress}, over TLS when {@code tls} is not null. */
    HttpRequest(RequestPart.Head head, InetSocketAddress remoteAddress, TlsSession tls) {
        this(head.method(), head.target(), head.path(), head.rawQuery(), head.version(), head.headers(),
                head.targetAuthority());
        this.remoteAddress = remoteAddress;
        this.tls = tls;
    }

    private HttpRequest(String method, String target, String path, String rawQuery, HttpVersion version,
            HttpHeaders headers, String targetAuthority) {
        this.method = method;
        this.target = target;
        this.path = path;
        this.rawQuery = rawQuery;
        this.version = version;
        this.headers = headers;
        this.targetAuthority = targetAuthority;
    }

    /**
     * A request made by hand, for testing handlers without a server: {@code target} in origin form
     * ({@code /path?query}).
     */
    public static HttpRequest of(String method, String target, HttpHeaders headers, byte[] body) {
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("target must start with '/': " + target);
        }
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);
        HttpRequest request = new HttpRequest(method, target, path, query, HttpVersion.HTTP_1_1, headers, null);
        request.body = body.clone();
        return request;
    }

    /** The method, as received ({@code GET}); known methods are the {@link io.eddy.http.HttpMethod} constants. */
    public String method() {
        return method;
    }

    /** The request target as received: {@code /a/b?x=1}, {@code http://host/a}, {@code *} or {@code host:443}. */
    public String target() {
        return target;
    }

    /**
     * The target's path, still percent-encoded: {@code /a/b} for {@code /a/b?x=1} and for
     * {@code http://host/a/b}; {@code *} for an asterisk-form target; empty for CONNECT's
     * authority form.
     */
    public String path() {
        return path;
    }

    /**
     * The authority the request is for, {@code host} or {@code host:port} as received (RFC 9112
     * §3.3): that of the target when it has one, an absolute-form target ({@code example.com:8080}
     * for {@code http://example.com:8080/a}) or CONNECT's authority-form, and then a received
     * {@code Host} is ignored (RFC 9112 §3.2.2); otherwise the {@code Host} header's value, which
     * may be empty; null when there is neither (an HTTP/1.0 request without {@code Host}). The
     * decoder has checked its syntax; it is neither lower-cased nor given a default port.
     */
    public String authority() {
        return targetAuthority != null ? targetAuthority : headers.get(HeaderNames.HOST);
    }

    /** The query after {@code ?}, still encoded, or null if there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first value of query parameter {@code name}, decoded, or null. */
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.get(0);
    }

    /** Every query parameter, decoded ({@code +} as space), names in order of first appearance. */
    public Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            queryParams = PercentCoding.parseQuery(rawQuery);
        }
        return queryParams;
    }

    /**
     * Path parameter {@code name} of the matched route ({@code id} in {@code /users/{id}}), decoded;
     * or null. A trailing wildcard ({@code {path...}}) is the rest of the path still encoded.
     */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Every path parameter of the matched route, decoded. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    /** The protocol version. */
    public HttpVersion version() {
        return version;
    }

    /** The header fields, in order received. */
    public HttpHeaders headers() {
        return headers;
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body gathered for the handler (empty if none, or if the handler streams it). Not a copy: do not change it. */
    public byte[] body() {
        return body;
    }

    void body(byte[] body) {
        this.body = body;
    }

    /** The body as text, in the {@code charset} of its {@code Content-Type}, UTF-8 if none is given. */
    public String bodyText() {
        return BodyText.decode(body, headers.get(HeaderNames.CONTENT_TYPE));
    }

    /**
     * The address of the connection's peer (null for a request made by hand): the client, or the
     * proxy in front of the server. A PROXY protocol header from a proxy makes it the client's
     * (see {@code HttpServer.Builder.proxyProtocol}); forwarded headers do not change it: see
     * {@link #clientAddress()}.
     */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * Whether the request came over TLS, on the server's {@code bindTls} listener (false for a
     * request made by hand).
     */
    public boolean isSecure() {
        return tls != null;
    }

    /**
     * What TLS agreed for the connection the request came on: protocol, cipher suite, ALPN name,
     * the server name the client asked for, and the client's certificates when the server asked
     * for them ({@code ServerTls.Builder.clientAuth}). Empty over plaintext, as
     * {@code Connection.tls()} is.
     */
    public Optional<TlsSession> tls() {
        return Optional.ofNullable(tls);
    }

    /**
     * The client's address: what the server's trusted proxies say in their forwarded headers
     * ({@code HttpServer.Builder.trustedProxies}) when the request came through one, else
     * {@link #remoteAddress()}. Its port is 0 when the proxy named only the address.
     */
    public InetSocketAddress clientAddress() {
        return origin != null ? origin.client() : remoteAddress;
    }

    /**
     * {@code https} or {@code http}: the scheme the client used, as a trusted proxy says
     * ({@code X-Forwarded-Proto}, or {@code proto} of {@code Forwarded}), else the connection's own
     * (https over TLS).
     */
    public String scheme() {
        return origin != null ? origin.scheme() : tls != null ? "https" : "http";
    }

    /**
     * The host (and port) the client asked for: as a trusted proxy says ({@code X-Forwarded-Host},
     * or {@code host} of {@code Forwarded}), else {@link #authority()}.
     */
    public String host() {
        return origin != null && origin.host() != null ? origin.host() : authority();
    }

    void origin(Origin origin) {
        this.origin = origin;
    }

    @Override
    public String toString() {
        return method + " " + target + " " + version;
    }
}
