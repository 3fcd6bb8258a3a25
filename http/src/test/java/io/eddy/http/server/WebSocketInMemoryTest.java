package io.eddy.http.server;

import static io.eddy.http.websocket.WireFrames.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.ConnectionGroup;
import io.eddy.http.websocket.CloseCodes;
import io.eddy.http.websocket.Frame;
import io.eddy.http.websocket.WebSocket;
import io.eddy.http.websocket.WebSocketBroadcast;
import io.eddy.http.websocket.WebSocketHandler;
import io.eddy.http.websocket.WebSocketOptions;
import io.eddy.http.websocket.WireFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The server's WebSocket routes on in-memory channels, in virtual time: handshake, protocol, timeouts. */
class WebSocketInMemoryTest {

    /** RFC 6455's own example: this key is answered with that accept value. */
    static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private InMemoryHttp server;
    private final List<String> events = new ArrayList<>();

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    /** Echoes text and binary, records what it hears. */
    private final WebSocketHandler echo = new WebSocketHandler() {
        @Override
        public void onOpen(WebSocket socket) {
            events.add("open " + socket.target() + " " + socket.subprotocol());
        }

        @Override
        public void onText(WebSocket socket, String text) {
            events.add("text " + text);
            socket.sendText(text);
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            events.add("binary " + data.remaining());
            socket.sendBinary(data);
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason) {
            events.add("close " + code);
        }
    };

    private InMemoryHttp start(WebSocketRoute route) {
        return start(router -> router.websocket("/ws", route));
    }

    private InMemoryHttp start(UnaryOperator<Router> routes) {
        Router router = routes.apply(new Router().get("/", request -> HttpResponse.text("hi")));
        server = new InMemoryHttp(builder -> builder.router(router));
        return server;
    }

    static String handshake(String extra) {
        return "GET /ws?room=1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The bytes after the 101 head, as frames. */
    private static List<Frame> framesAfterHead(String all) throws Exception {
        int end = all.indexOf("\r\n\r\n");
        return WireFrames.serverFrames(all.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 17, 64, 4096})
    void switchesAndKeepsTheFramesSentBehindTheHandshakeAtAnySplit(int chunk) throws Exception {
        start(WebSocketRoute.of(echo).subprotocols("v2", "v1"));
        InMemoryHttp.Client client = server.connect();
        byte[] wire = concat(latin1(handshake("Sec-WebSocket-Protocol: v1, v2\r\n")),
                WireFrames.text("one"), WireFrames.masked(Frame.BINARY, new byte[] {1, 2}),
                WireFrames.masked(0x80, new byte[] {3}), WireFrames.text("two"));
        client.channel.feedInChunks(wire, chunk);
        String all = client.unread();
        assertTrue(all.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), all);
        String head = all.substring(0, all.indexOf("\r\n\r\n") + 2);
        assertTrue(head.contains("Sec-WebSocket-Accept: " + ACCEPT + "\r\n"), head);
        assertTrue(head.contains("Connection: Upgrade\r\n"), head);
        assertTrue(head.contains("Upgrade: websocket\r\n"), head);
        assertTrue(head.contains("Sec-WebSocket-Protocol: v2\r\n"), "the server's preference wins: " + head);
        assertFalse(head.contains("Content-Length"), head);
        List<Frame> frames = framesAfterHead(all);
        assertEquals(3, frames.size(), frames.toString());
        assertEquals("one", WireFrames.text(frames.get(0)));
        assertEquals(Frame.BINARY, frames.get(1).opcode());
        assertEquals(3, frames.get(1).payload().remaining());
        assertEquals("two", WireFrames.text(frames.get(2)));
        assertEquals(List.of("open /ws?room=1 v2", "text one", "binary 3", "text two"), events);
    }

    @Test
    void refusesAWrongVersionWith426AndTheVersionItSpeaks() {
        start(WebSocketRoute.of(echo));
        InMemoryHttp.Client client = server.connect();
        client.send(handshake("").replace("Version: 13", "Version: 8"));
        WireClient.Response response = client.read();
        assertEquals(426, response.status());
        assertEquals("13", response.header("Sec-WebSocket-Version"));
        assertTrue(events.isEmpty());
    }

