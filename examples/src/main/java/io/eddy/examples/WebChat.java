package io.eddy.examples;

import io.eddy.core.codec.Encoder;
import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionGroup;
import io.eddy.http.websocket.Frame;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketBroadcast;
import io.eddy.http.websocket.WebSocketHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat room's door for browsers: each WebSocket of {@code /chat} joins the same
 * {@link ConnectionGroup} as the TCP chat clients, with an encoder of its own that writes a chat
 * line as a WebSocket text frame, so a line is encoded once for the TCP clients and once for the
 * browsers, whoever sent it. A browser speaks as a TCP client does: it is answered
 * {@code got: text}, and everyone else gets {@code [host:port] text}.
 *
 * <p>Browsers also learn who is in the room: after anyone comes or goes, each browser gets a
 * {@code {"who": [...]}} message (chat lines never start with a brace), which the page shows.
 *
 * <p>Threading: one handler for every browser, on any loop: the group and the set of browsers are
 * thread-safe, and what a browser says is handled on its own loop.
 */
final class WebChat implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(WebChat.class);
    private static final AttributeKey<ChatSender> SENDER = AttributeKey.of("webchat.sender");
    /** A chat line as a browser's WebSocket gets it: the line's text, without its newline, in one text frame. */
    private static final Encoder<ChatLine> AS_FRAME = WebSocketBroadcast.PLAIN.compose(WebChat::frame);

    private final ConnectionGroup<ChatLine> room;
    private final Set<WebSocket> browsers = ConcurrentHashMap.newKeySet();
    private final Transcript transcript;

    /** A door into {@code room}, printing what browsers say on {@code transcript} (null: nowhere). */
    WebChat(ConnectionGroup<ChatLine> room, Transcript transcript) {
        this.room = room;
        this.transcript = transcript;
    }

    /** A room of browsers alone, for an HTTP server started without the TCP chat. */
    static WebChat alone() {
        return new WebChat(new ConnectionGroup<>(ChatLine::writeTo), null);
    }

    /**
     * A line as a text frame. Through a string, once per broadcast (not per browser): a TCP client
     * may send bytes that are not UTF-8, which a browser would take for a broken connection, and
     * decoding replaces them.
     */
    private static Frame frame(ChatLine line) {
        return Frame.text(line.toString());
    }

    @Override
    public void onOpen(WebSocket socket) {
        socket.attr(SENDER, new ChatSender("[" + name(socket.remoteAddress()) + "] "));
        browsers.add(socket);
        room.add(socket.connection(), AS_FRAME);
        log.info("{} joined from a browser ({} connected)", name(socket.remoteAddress()), room.size());
        presenceChanged();
    }

    @Override
    public void onText(WebSocket socket, String message) {
        if (message.isBlank()) {
            return;
        }
        ChatSender sender = socket.attr(SENDER);
        Text text = Text.of(message);
        if (transcript != null) {
            transcript.print(sender.prefix(), message);
        }
        socket.sendText("got: " + message);
        room.broadcastExcept(sender.relay(text), socket.connection());
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        browsers.remove(socket);
        room.remove(socket.connection());
        log.info("{} left the browser chat ({} {})", name(socket.remoteAddress()), code, reason);
        presenceChanged();
    }

    /** Tells every browser who is in the room now. Thread-safe. */
    void presenceChanged() {
        List<String> who = new ArrayList<>();
        for (Connection<ChatLine> member : room) {
            boolean browser = browsers.stream().anyMatch(b -> b.connection() == (Connection<?>) member);
            who.add("\"" + name(member.remoteAddress()) + (browser ? " (browser)" : " (tcp)") + "\"");
        }
        String message = "{\"who\": [" + String.join(", ", who) + "]}";
        browsers.forEach(browser -> browser.sendText(message));
    }

    private static String name(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort() : String.valueOf(address);
    }
}
