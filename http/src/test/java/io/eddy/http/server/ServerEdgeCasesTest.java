package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.BodyWriter;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corners where a server can hang, spin, mix up requests or lose answers; each was once wrong. */
class ServerEdgeCasesTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("http-edges");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private HttpServer.Builder server() {
        return HttpServer.on(loop).bind("127.0.0.1", 0);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    /** Writes while it can, then waits to be called back: the pattern of the guide. */
    private static void pump(BodyWriter writer, AtomicLong runs) {
        runs.incrementAndGet();
        while (writer.isWritable()) {
            writer.write("x".repeat(1000));
        }
        writer.onWritable(() -> pump(writer, runs));
    }

    @Test
    void aStreamingPumpStopsWhenTheClientGoesAway() throws IOException {
        AtomicLong runs = new AtomicLong();
        AtomicReference<BodyWriter> writer = new AtomicReference<>();
        HttpServer server = server().get("/stream", req -> HttpResponse.stream("text/plain", w -> {
            writer.set(w);
            pump(w, runs);
        })).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.socket().setReceiveBufferSize(4096);
            client.send(get("/stream"));
            await().until(() -> writer.get() != null && !writer.get().isWritable());
            client.socket().setSoLinger(true, 0);
        }
        await().until(() -> server.connectionCount() == 0);
        assertTrue(!writer.get().isOpen());
        long settled = runs.get();
        // Closed while waiting to be writable: the waiting action is dropped, not run in a loop.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> runs.get() == settled);
        CompletableFuture<Void> late = writer.get().write("late").toCompletableFuture();
        assertThrows(java.util.concurrent.ExecutionException.class, () -> late.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void readsTheBodyEvenWhenOnlyOneRequestMayWait() throws IOException {
        HttpServer server = server().limits(HttpLimits.defaults().withMaxPipelinedRequests(1))
                .post("/echo", req -> HttpResponse.text(req.bodyText())).start();
        try (WireClient client = WireClient.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
                assertEquals("hello", client.read().text());
            }
        }
    }

    @Test
    void answersAnEarlierAsyncRequestBeforeTheErrorOfABrokenOneBehindIt() throws IOException {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        HttpServer server = server().routeAsync("GET", "/slow", req -> slow).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/slow") + "GET /bad HTTP/1.1\r\n\r\n");
            slow.completeAsync(() -> HttpResponse.text("slow ok"));
            assertEquals("slow ok", client.read().text());
            WireClient.Response error = client.read();
            assertEquals(400, error.status());
            assertTrue(error.text().contains("Host"), error.text());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void answersABrokenChunkedBodyWith400() throws IOException {
        HttpServer server = server().post("/echo", req -> HttpResponse.text(req.bodyText())).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
            WireClient.Response response = client.read();
            assertEquals(400, response.status());
            assertTrue(response.text().contains("chunk size"), response.text());
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void closesWhenAStreamingHandlerFailsBeforeABodyTheClientHasNotSent() throws IOException {
        HttpServer server = server()
                .routeStreaming("POST", "/upload", req -> {
                    throw new IllegalStateException("no uploads today");
                })
                .get("/hello", req -> HttpResponse.text("hello")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            WireClient.Response response = client.read();
            assertEquals(500, response.status());
            assertEquals("close", response.header("Connection"), "the next bytes could be the body or a request");
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void dropsTheSmallBodyOfARequestAnsweredWithoutItAndGoesOn() throws IOException {
        HttpServer server = server().get("/hello", req -> HttpResponse.text("hello")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /hello ");
            assertEquals(404, client.read().status());
            client.send(get("/hello"));
            assertEquals("hello", client.read().text(), "the dropped body was not read as a request");
        }
    }

    @Test
    void refusesAnInterimStatusAsAFinalAnswer() throws IOException {
        HttpServer server = server()
                .get("/early", req -> HttpResponse.status(103))
                .get("/next", req -> HttpResponse.text("next")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/early") + get("/next"));
            assertEquals(500, client.read().status());
            assertEquals("next", client.read().text());
        }
    }

    @Test
    void answers500InsteadOfABytesBodyOverTheOutboundLimit() throws IOException {
        byte[] big = new byte[17 * 1024 * 1024];
        HttpServer server = server().get("/big", req -> HttpResponse.bytes(big, "application/octet-stream"))
                .get("/next", req -> HttpResponse.text("next")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/big") + get("/next"));
            assertEquals(500, client.read().status());
            assertEquals("next", client.read().text());
        }
    }

    @Test
    void aReceiverThatPausesItsBodyGetsNoMoreUntilItResumesAndIsNotTimedOut() throws Exception {
        java.util.concurrent.atomic.AtomicInteger pieces = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        AtomicReference<FlowControl> flow = new AtomicReference<>();
        HttpServer server = server().limits(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(200)))
                .routeStreaming("POST", "/upload", req -> new BodyReceiver() {
                    @Override
                    public void onStart(FlowControl control) {
                        flow.set(control);
                    }

                    @Override
                    public void onData(java.nio.ByteBuffer data) {
                        bytes.addAndGet(data.remaining());
                        if (pieces.incrementAndGet() == 1) {
                            flow.get().pause(); // on the loop: nothing more until resume
                        }
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<HttpResponse> onEnd(HttpHeaders trailers) {
                        return BodyReceiver.respond(HttpResponse.text(String.valueOf(bytes.get())));
                    }
                }).start();
        int size = 4 * 1024 * 1024;
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            Thread writer = new Thread(() -> {
                try {
                    client.send(new byte[size]);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "upload");
            writer.start();
            await().until(() -> pieces.get() == 1);
            // Paused for longer than the idle timeout: no piece arrives, and no 408 either.
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> pieces.get() == 1);
            assertTrue(server.connectionCount() == 1);
            flow.get().resume(); // from another thread
            assertEquals(String.valueOf(size), client.read().text());
            writer.join(10_000);
        }
    }

    @Test
    void closingTheServerAnswersWhatWasReadThenClosesItsConnections() throws IOException {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        HttpServer server = server().routeAsync("GET", "/slow", req -> slow)
                .get("/hello", req -> HttpResponse.text("hello")).start();
        try (WireClient idle = WireClient.connect(server.port()); WireClient busy = WireClient.connect(server.port())) {
            idle.send(get("/hello"));
            assertEquals("hello", idle.read().text());
            busy.send(get("/slow"));
            await().until(() -> server.connectionCount() == 2);

            server.close();

            assertTrue(idle.closedByServer(), "an idle kept-alive connection is closed");
            slow.complete(HttpResponse.text("late but answered"));
            WireClient.Response last = busy.read();
            assertEquals("late but answered", last.text());
            assertEquals("close", last.header("Connection"));
            assertTrue(busy.closedByServer());
        }
        await().until(() -> server.connectionCount() == 0);
    }
}
