package io.eddy.http.server;

import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketOptions;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a WebSocket route accepts and who handles its sockets: the handler (one for all, or one per
 * handshake), the subprotocols the server speaks in its order of preference, the origins it lets
 * in, and the {@link WebSocketOptions}. Given to {@link Router#websocket(String, WebSocketRoute)}.
 *
 * <pre>{@code
 * router.websocket("/chat", WebSocketRoute.of(room).subprotocols("chat.v1")
 *         .origins(origin -> "https://example.com".equals(origin))
 *         .options(WebSocketOptions.defaults().withCompression(true)));
 * }</pre>
 *
 * <p>Immutable: each setter returns a copy. Threading: the handler factory and the origin check
 * run on the connection's loop thread (several loops at once on a group) and must not block.
 */
public final class WebSocketRoute {

    private final Function<HttpRequest, WebSocketHandler> handlers;
    private final List<String> subprotocols;
    private final Predicate<String> origins;
    private final WebSocketOptions options;

    private WebSocketRoute(Function<HttpRequest, WebSocketHandler> handlers, List<String> subprotocols,
                           Predicate<String> origins, WebSocketOptions options) {
        this.handlers = handlers;
        this.subprotocols = subprotocols;
        this.origins = origins;
        this.options = options;
    }

    /** Every socket of the route goes to {@code handler} (which keeps per-socket state in attributes). */
    public static WebSocketRoute of(WebSocketHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return perSocket(request -> handler);
    }

    /**
     * Each handshake asks {@code factory} for its socket's handler, given the request (its path
     * parameters, headers, client address); null refuses the handshake with 403.
     */
    public static WebSocketRoute perSocket(Function<HttpRequest, WebSocketHandler> factory) {
        return new WebSocketRoute(Objects.requireNonNull(factory, "factory"), List.of(), origin -> true,
                WebSocketOptions.defaults());
    }

    /**
     * The subprotocols the server speaks, preferred first: the first that the client also offers is
     * agreed; when none is, the socket opens with no subprotocol (the client may then close it).
     */
    public WebSocketRoute subprotocols(String... preferred) {
        return new WebSocketRoute(handlers, List.of(preferred), origins, options);
    }

    /**
     * Lets in only handshakes whose {@code Origin} (null when the client sent none, as non-browser
     * clients do) {@code allowed} accepts; the others are refused with 403. Browsers send the
     * page's origin, so this is how a server keeps other sites' pages off its sockets.
     */
    public WebSocketRoute origins(Predicate<String> allowed) {
        return new WebSocketRoute(handlers, subprotocols, Objects.requireNonNull(allowed, "allowed"), options);
    }

    /** The sockets' limits, timeouts and compression. */
    public WebSocketRoute options(WebSocketOptions options) {
        return new WebSocketRoute(handlers, subprotocols, origins, Objects.requireNonNull(options, "options"));
    }

    Function<HttpRequest, WebSocketHandler> handlers() {
        return handlers;
    }

    List<String> subprotocols() {
        return subprotocols;
    }

    Predicate<String> origins() {
        return origins;
    }

    WebSocketOptions options() {
        return options;
    }
}
