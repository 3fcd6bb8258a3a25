package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A handler that writes down what it hears, as lines a test can compare. Threading: any loop; read from any thread. */
public class Recorder implements WebSocketHandler {

    public final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onOpen(WebSocket socket) {
        events.add("open");
    }

    @Override
    public void onText(WebSocket socket, String text) {
        events.add(text.length() > 100 ? "text of " + text.length() : "text " + text);
    }

    @Override
    public void onBinary(WebSocket socket, ByteBuffer data) {
        StringBuilder hex = new StringBuilder();
        while (data.hasRemaining() && hex.length() < 40) {
            hex.append(String.format("%02x", data.get()));
        }
        events.add("binary " + hex);
    }

    @Override
    public void onPong(WebSocket socket, ByteBuffer data) {
        events.add("pong " + StandardCharsets.UTF_8.decode(data));
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason) {
        events.add("close " + code + " " + reason);
    }

    /** The last event, or null. */
    public String last() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }
}
