package io.eddy.http.server;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.internal.HttpChars;
import io.eddy.http.websocket.WebSocketHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Routes requests by method and path pattern to handlers.
 *
 * <p>A pattern is a path of literal segments, parameters and at most one trailing wildcard:
 * {@code /users/{id}} matches {@code /users/42} with {@code id = "42"}, and {@code /static/{path...}}
 * matches everything below {@code /static/}, with {@code path = "css/site.css"}. Segments are
 * compared as received (percent-encoded); parameters are decoded, except a trailing wildcard's,
 * which is the rest of the path as received (still percent-encoded, so that an encoded slash stays
 * distinct from a separator for whoever resolves it). Routes are tried in the order
 * they were added; the first whose method and path match wins.
 *
 * <p>No match: {@code 404} when no pattern matches the path; {@code 405} with an {@code Allow}
 * header when one does but not for this method; {@code 501} for a method no route knows (CONNECT
 * among them, unless a route handles it). A {@code HEAD} request with no route of its own is
 * answered by the {@code GET} route, without its body.
 *
 * <p>Threading: build it on one thread, then hand it to a server; it is not changed afterwards, so
 * it may be shared by servers on several loops.
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();
    private final Set<String> methods = new LinkedHashSet<>();

    /**
     * A handler of one of the five kinds, for one method and pattern: exactly one of
     * {@code handler}, {@code async}, {@code streaming}, {@code blocking} and {@code websocket} is set. {@code index}
     * is its place among the router's routes, where the server's metrics count it.
     */
    record Route(String method, Pattern pattern, HttpHandler handler, HttpHandler.Async async, StreamingHandler streaming,
                 HttpHandler blocking, WebSocketRoute websocket, int index) {
    }

    /** The outcome of routing: a route and its parameters, or an error status. */
    record Match(Route route, Map<String, String> params, int status, String allow) {
    }

    /** Routes {@code GET pattern} to {@code handler} (and {@code HEAD}, without the body). */
    public Router get(String pattern, HttpHandler handler) {
        return route(HttpMethod.GET, pattern, handler);
    }

    /** Routes {@code POST pattern} to {@code handler}. */
    public Router post(String pattern, HttpHandler handler) {
        return route(HttpMethod.POST, pattern, handler);
    }

    /** Routes {@code PUT pattern} to {@code handler}. */
    public Router put(String pattern, HttpHandler handler) {
        return route(HttpMethod.PUT, pattern, handler);
    }

    /** Routes {@code DELETE pattern} to {@code handler}. */
    public Router delete(String pattern, HttpHandler handler) {
        return route(HttpMethod.DELETE, pattern, handler);
    }

    /** Routes {@code method pattern} to {@code handler}, which answers at once. */
    public Router route(String method, String pattern, HttpHandler handler) {
        return add(new Route(checkMethod(method), Pattern.parse(pattern), Objects.requireNonNull(handler, "handler"), null, null, null, null, routes.size()));
    }

    /** Routes {@code method pattern} to {@code handler}, which answers later from any thread. */
    public Router routeAsync(String method, String pattern, HttpHandler.Async handler) {
        return add(new Route(checkMethod(method), Pattern.parse(pattern), null, Objects.requireNonNull(handler, "handler"), null, null, null, routes.size()));
    }

    /** Routes {@code method pattern} to {@code handler}, which receives the body piece by piece. */
    public Router routeStreaming(String method, String pattern, StreamingHandler handler) {
        return add(new Route(checkMethod(method), Pattern.parse(pattern), null, null, Objects.requireNonNull(handler, "handler"), null, null, routes.size()));
    }

    /**
     * Routes {@code method pattern} to {@code handler}, which may block (a database call, a
     * blocking client library): it runs off the loop, on the server's
     * {@link HttpServer.Builder#blockingWork blocking work}, and its answer is written on the
     * connection's loop in request order. When that work is full, the request is answered
     * {@code 503 Service Unavailable} at once. The body is gathered first, as for a plain handler.
     * Threading: the handler runs on the work's threads, several calls at once, so what it shares
     * must be thread-safe.
     */
    public Router routeBlocking(String method, String pattern, HttpHandler handler) {
        return add(new Route(checkMethod(method), Pattern.parse(pattern), null, null, null, Objects.requireNonNull(handler, "handler"), null, routes.size()));
    }

    /**
     * Routes WebSocket handshakes ({@code GET pattern} asking to upgrade) to {@code handler}, with
     * the default {@link WebSocketRoute} settings; see {@link #websocket(String, WebSocketRoute)}.
     */
    public Router websocket(String pattern, WebSocketHandler handler) {
        return websocket(pattern, WebSocketRoute.of(handler));
    }

    /**
     * Routes WebSocket handshakes ({@code GET pattern} asking to upgrade, RFC 6455) as
     * {@code route} says: a valid one is answered {@code 101 Switching Protocols} and the connection
     * goes on as a WebSocket on the same loop; a request that is no upgrade, or asks for another
     * version than 13, gets {@code 426}; a broken one {@code 400}; a refused origin {@code 403}.
     */
    public Router websocket(String pattern, WebSocketRoute route) {
        return add(new Route(HttpMethod.GET, Pattern.parse(pattern), null, null, null, null,
                Objects.requireNonNull(route, "route"), routes.size()));
    }

    /** The routes, in the order they are tried (and indexed). */
    List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    private Router add(Route route) {
        routes.add(route);
        methods.add(route.method());
        return this;
    }

    private static String checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        for (int i = 0; i < method.length(); i++) {
            if (method.charAt(i) > 0x7f || !HttpChars.isToken((byte) method.charAt(i))) {
                throw new IllegalArgumentException("not a method token: " + method);
            }
        }
        if (method.isEmpty()) {
            throw new IllegalArgumentException("empty method");
        }
        return method;
    }

    /**
     * Routes {@code request}. A WebSocket handshake ({@code Upgrade: websocket}) goes to a WebSocket
     * route of its path before any other; any other request goes to a WebSocket route only when no
     * other route of its method matches (and is then answered {@code 426}), so a page and its socket
     * may share a path.
     */
    Match match(HttpRequest request) {
        String method = request.method();
        String path = request.path();
        boolean upgrade = method.equals(HttpMethod.GET) && request.headers().containsToken(HeaderNames.UPGRADE, "websocket");
        Match headFallback = null;
        Match sameMethod = null;
        Set<String> allowed = null;
        for (Route route : routes) {
            Map<String, String> params = route.pattern().match(path);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                Match match = new Match(route, params, 0, null);
                if (upgrade == (route.websocket() != null)) {
                    return match;
                }
                if (sameMethod == null || sameMethod.route().websocket() != null && route.websocket() == null) {
                    sameMethod = match; // the first plain route, else the first socket
                }
                continue;
            }
            if (headFallback == null && method.equals(HttpMethod.HEAD) && route.method().equals(HttpMethod.GET)
                    && route.websocket() == null) {
                headFallback = new Match(route, params, 0, null);
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(route.method());
        }
        if (sameMethod != null) {
            return sameMethod;
        }
        if (headFallback != null) {
            return headFallback;
        }
        if (!methods.contains(method) && !isStandard(method)) {
            return new Match(null, null, HttpStatus.NOT_IMPLEMENTED, null);
        }
        if (allowed == null) {
            return new Match(null, null, method.equals(HttpMethod.CONNECT) ? HttpStatus.NOT_IMPLEMENTED : HttpStatus.NOT_FOUND, null);
        }
        if (allowed.contains(HttpMethod.GET)) {
            allowed.add(HttpMethod.HEAD);
        }
        return new Match(null, null, HttpStatus.METHOD_NOT_ALLOWED, String.join(", ", allowed));
    }

    private static boolean isStandard(String method) {
        switch (method) {
            case HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
                    HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.TRACE:
                return true;
            default:
                return false;
        }
    }

    /**
     * A parsed path pattern.
     *
     * @param segments the literal segments, or null where a parameter stands
     * @param names    the parameter names, by segment (null for literals)
     * @param rest     the trailing wildcard's name, or null
     * @param literal  the whole pattern when it has no parameters (matched by equality)
     * @param text     the pattern as written, e.g. {@code /users/{id}}: a route's name in metrics
     */
    record Pattern(String[] segments, String[] names, String rest, String literal, String text) {

        static Pattern parse(String pattern) {
            if (pattern == null || !pattern.startsWith("/")) {
                throw new IllegalArgumentException("a path pattern starts with '/': " + pattern);
            }
            String[] parts = pattern.substring(1).split("/", -1);
            String[] segments = new String[parts.length];
            String[] names = new String[parts.length];
            String rest = null;
            boolean literal = true;
            for (int i = 0; i < parts.length; i++) {
                String part = parts[i];
                if (part.startsWith("{") && part.endsWith("}")) {
                    String name = part.substring(1, part.length() - 1);
                    literal = false;
                    if (name.endsWith("...")) {
                        if (i != parts.length - 1) {
                            throw new IllegalArgumentException("{name...} must be the last segment: " + pattern);
                        }
                        rest = name.substring(0, name.length() - 3);
                        segments = java.util.Arrays.copyOf(segments, i);
                        names = java.util.Arrays.copyOf(names, i);
                        break;
                    }
                    if (name.isEmpty()) {
                        throw new IllegalArgumentException("empty parameter name in " + pattern);
                    }
                    names[i] = name;
                } else if (part.contains("{") || part.contains("}")) {
                    throw new IllegalArgumentException("a parameter must be a whole segment: " + pattern);
                } else {
                    segments[i] = part;
                }
            }
            return new Pattern(segments, names, rest, literal ? pattern : null, pattern);
        }

        /** The decoded parameters if {@code path} matches, else null. */
        Map<String, String> match(String path) {
            if (literal != null) {
                return literal.equals(path) ? Map.of() : null;
            }
            if (path.isEmpty() || path.charAt(0) != '/') {
                return null;
            }
            Map<String, String> params = null;
            int at = 1;
            for (int i = 0; i < segments.length; i++) {
                if (at > path.length()) {
                    return null;
                }
                int end = path.indexOf('/', at);
                if (end < 0) {
                    end = path.length();
                } else if (i == segments.length - 1 && rest == null) {
                    return null; // more segments than the pattern has
                }
                if (segments[i] != null) {
                    if (end - at != segments[i].length() || !path.startsWith(segments[i], at)) {
                        return null;
                    }
                } else {
                    if (end == at) {
                        return null; // a parameter is never empty
                    }
                    if (params == null) {
                        params = new LinkedHashMap<>();
                    }
                    params.put(names[i], PercentCoding.decode(path.substring(at, end), false));
                }
                at = end + 1;
            }
            if (rest != null) {
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(rest, at > path.length() ? "" : path.substring(at));
            } else if (at <= path.length()) {
                return null;
            }
            return params == null ? Map.of() : Collections.unmodifiableMap(params);
        }
    }
}