    @Test
    void answersAPlainGetOfTheRouteWith426() {
        start(WebSocketRoute.of(echo));
        InMemoryHttp.Client client = server.connect();
        client.send("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
        WireClient.Response response = client.read();
        assertEquals(426, response.status());
        assertEquals("websocket", response.header("Upgrade"));
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, client.read().status(), "the connection goes on as HTTP");
    }

    @Test
    void aPageAndItsSocketShareAPath() {
        start(router -> router.get("/ws", request -> HttpResponse.text("the page")).websocket("/ws", echo));
        InMemoryHttp.Client client = server.connect();
        client.send("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("the page", client.read().text());
        client.send(handshake(""));
        assertTrue(client.unread().startsWith("HTTP/1.1 101 "));
    }

    @Test
    void refusesABadKeyWith400() {
        start(WebSocketRoute.of(echo));
        InMemoryHttp.Client client = server.connect();
        client.send(handshake("").replace(KEY, "short"));
        assertEquals(400, client.read().status());
    }

    @Test
    void refusesAnOriginTheRouteDoesNotAllowWith403() {
        start(WebSocketRoute.of(echo).origins("https://good.example"::equals));
        InMemoryHttp.Client client = server.connect();
        client.send(handshake("Origin: https://evil.example\r\n"));
        assertEquals(403, client.read().status());
        client.send(handshake("Origin: https://good.example\r\n"));
        assertTrue(client.unread().startsWith("HTTP/1.1 101 "));
    }

    @Test
    void answersPingsBetweenFragmentsAndEchoesTheCloseCode() throws Exception {
        start(WebSocketRoute.of(echo));
        InMemoryHttp.Client client = server.connect();
        client.channel.feed(concat(latin1(handshake("")),
                WireFrames.masked(Frame.TEXT, "he".getBytes(StandardCharsets.UTF_8)),
                WireFrames.masked(0x80 | Frame.PING, new byte[] {9}),
                WireFrames.masked(0x80, "llo".getBytes(StandardCharsets.UTF_8)),
                WireFrames.close(4001, "bye")));
        List<Frame> frames = framesAfterHead(client.unread());
        assertEquals(Frame.PONG, frames.get(0).opcode());
        assertEquals("hello", WireFrames.text(frames.get(1)));
        assertEquals(Frame.CLOSE, frames.get(2).opcode());
        assertEquals(4001, WireFrames.closeCode(frames.get(2)));
        assertTrue(client.closedByServer());
        assertEquals("close 4001", events.get(events.size() - 1));
    }

    static Stream<Arguments> brokenFrames() {
        return Stream.of(
                Arguments.of("unmasked", WireFrames.frame(0x81, new byte[] {'a'}, false), CloseCodes.PROTOCOL_ERROR),
                Arguments.of("reserved bit", WireFrames.masked(0xA1, new byte[] {'a'}), CloseCodes.PROTOCOL_ERROR),
                Arguments.of("reserved opcode", WireFrames.masked(0x83, new byte[0]), CloseCodes.PROTOCOL_ERROR),
                Arguments.of("fragmented ping", WireFrames.masked(Frame.PING, new byte[0]), CloseCodes.PROTOCOL_ERROR),
                Arguments.of("continuation first", WireFrames.masked(0x80, new byte[] {'a'}), CloseCodes.PROTOCOL_ERROR),
                Arguments.of("invalid UTF-8", WireFrames.masked(0x81, new byte[] {(byte) 0xc0, (byte) 0x80}), CloseCodes.INVALID_PAYLOAD),
                Arguments.of("too big", WireFrames.masked(0x82, new byte[200]), CloseCodes.TOO_BIG),
                Arguments.of("bad close code", WireFrames.close(1005, ""), CloseCodes.PROTOCOL_ERROR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFrames")
    void closesABrokenFrameWithItsCode(String name, byte[] frame, int code) throws Exception {
        start(WebSocketRoute.of(echo).options(WebSocketOptions.defaults().withMaxMessageSize(150)));
        InMemoryHttp.Client client = server.connect();
        client.channel.feed(concat(latin1(handshake("")), frame));
        List<Frame> frames = framesAfterHead(client.unread());
        Frame close = frames.get(frames.size() - 1);
        assertEquals(Frame.CLOSE, close.opcode());
        assertEquals(code, WireFrames.closeCode(close));
        assertTrue(client.closedByServer());
        assertEquals("close " + code, events.get(events.size() - 1));
    }

    @Test
    void keepAlivePingsCloseASilentPeerInVirtualTime() throws Exception {
        start(WebSocketRoute.of(echo).options(WebSocketOptions.defaults().withPings(Duration.ofSeconds(10), Duration.ofSeconds(5))));
        InMemoryHttp.Client client = server.connect();
        client.send(handshake(""));
        client.unread();
        server.advance(Duration.ofSeconds(10));
        List<Frame> frames = WireFrames.serverFrames(client.channel.readOutbound());
        assertEquals(Frame.PING, frames.get(0).opcode());
        client.channel.feed(WireFrames.masked(0x80 | Frame.PONG, bytes(frames.get(0))));
        server.advance(Duration.ofSeconds(10));
        assertFalse(client.closedByServer(), "answered in time");
        client.channel.readOutbound();
        server.advance(Duration.ofSeconds(5));
        assertTrue(client.closedByServer(), "no pong to the second ping");
        assertEquals("close " + CloseCodes.ABNORMAL, events.get(events.size() - 1));
    }

    @Test
    void aCloseThatIsNotAnsweredEndsAtTheCloseTimeout() throws Exception {
        List<WebSocket> sockets = new ArrayList<>();
        start(WebSocketRoute.of(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                sockets.add(socket);
            }
        }).options(WebSocketOptions.defaults().withCloseTimeout(Duration.ofSeconds(3))));
        InMemoryHttp.Client client = server.connect();
        client.send(handshake(""));
        client.unread();
        sockets.get(0).close(CloseCodes.NORMAL, "done");
        server.runPendingTasks();
        List<Frame> frames = WireFrames.serverFrames(client.channel.readOutbound());
        assertEquals(CloseCodes.NORMAL, WireFrames.closeCode(frames.get(0)));
        assertFalse(client.closedByServer());
        server.advance(Duration.ofSeconds(3));
        assertTrue(client.closedByServer());
    }

    @Test
    void serverShutdownClosesSocketsWithGoingAway() throws Exception {
        start(WebSocketRoute.of(echo));
        InMemoryHttp.Client client = server.connect();
        client.send(handshake(""));
        client.unread();
        server.closeServer();
        List<Frame> frames = WireFrames.serverFrames(client.channel.readOutbound());
        assertEquals(CloseCodes.GOING_AWAY, WireFrames.closeCode(frames.get(0)));
        client.channel.feed(WireFrames.close(CloseCodes.GOING_AWAY, ""));
        assertTrue(client.closedByServer());
    }

    @Test
    void aGroupCompressesOnceForSocketsThatShareItAndFramesPlainlyForTheRest() throws Exception {
        ConnectionGroup<Frame> room = new ConnectionGroup<>(WebSocketBroadcast.PLAIN);
        start(WebSocketRoute.of(new WebSocketHandler() {
            @Override
            public void onOpen(WebSocket socket) {
                room.add(socket.connection(), WebSocketBroadcast.encoderFor(socket));
            }
        }).options(WebSocketOptions.defaults().withCompression(true).withContextTakeover(false)));
        InMemoryHttp.Client sharing = server.connect();
        sharing.send(handshake("Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        assertTrue(sharing.unread().contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"));
        InMemoryHttp.Client plain = server.connect();
        plain.send(handshake(""));
        plain.unread();
        String text = "broadcast ".repeat(200);
        room.broadcast(Frame.text(text));
        room.broadcast(Frame.text(text));
        server.runPendingTasks();
        for (Frame frame : WireFrames.serverFrames(sharing.channel.readOutbound())) {
            assertTrue(frame.rsv1(), "compressed");
            assertTrue(frame.payload().remaining() < 100, "compressed well: " + frame.payload().remaining());
            Inflater inflater = new Inflater(true);
            inflater.setInput(concat(bytes(frame), new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
            byte[] out = new byte[4000];
            int n = inflater.inflate(out);
            inflater.end();
            assertEquals(text, new String(out, 0, n, StandardCharsets.UTF_8), "each inflates alone");
        }
        List<Frame> plainFrames = WireFrames.serverFrames(plain.channel.readOutbound());
        assertEquals(2, plainFrames.size());
        assertFalse(plainFrames.get(0).rsv1());
        assertEquals(text, WireFrames.text(plainFrames.get(0)));
    }

    private static byte[] bytes(Frame frame) {
        ByteBuffer payload = frame.payload().duplicate();
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        return bytes;
    }
}
