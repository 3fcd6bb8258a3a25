package io.eddy.http.client;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpStatus;
import io.eddy.http.codec.ClientRequestPart;
import io.eddy.http.codec.ClientResponsePart;
import io.eddy.http.codec.HttpResponseDecoder;
import io.eddy.http.websocket.PerMessageDeflate;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketHandshake;
import io.eddy.http.websocket.WebSocketUpgrade;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client's side of the opening handshake (RFC 6455 section 4.1) on a connection of its own:
 * sends the upgrade request, checks the {@code 101} (the accept key, the subprotocol and the
 * extension against what was offered) and switches the connection to WebSocket; anything else
 * fails the future with an {@link HttpClientException} and closes the connection. The whole
 * handshake, connecting excluded, is bounded by the client's response timeout.
 *
 * <p>Threading: loop thread only.
 */
final class WebSocketDial implements Handler<ClientResponsePart, ClientRequestPart> {

    final CompletableFuture<WebSocket> future = new CompletableFuture<>();
    private final WebSocketRequest request;
    private final WebSocketHandler handler;
    private final ClientSettings settings;
    private final HttpResponseDecoder decoder;
    private final String key = WebSocketHandshake.newKey();
    private ScheduledTask deadline;

    WebSocketDial(WebSocketRequest request, WebSocketHandler handler, ClientSettings settings) {
        this.request = request;
        this.handler = handler;
        this.settings = settings;
        this.decoder = new HttpResponseDecoder(settings.limits());
    }

    HttpResponseDecoder decoder() {
        return decoder;
    }

    @Override
    public void onOpen(Connection<ClientRequestPart> connection) {
        HttpHeaders headers = new HttpHeaders();
        request.headers().forEach(headers::add);
        headers.set(HeaderNames.UPGRADE, "websocket");
        headers.set(HeaderNames.CONNECTION, "Upgrade");
        headers.set(WebSocketHandshake.SEC_KEY, key);
        headers.set(WebSocketHandshake.SEC_VERSION, WebSocketHandshake.VERSION);
        if (!request.subprotocols().isEmpty()) {
            headers.set(WebSocketHandshake.SEC_PROTOCOL, String.join(", ", request.subprotocols()));
        }
        if (request.options().compression()) {
            headers.set(WebSocketHandshake.SEC_EXTENSIONS, PerMessageDeflate.offer(request.options().contextTakeover()));
        }
        decoder.expectResponseTo("GET", true);
        connection.write(new ClientRequestPart.Head("GET", Request.target(request.uri()), Request.authority(request.uri()),
                headers, null, false, settings.userAgent()));
        deadline = connection.loop().schedule(settings.responseTimeout(), () -> fail(connection,
                new HttpClientException(HttpClientException.Kind.TIMEOUT, "no handshake answer within " + settings.responseTimeout())));
    }

    @Override
    public void onMessage(Connection<ClientRequestPart> connection, ClientResponsePart part) {
        if (future.isDone() || !(part instanceof ClientResponsePart.Head head)) {
            return;
        }
        if (head.status() != HttpStatus.SWITCHING_PROTOCOLS) {
            fail(connection, bad("the server answered " + head.status() + " " + head.reason() + " instead of switching"));
            return;
        }
        HttpHeaders headers = head.headers();
        String accept = headers.get(WebSocketHandshake.SEC_ACCEPT);
        if (!headers.containsToken(HeaderNames.UPGRADE, "websocket") || !headers.containsToken(HeaderNames.CONNECTION, "upgrade")) {
            fail(connection, bad("the 101 lacks Upgrade: websocket or Connection: Upgrade"));
            return;
        }
        if (accept == null || !accept.trim().equals(WebSocketHandshake.accept(key))) {
            fail(connection, bad("Sec-WebSocket-Accept does not answer the key sent"));
            return;
        }
        String subprotocol = headers.get(WebSocketHandshake.SEC_PROTOCOL);
        if (subprotocol != null && !request.subprotocols().contains(subprotocol.trim())) {
            fail(connection, bad("the server chose the subprotocol " + subprotocol + ", which was not offered"));
            return;
        }
        PerMessageDeflate.Agreement deflate;
        List<String> extensions = headers.getAll(WebSocketHandshake.SEC_EXTENSIONS);
        try {
            deflate = request.options().compression()
                    ? PerMessageDeflate.answered(extensions, request.options().contextTakeover())
                    : none(extensions);
        } catch (IllegalArgumentException e) {
            fail(connection, bad(e.getMessage()));
            return;
        }
        deadline.cancel();
        WebSocket socket = WebSocketUpgrade.switchTo(connection, true, handler, request.options(), deflate,
                subprotocol == null ? null : subprotocol.trim(), Request.target(request.uri()));
        future.complete(socket);
    }

    private static PerMessageDeflate.Agreement none(List<String> extensions) {
        if (!WebSocketHandshake.tokens(extensions).isEmpty()) {
            throw new IllegalArgumentException("the server answered extensions not offered: " + extensions);
        }
        return null;
    }

    @Override
    public void onDecodeError(Connection<ClientRequestPart> connection, DecodeException error) {
        fail(connection, new HttpClientException(HttpClientException.Kind.BAD_RESPONSE, error.getMessage(), error));
    }

    @Override
    public void onClose(Connection<ClientRequestPart> connection, CloseReason reason) {
        if (deadline != null) {
            deadline.cancel();
        }
        future.completeExceptionally(new HttpClientException(HttpClientException.Kind.CONNECTION_CLOSED,
                "the connection closed during the handshake: " + reason));
    }

    private static HttpClientException bad(String message) {
        return new HttpClientException(HttpClientException.Kind.BAD_RESPONSE, "WebSocket handshake refused: " + message);
    }

    private void fail(Connection<ClientRequestPart> connection, HttpClientException failure) {
        if (deadline != null) {
            deadline.cancel();
        }
        future.completeExceptionally(failure);
        connection.close();
    }
}
