package io.eddy.http.websocket;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.HttpClientException;
import io.eddy.http.client.WebSocketRequest;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import io.eddy.http.server.Router;
import io.eddy.http.server.WebSocketRoute;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eddy's WebSocket client over loopback: against Eddy's server (ws and wss), and against servers
 * written with Python's websockets and Node's ws (each skipped, saying why, where missing).
 */
@Timeout(120)
class WebSocketClientTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dir;

    private EventLoop loop;
    private HttpServer server;
    private HttpClient client;

    /** Echoes every message; closes with 4003 when asked. */
    static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocket socket, String text) {
            socket.sendText(text);
            if (text.equals("close please")) {
                socket.close(4003, "as asked");
            }
        }

        @Override
        public void onBinary(WebSocket socket, ByteBuffer data) {
            socket.sendBinary(data);
        }
    };

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("ws-client");
        WebSocketOptions compressing = WebSocketOptions.defaults().withCompression(true);
        server = HttpServer.on(loop).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .router(new Router()
                        .get("/", request -> HttpResponse.text("not a socket"))
                        .websocket("/echo", WebSocketRoute.of(ECHO).subprotocols("b", "a").options(compressing))
                        .websocket("/small", WebSocketRoute.of(ECHO).options(WebSocketOptions.defaults().withMaxMessageSize(1000))))
                .start();
        client = HttpClient.on(loop).tls(TestCertificates.get().clientTls()).build();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (loop != null) {
            loop.close();
        }
    }

    private WebSocket open(WebSocketRequest request, WebSocketHandler handler) throws Exception {
        return client.websocket(request, handler).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Text, binary, a long fragmented message, a ping and the close asked of the server: what the
     * handler heard, the pong first (a peer may answer a ping before messages it is still echoing).
     */
    private static List<String> converse(WebSocket socket, Recorder recorder) {
        socket.sendText("h\u00e9llo");
        socket.sendBinary(new byte[] {1, 2, 3});
        socket.sendText("w".repeat(5000));
        socket.ping(ByteBuffer.wrap("p".getBytes()));
        socket.sendText("close please");
        await().atMost(WAIT).until(() -> recorder.last() != null && recorder.last().startsWith("close"));
        List<String> heard = new java.util.ArrayList<>(recorder.events);
        assertTrue(heard.remove("pong p"), heard.toString());
        heard.add(0, "pong p");
        return heard;
    }

    private static final List<String> CONVERSATION = List.of("pong p", "open", "text h\u00e9llo", "binary 010203",
            "text of 5000", "text close please", "close 4003 as asked");

    @Test
    void talksToEddysServerWithFragmentsAndCompression() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = open(WebSocketRequest.to("ws://" + HOST + ":" + server.port() + "/echo").subprotocols("a", "b")
                .options(WebSocketOptions.defaults().withCompression(true).withFragmentSize(1000)), recorder);
        assertEquals("b", socket.subprotocol(), "the server's preference");
        assertTrue(socket.compressed());
        assertEquals(CONVERSATION, converse(socket, recorder));
    }

    @Test
    void talksOverTls() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = open(WebSocketRequest.to("wss://localhost:" + server.tlsPort() + "/echo"), recorder);
        assertEquals(CONVERSATION, converse(socket, recorder));
    }

    @Test
    void aMessageOverTheServersLimitIsClosedWith1009() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = open(WebSocketRequest.to("ws://" + HOST + ":" + server.port() + "/small"), recorder);
        socket.sendText("x".repeat(2000));
        await().atMost(WAIT).until(() -> recorder.last() != null && recorder.last().startsWith("close"));
        assertTrue(recorder.last().startsWith("close 1009 "), recorder.events.toString());
    }

    @Test
    void aMessageOverTheClientsLimitIsClosedWith1009() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket socket = open(WebSocketRequest.to("ws://" + HOST + ":" + server.port() + "/echo")
                .options(WebSocketOptions.defaults().withMaxMessageSize(100)), recorder);
        socket.sendText("y".repeat(99));
        socket.sendText("z".repeat(101));
        await().atMost(WAIT).until(() -> recorder.last() != null && recorder.last().startsWith("close"));
        assertEquals("text " + "y".repeat(99), recorder.events.get(1));
        assertTrue(recorder.last().startsWith("close 1009 "), recorder.events.toString());
    }

    @Test
    void closingTheClientClosesItsSocketsGoingAway() throws Exception {
        Recorder recorder = new Recorder();
        open(WebSocketRequest.to("ws://" + HOST + ":" + server.port() + "/echo"), recorder);
        client.close();
        await().atMost(WAIT).until(() -> recorder.last() != null && recorder.last().startsWith("close"));
        assertTrue(recorder.last().startsWith("close 1001 "), recorder.events.toString());
    }

    @Test
    void aRouteThatIsNoSocketFailsTheHandshake() {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> client
                .websocket("ws://" + HOST + ":" + server.port() + "/nothing", new Recorder()).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        HttpClientException cause = assertInstanceOf(HttpClientException.class, failed.getCause());
        assertEquals(HttpClientException.Kind.BAD_RESPONSE, cause.kind());
        assertTrue(cause.getMessage().contains("404"), cause.getMessage());
    }

    @Test
    void talksToPythonsWebsocketsServer() throws Exception {
        assumeTrue(PeerServer.pythonAvailable(), "Python's websockets library (python3-websockets) is not installed");
        try (PeerServer peer = PeerServer.python(dir)) {
            talksToAPeer(peer);
        }
    }

    @Test
    void talksToNodesWsServer() throws Exception {
        assumeTrue(PeerServer.nodeAvailable(), "node or its ws library (node-ws) is not installed");
        try (PeerServer peer = PeerServer.node(dir)) {
            talksToAPeer(peer);
        }
    }

    private void talksToAPeer(PeerServer peer) throws Exception {
        for (boolean compression : new boolean[] {false, true}) {
            Recorder recorder = new Recorder();
            WebSocket socket = open(WebSocketRequest.to("ws://" + HOST + ":" + peer.port() + "/")
                    .options(WebSocketOptions.defaults().withCompression(compression).withFragmentSize(1000)), recorder);
            assertEquals(compression, socket.compressed());
            assertEquals(CONVERSATION, converse(socket, recorder));
        }
    }
}
