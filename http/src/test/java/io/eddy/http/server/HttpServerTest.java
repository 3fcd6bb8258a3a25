package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's behaviour over loopback sockets, seen byte by byte by a plain-socket client. */
class HttpServerTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("http-test");
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

    @Test
    void answersAHundredPipelinedRequestsInOneWriteInOrder() throws IOException {
        HttpServer server = server().get("/n/{i}", req -> HttpResponse.text(req.pathParam("i"))).start();
        try (WireClient client = WireClient.connect(server.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                batch.append(get("/n/" + i));
            }
            client.send(batch.toString());
            for (int i = 0; i < 100; i++) {
                WireClient.Response response = client.read();
                assertEquals(200, response.status());
                assertEquals(String.valueOf(i), response.text());
            }
        }
    }

    @Test
    void answersPipelinedRequestsInRequestOrderWhenHandlersFinishInReverse() throws IOException {
        Map<String, CompletableFuture<HttpResponse>> pending = new ConcurrentHashMap<>();
        HttpServer server = server()
                .routeAsync("GET", "/wait/{id}", req -> pending.computeIfAbsent(req.pathParam("id"), k -> new CompletableFuture<>()))
                .start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/wait/1") + get("/wait/2") + get("/wait/3"));
            await().until(() -> pending.size() == 3);
            for (String id : new String[] {"3", "2", "1"}) {
                pending.get(id).complete(HttpResponse.text("answer " + id));
            }
            assertEquals("answer 1", client.read().text());
            assertEquals("answer 2", client.read().text());
            assertEquals("answer 3", client.read().text());
        }
    }

    @Test
    void servesAThousandRequestsOnOneKeptAliveConnection() throws IOException {
        AtomicInteger ports = new AtomicInteger();
        HttpServer server = server().get("/n/{i}", req -> {
            ports.set(req.remoteAddress().getPort());
            return HttpResponse.text(req.pathParam("i"));
        }).start();
        try (WireClient client = WireClient.connect(server.port())) {
            for (int i = 0; i < 1000; i++) {
                client.send(get("/n/" + i));
                WireClient.Response response = client.read();
                assertEquals(String.valueOf(i), response.text());
                assertNull(response.header("Connection"));
            }
            assertEquals(client.socket().getLocalPort(), ports.get());
            assertEquals(1, server.connectionCount());
        }
    }

    @Test
    void stopsReadingRequestsWhileAClientDoesNotReadItsResponses() throws IOException {
        byte[] big = new byte[1024 * 1024];
        new java.util.Random(1).nextBytes(big);
        AtomicInteger handled = new AtomicInteger();
        HttpServer server = server()
                .limits(HttpLimits.defaults().withMaxPipelinedRequests(1000))
                .get("/big", req -> {
                    handled.incrementAndGet();
                    return HttpResponse.bytes(big, "application/octet-stream");
                }).start();
        int requests = 200;
        try (WireClient client = WireClient.connect(server.port())) {
            client.socket().setReceiveBufferSize(64 * 1024);
            client.send(get("/big").repeat(requests));
            // The server answers a few, finds the connection unwritable, and stops reading.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> handled.get() > 0 && handled.get() < 10);
            CRC32 expected = new CRC32();
            expected.update(big);
            for (int i = 0; i < requests; i++) {
                WireClient.Response response = client.read();
                CRC32 crc = new CRC32();
                crc.update(response.body());
                assertEquals(expected.getValue(), crc.getValue(), "response " + i);
            }
            assertEquals(requests, handled.get());
        }
    }

    @Test
    void refusesASmuggledRequestAndNeverServesWhatFollowsIt() throws IOException {
        AtomicInteger admin = new AtomicInteger();
        HttpServer server = server()
                .post("/", req -> HttpResponse.text("ok"))
                .get("/admin", req -> {
                    admin.incrementAndGet();
                    return HttpResponse.text("secret");
                }).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n" + get("/admin"));
            WireClient.Response response = client.read();
            assertEquals(400, response.status());
            assertEquals("close", response.header("Connection"));
            assertTrue(response.text().contains("both Content-Length and Transfer-Encoding"), response.text());
            assertTrue(client.closedByServer());
        }
        assertEquals(0, admin.get());
    }

    @Test
    void closesAfterARequestOrResponseSaysConnectionClose() throws IOException {
        HttpServer server = server()
                .get("/", req -> HttpResponse.text("bye"))
                .get("/last", req -> HttpResponse.text("last").header("Connection", "close"))
                .start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" + get("/"));
            WireClient.Response response = client.read();
            assertEquals("close", response.header("Connection"));
            assertTrue(client.closedByServer(), "nothing after a Connection: close request is answered");
        }
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/last"));
            assertEquals("close", client.read().header("Connection"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void readsTheBodyOfTheLastRequestBeforeClosing() throws IOException {
        HttpServer server = server().post("/echo", req -> HttpResponse.bytes(req.body(), "text/plain")).start();
        String[] lastRequests = {
            "POST /echo HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        };
        for (String request : lastRequests) {
            try (WireClient client = WireClient.connect(server.port())) {
                client.send(request + get("/never"));
                WireClient.Response response = client.read();
                assertEquals("hello", response.text(), request);
                assertEquals("close", response.header("Connection"));
                assertTrue(client.closedByServer());
            }
        }
    }

    @Test
    void keepsHttp10ConnectionsAliveOnlyWhenAsked() throws IOException {
        HttpServer server = server().get("/", req -> HttpResponse.text("old")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("GET / HTTP/1.0\r\n\r\n");
            WireClient.Response response = client.read();
            assertEquals("old", response.text());
            assertEquals("close", response.header("Connection"));
            assertTrue(client.closedByServer());
        }
        try (WireClient client = WireClient.connect(server.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertEquals("keep-alive", client.read().header("Connection"));
            }
        }
    }

    @Test
    void sendsContinueOnlyWhenTheHandlerWillReadTheBody() throws IOException {
        HttpServer server = server().post("/echo", req -> HttpResponse.bytes(req.body(), "text/plain")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, client.read().status());
            client.send("hello");
            assertEquals("hello", client.read().text());
            // Not found: the final status at once, no 100, and the body is never read.
            client.send("POST /nowhere HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            WireClient.Response response = client.read();
            assertEquals(404, response.status());
            assertEquals("close", response.header("Connection"));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void refusesBodiesOverTheLimitWith413() throws IOException {
        HttpServer server = server().limits(HttpLimits.defaults().withMaxBodySize(100))
                .post("/echo", req -> HttpResponse.bytes(req.body(), "text/plain")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
            WireClient.Response response = client.read();
            assertEquals(413, response.status());
            assertTrue(client.closedByServer());
        }
        try (WireClient client = WireClient.connect(server.port())) {
            String chunk = "x".repeat(60);
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3c\r\n" + chunk + "\r\n3c\r\n" + chunk + "\r\n0\r\n\r\n");
            assertEquals(413, client.read().status());
            assertTrue(client.closedByServer());
        }
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "y".repeat(100));
            assertEquals("y".repeat(100), client.read().text());
        }
    }

    @Test
    void answersAFailingHandlerWith500AndGoesOn() throws IOException {
        HttpServer server = server()
                .get("/fail", req -> {
                    throw new IllegalStateException("boom");
                })
                .routeAsync("GET", "/fail-later", req -> CompletableFuture.failedFuture(new IllegalStateException("later")))
                .get("/ok", req -> HttpResponse.text("ok"))
                .start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/fail") + get("/fail-later") + get("/ok"));
            WireClient.Response failed = client.read();
            assertEquals(500, failed.status());
            assertFalse(failed.text().contains("boom"), "a server error's cause is not shown");
            assertEquals(500, client.read().status());
            assertEquals("ok", client.read().text());
        }
    }

    @Test
    void usesTheErrorHandlerForErrors() throws IOException {
        HttpServer server = server()
                .errorHandler(error -> HttpResponse.html("<h1>" + error.status() + "</h1>").withStatus(error.status()))
                .start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/missing"));
            WireClient.Response response = client.read();
            assertEquals(404, response.status());
            assertEquals("<h1>404</h1>", response.text());
        }
    }

    @Test
    void streamsAnUploadOfAnySizeToAStreamingHandler() throws IOException {
        HttpServer server = server().limits(HttpLimits.defaults().withMaxBodySize(1024))
                .routeStreaming("POST", "/upload", req -> new BodyReceiver() {
                    private final CRC32 crc = new CRC32();
                    private long bytes;

                    @Override
                    public void onData(java.nio.ByteBuffer data) {
                        bytes += data.remaining();
                        crc.update(data);
                    }

                    @Override
                    public java.util.concurrent.CompletionStage<HttpResponse> onEnd(HttpHeaders trailers) {
                        return BodyReceiver.respond(HttpResponse.text(bytes + " " + crc.getValue() + " " + trailers.get("X-Sum")));
                    }
                }).start();
        byte[] upload = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(2).nextBytes(upload);
        CRC32 crc = new CRC32();
        crc.update(upload);
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + upload.length + "\r\n\r\n");
            client.send(upload);
            assertEquals(upload.length + " " + crc.getValue() + " null", client.read().text());
            // The same as chunks with a trailer.
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int at = 0; at < upload.length; at += 100_000) {
                int n = Math.min(100_000, upload.length - at);
                client.send(Integer.toHexString(n) + ";ext=1\r\n");
                client.send(java.util.Arrays.copyOfRange(upload, at, at + n));
                client.send("\r\n");
            }
            client.send("0\r\nX-Sum: yes\r\n\r\n");
            assertEquals(upload.length + " " + crc.getValue() + " yes", client.read().text());
        }
    }

    @Test
    void streamsALargeChunkedResponseRespectingBackpressure() throws IOException {
        int pieces = 400;
        byte[] piece = new byte[32 * 1024];
        java.util.Arrays.fill(piece, (byte) 'z');
        AtomicInteger maxPending = new AtomicInteger();
        HttpServer server = server().get("/stream", req -> HttpResponse.stream("application/octet-stream", writer -> {
            Runnable[] pump = new Runnable[1];
            int[] sent = {0};
            pump[0] = () -> {
                while (sent[0] < pieces && writer.isWritable()) {
                    writer.write(piece);
                    sent[0]++;
                }
                if (sent[0] == pieces) {
                    writer.end();
                } else {
                    maxPending.incrementAndGet();
                    writer.onWritable(pump[0]);
                }
            };
            pump[0].run();
        })).get("/after", req -> HttpResponse.text("after")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/stream") + get("/after"));
            WireClient.Response response = client.read();
            assertEquals("chunked", response.header("Transfer-Encoding"));
            assertEquals(pieces * piece.length, response.body().length);
            assertEquals("after", client.read().text());
        }
        assertTrue(maxPending.get() > 0, "the writer had to wait for the slow socket at least once");
    }

    @Test
    void answersHeadWithTheHeadersOfGet() throws IOException {
        HttpServer server = server().get("/", req -> HttpResponse.text("twelve bytes")).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + get("/"));
            WireClient.Response head = client.read(true);
            assertEquals("12", head.header("Content-Length"));
            assertEquals(0, head.body().length);
            assertEquals("twelve bytes", client.read().text());
        }
    }

    @Test
    void routesAbsoluteFormTargetsByTheirPath() throws IOException {
        HttpServer server = server().get("/p", req -> HttpResponse.text(req.path() + " " + req.queryParam("q"))).start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("GET http://example.com/p?q=a%20b HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertEquals("/p a b", client.read().text());
        }
    }

    @Test
    void echoesBinaryBodiesIntact() throws IOException {
        HttpServer server = server().post("/echo", req -> HttpResponse.bytes(req.body(), "application/octet-stream")).start();
        byte[] body = new byte[200_000];
        new java.util.Random(3).nextBytes(body);
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            client.send(body);
            assertArrayEquals(body, client.read().body());
        }
    }
}
