package io.eddy.http.server;

import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.websocket.PerMessageDeflate;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketHandshake;
import java.util.List;

/**
 * The server's side of the opening handshake (RFC 6455 section 4.2): checks an upgrade request
 * and answers it, {@code 101} with the accept key, the agreed subprotocol and extension, or a
 * refusal: {@code 426} with {@code Sec-WebSocket-Version: 13} (and {@code Upgrade: websocket})
 * to a request that is not an upgrade or asks for another version, {@code 400} to a broken one,
 * {@code 403} to an origin the route refuses.
 *
 * <p>Threading: loop thread, per request; keeps nothing.
 */
final class WebSocketAccept {

    /**
     * The answer: a 101 {@code response} with what the switch needs, or a refusal ({@code handler}
     * null).
     */
    record Outcome(HttpResponse response, WebSocketHandler handler, WebSocketRoute route,
                   PerMessageDeflate.Agreement deflate, String subprotocol) {

        boolean accepted() {
            return handler != null;
        }
    }

    private WebSocketAccept() {
    }

    static Outcome answer(HttpRequest request, boolean hasBody, WebSocketRoute route) throws Exception {
        HttpHeaders headers = request.headers();
        String version = headers.get(WebSocketHandshake.SEC_VERSION);
        boolean upgrade = headers.containsToken(HeaderNames.UPGRADE, "websocket")
                && headers.containsToken(HeaderNames.CONNECTION, "upgrade");
        if (!upgrade || version != null && !version.trim().equals(WebSocketHandshake.VERSION)) {
            HttpResponse refusal = HttpResponse.status(HttpStatus.UPGRADE_REQUIRED)
                    .header(HeaderNames.UPGRADE, "websocket")
                    .header(WebSocketHandshake.SEC_VERSION, WebSocketHandshake.VERSION);
            return refused(refusal, route);
        }
        String why = broken(request, hasBody, version);
        if (why != null) {
            return refused(HttpResponse.text(HttpStatus.BAD_REQUEST, why + "\n"), route);
        }
        if (!route.origins().test(headers.get(HeaderNames.ORIGIN))) {
            return refused(HttpResponse.text(HttpStatus.FORBIDDEN, "origin not allowed\n"), route);
        }
        WebSocketHandler handler = route.handlers().apply(request);
        if (handler == null) {
            return refused(HttpResponse.text(HttpStatus.FORBIDDEN, "refused\n"), route);
        }
        HttpResponse switching = HttpResponse.status(HttpStatus.SWITCHING_PROTOCOLS)
                .header(HeaderNames.UPGRADE, "websocket")
                .header(WebSocketHandshake.SEC_ACCEPT, WebSocketHandshake.accept(headers.get(WebSocketHandshake.SEC_KEY).trim()));
        String subprotocol = subprotocol(headers.getAll(WebSocketHandshake.SEC_PROTOCOL), route.subprotocols());
        if (subprotocol != null) {
            switching.header(WebSocketHandshake.SEC_PROTOCOL, subprotocol);
        }
        PerMessageDeflate.Agreement deflate = null;
        if (route.options().compression()) {
            deflate = PerMessageDeflate.accept(headers.getAll(WebSocketHandshake.SEC_EXTENSIONS),
                    route.options().contextTakeover());
            if (deflate != null) {
                switching.header(WebSocketHandshake.SEC_EXTENSIONS, deflate.header());
            }
        }
        return new Outcome(switching, handler, route, deflate, subprotocol);
    }

    /** What makes the request a broken upgrade, or null. */
    private static String broken(HttpRequest request, boolean hasBody, String version) {
        if (!request.method().equals(HttpMethod.GET)) {
            return "a WebSocket handshake is a GET";
        }
        if (request.version() != HttpVersion.HTTP_1_1) {
            return "a WebSocket handshake needs HTTP/1.1";
        }
        if (hasBody) {
            return "a WebSocket handshake has no body";
        }
        if (version == null) {
            return "Sec-WebSocket-Version is missing";
        }
        List<String> keys = request.headers().getAll(WebSocketHandshake.SEC_KEY);
        if (keys.size() != 1 || !WebSocketHandshake.isValidKey(keys.get(0).trim())) {
            return "Sec-WebSocket-Key must be one base64 value of 16 bytes";
        }
        return null;
    }

    /** The first of the server's subprotocols that the client offers, or null. */
    private static String subprotocol(List<String> offered, List<String> preferred) {
        List<String> tokens = WebSocketHandshake.tokens(offered);
        for (String protocol : preferred) {
            if (tokens.contains(protocol)) {
                return protocol;
            }
        }
        return null;
    }

    private static Outcome refused(HttpResponse response, WebSocketRoute route) {
        return new Outcome(response, null, route, null, null);
    }
}
