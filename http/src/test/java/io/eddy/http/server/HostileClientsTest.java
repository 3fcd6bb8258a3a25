package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.HttpLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients that send slowly, stall or never send: they are timed out, and nobody else waits for them. */
class HostileClientsTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("http-hostile");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private HttpServer start(HttpLimits limits) throws IOException {
        return HttpServer.on(loop).bind("127.0.0.1", 0).limits(limits)
                .get("/", req -> HttpResponse.text("served"))
                .post("/", req -> HttpResponse.text("posted"))
                .start();
    }

    @Test
    void servesANewClientWhileASlowlorisAndFiveHundredIdleConnectionsAreOpen() throws IOException {
        HttpServer server = start(HttpLimits.defaults());
        List<Socket> idle = new ArrayList<>();
        try (WireClient slowloris = WireClient.connect(server.port())) {
            for (int i = 0; i < 500; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), server.port()));
            }
            slowloris.send("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            await().until(() -> server.connectionCount() == 501);
            try (WireClient client = WireClient.connect(server.port())) {
                client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals("served", client.read().text());
            }
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    @Test
    void answersAHeadThatTakesTooLongWith408AndCloses() throws IOException {
        HttpServer server = start(HttpLimits.defaults().withHeadTimeout(Duration.ofMillis(200)));
        try (WireClient slowloris = WireClient.connect(server.port())) {
            slowloris.send("GET / HTTP/1.1\r\nHost: x\r\n");
            WireClient.Response response = slowloris.read();
            assertEquals(408, response.status());
            assertEquals("close", response.header("Connection"));
            assertTrue(slowloris.closedByServer());
        }
    }

    @Test
    void closesAKeptAliveConnectionLeftIdle() throws IOException {
        HttpServer server = start(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(200)));
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("served", client.read().text());
            assertTrue(client.closedByServer());
        }
        await().until(() -> server.connectionCount() == 0);
    }
}
