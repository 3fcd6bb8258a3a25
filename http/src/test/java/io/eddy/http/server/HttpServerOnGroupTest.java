package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An HTTP server on a group of loops, over loopback: spread, per-loop state, and the phased shutdown. */
class HttpServerOnGroupTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    private EventLoopGroup group;

    @BeforeEach
    void startGroup() {
        group = EventLoopGroup.start("http-group", 2);
    }

    @AfterEach
    void closeGroup() {
        group.close();
    }

    @Test
    void spreadsConnectionsOverTheLoopsAndServesEach() throws IOException {
        HttpServer server = HttpServer.on(group).bind("127.0.0.1", 0)
                .get("/", req -> HttpResponse.text(Thread.currentThread().getName())).start();
        List<WireClient> clients = new ArrayList<>();
        try {
            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                WireClient client = WireClient.connect(server.port());
                clients.add(client);
                client.send(GET);
                WireClient.Response response = client.read();
                assertEquals(200, response.status());
                assertTrue(response.header("Date").endsWith(" GMT"), response.toString());
                servedBy.add(response.text());
            }
            for (EventLoop loop : group) {
                assertEquals(20, loop.openConnections(), loop + " holds its half of the connections");
                assertTrue(servedBy.contains(loop.name()), "a handler ran on " + loop.name());
            }
            assertEquals(40, server.connectionCount());
        } finally {
            for (WireClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void closingTheServerClosesTheConnectionsOfEveryLoop() throws IOException {
        HttpServer server = HttpServer.on(group).bind("127.0.0.1", 0)
                .get("/", req -> HttpResponse.text("hi")).start();
        List<WireClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                WireClient client = WireClient.connect(server.port());
                clients.add(client);
                client.send(GET);
                assertEquals("hi", client.read().text());
            }
            server.close();
            for (WireClient client : clients) {
                assertTrue(client.closedByServer());
            }
            await().until(() -> server.connectionCount() == 0);
        } finally {
            for (WireClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void aGroupShutdownAnswersEveryRequestInFlightWithConnectionClose() throws Exception {
        int requests = 200;
        Queue<CompletableFuture<HttpResponse>> pending = new ConcurrentLinkedQueue<>();
        HttpServer server = HttpServer.on(group).bind("127.0.0.1", 0).maxConnections(1000)
                .routeAsync("GET", "/", req -> {
                    CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
                    pending.add(answer);
                    return answer;
                }).start();
        List<WireClient> clients = new ArrayList<>();
        List<WireClient> idle = new ArrayList<>();
        try {
            for (int i = 0; i < requests; i++) {
                WireClient client = WireClient.connect(server.port());
                clients.add(client);
                client.send(GET);
            }
            for (int i = 0; i < 10; i++) {
                idle.add(WireClient.connect(server.port()));
            }
            await().until(() -> pending.size() == requests);
            CompletableFuture<Void> down = group.shutdown(Duration.ofSeconds(30));
            for (WireClient client : idle) {
                assertTrue(client.closedByServer(), "an idle keep-alive connection closes at once");
            }
            // Answered after the shutdown began, from another thread, as a slow handler would.
            pending.forEach(answer -> answer.complete(HttpResponse.text("done")));
            for (WireClient client : clients) {
                WireClient.Response response = client.read();
                assertEquals("done", response.text());
                assertEquals("close", response.header("Connection"));
                assertTrue(client.closedByServer());
            }
            down.get(30, TimeUnit.SECONDS);
        } finally {
            for (WireClient client : clients) {
                client.close();
            }
            for (WireClient client : idle) {
                client.close();
            }
        }
    }
}
