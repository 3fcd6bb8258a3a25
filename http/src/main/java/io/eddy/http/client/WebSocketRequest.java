package io.eddy.http.client;

import io.eddy.http.HttpHeaders;
import io.eddy.http.websocket.WebSocketOptions;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A WebSocket to open with {@link HttpClient#websocket}: the {@code ws://} or {@code wss://} URL,
 * the subprotocols to offer (preferred first), extra header fields of the handshake (an
 * {@code Origin}, a cookie, a token) and the {@link WebSocketOptions} (its {@code compression}
 * offers permessage-deflate).
 *
 * <pre>{@code
 * client.websocket(WebSocketRequest.to("wss://example.com/chat").subprotocols("chat.v1"), handler)
 *       .thenAccept(socket -> socket.sendText("hello"));
 * }</pre>
 *
 * <p>Immutable: each setter returns a copy. Threading: a value, safe anywhere.
 */
public final class WebSocketRequest {

    private final URI uri;
    private final List<String> subprotocols;
    private final HttpHeaders headers;
    private final WebSocketOptions options;

    private WebSocketRequest(URI uri, List<String> subprotocols, HttpHeaders headers, WebSocketOptions options) {
        this.uri = uri;
        this.subprotocols = subprotocols;
        this.headers = headers;
        this.options = options;
    }

    /**
     * A handshake to {@code url}, which must be {@code ws://} or {@code wss://} with a host.
     *
     * @throws IllegalArgumentException for another scheme or no host
     */
    public static WebSocketRequest to(String url) {
        URI uri = URI.create(Objects.requireNonNull(url, "url"));
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
            throw new IllegalArgumentException("a WebSocket URL is ws:// or wss:// with a host: " + url);
        }
        return new WebSocketRequest(uri, List.of(), new HttpHeaders(), WebSocketOptions.defaults());
    }

    /** Offers these subprotocols, preferred first; the server picks one, or none. */
    public WebSocketRequest subprotocols(String... offered) {
        return new WebSocketRequest(uri, List.of(offered), headers, options);
    }

    /** Adds a header field to the handshake (not one of the handshake's own: those are the client's). */
    public WebSocketRequest header(String name, String value) {
        HttpHeaders more = new HttpHeaders();
        headers.forEach(more::add);
        more.add(name, value);
        return new WebSocketRequest(uri, subprotocols, more, options);
    }

    /** The socket's limits, timeouts and compression. */
    public WebSocketRequest options(WebSocketOptions options) {
        return new WebSocketRequest(uri, subprotocols, headers, Objects.requireNonNull(options, "options"));
    }

    public URI uri() {
        return uri;
    }

    public List<String> subprotocols() {
        return subprotocols;
    }

    public WebSocketOptions options() {
        return options;
    }

    HttpHeaders headers() {
        return headers;
    }

    @Override
    public String toString() {
        return "WebSocketRequest[" + uri + "]";
    }
}
