package io.eddy.http.server;

import io.eddy.core.net.CloseReason;
import io.eddy.http.HttpLimits;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's connection state machine in memory and in virtual time: timeouts fire exactly when
 * the clock says, answers completed out of order go out in order, with no socket and no waiting.
 * (A few of these also run over real sockets, in {@code HostileClientsTest} and {@code HttpServerTest}.)
 */
class InMemoryServerTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    private static final Duration MS = Duration.ofMillis(1);

    private InMemoryHttp http;

    @AfterEach
    void close() {
        if (http != null) {
            http.close();
        }
    }

    private InMemoryHttp start(HttpLimits limits) {
        http = new InMemoryHttp(server -> server.limits(limits)
                .get("/", req -> HttpResponse.text("served"))
                .post("/", req -> HttpResponse.text("posted"))
                .post("/echo", req -> HttpResponse.bytes(req.body(), "text/plain")));
        return http;
    }

    @Test
    void answersAHeadThatTakesTooLongWith408AtTheHeadTimeoutNotBefore() {
        InMemoryHttp server = start(HttpLimits.defaults().withHeadTimeout(Duration.ofMillis(200)));
        InMemoryHttp.Client slowloris = server.connect().send("GET / HTTP/1.1\r\nHost: x\r\n");
        server.advance(Duration.ofMillis(199));
        assertEquals("", slowloris.unread());
        assertFalse(slowloris.closedByServer());
        server.advance(MS);
        WireClient.Response response = slowloris.read();
        assertEquals(408, response.status());
        assertEquals("close", response.header("Connection"));
        assertTrue(slowloris.closedByServer());
    }

    @Test
    void timesOutAHeadThatTricklesInEvenThoughBytesKeepComing() {
        InMemoryHttp server = start(HttpLimits.defaults().withHeadTimeout(Duration.ofMillis(300)));
        InMemoryHttp.Client slowloris = server.connect().send("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 5; i++) { // 250 ms: a header line every 50 ms, on time, never ending the head
            server.advance(Duration.ofMillis(50));
            slowloris.send("X-A: b\r\n");
        }
        assertEquals("", slowloris.unread());
        server.advance(Duration.ofMillis(50));
        assertEquals(408, slowloris.read().status());
        assertTrue(slowloris.closedByServer());
    }

    @Test
    void closesAKeptAliveConnectionLeftIdleBetweenOneAndTwoIdleTimeouts() {
        InMemoryHttp server = start(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(200)));
        InMemoryHttp.Client client = server.connect().send(GET);
        assertEquals("served", client.read().text());
        server.advance(Duration.ofMillis(199));
        assertFalse(client.closedByServer());
        server.advance(Duration.ofMillis(201));
        assertTrue(client.closedByServer());
        assertEquals("", client.unread());
        assertEquals(CloseReason.Kind.LOCAL_CLOSE, client.channel.closeReason().kind());
    }

    @Test
    void answersABodyThatStopsComingWith408() {
        InMemoryHttp server = start(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(200)));
        InMemoryHttp.Client client = server.connect().send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        server.advance(Duration.ofMillis(199));
        assertEquals("", client.unread());
        server.advance(Duration.ofMillis(201));
        assertEquals(408, client.read().status());
        assertTrue(client.closedByServer());
    }

    @Test
    void closesAConnectionThatNeverSendsAnything() {
        InMemoryHttp server = start(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(200)));
        InMemoryHttp.Client client = server.connect();
        server.advance(Duration.ofMillis(199));
        assertFalse(client.closedByServer());
        server.advance(Duration.ofMillis(201));
        assertTrue(client.closedByServer());
        assertEquals("", client.unread());
    }

    @Test
    void answersPipelinedRequestsInOrderWhateverOrderTheirHandlersFinishIn() {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        CompletableFuture<HttpResponse> fast = new CompletableFuture<>();
        http = new InMemoryHttp(server -> server
                .routeAsync("GET", "/slow", req -> slow)
                .routeAsync("GET", "/fast", req -> fast));
        InMemoryHttp.Client client = http.connect()
                .send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n");
        fast.complete(HttpResponse.text("fast")); // from the test's thread, as from an executor
        http.runPendingTasks();
        assertEquals("", client.unread(), "the second answer waits for the first");
        slow.complete(HttpResponse.text("slow"));
        http.runPendingTasks();
        assertEquals("slow", client.read().text());
        assertEquals("fast", client.read().text());
        assertFalse(client.closedByServer());
    }

    @Test
    void sendsContinueThenReadsTheBody() {
        InMemoryHttp server = start(HttpLimits.defaults());
        InMemoryHttp.Client client = server.connect()
                .send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        assertEquals(100, client.read().status());
        assertEquals("", client.unread());
        client.send("hello");
        assertEquals("hello", client.read().text());
    }

    @Test
    void datesResponsesByTheLoopsClock() {
        InMemoryHttp server = start(HttpLimits.defaults());
        InMemoryHttp.Client client = server.connect().send(GET);
        assertEquals("Thu, 01 Jan 2026 00:00:00 GMT", client.read().header("Date"));
        server.advance(Duration.ofMillis(1500));
        client.send(GET);
        assertEquals("Thu, 01 Jan 2026 00:00:01 GMT", client.read().header("Date"));
    }

    @Test
    void closingTheServerAnswersWhatWasReadWithCloseAndClosesIdleConnectionsAtOnce() {
        CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
        http = new InMemoryHttp(server -> server.routeAsync("GET", "/", req -> answer));
        InMemoryHttp.Client busy = http.connect().send(GET);
        InMemoryHttp.Client idle = http.connect();
        http.closeServer();
        assertTrue(idle.closedByServer());
        assertFalse(busy.closedByServer());
        answer.complete(HttpResponse.text("last"));
        http.runPendingTasks();
        WireClient.Response response = busy.read();
        assertEquals("last", response.text());
        assertEquals("close", response.header("Connection"));
        assertTrue(busy.closedByServer());
    }

    @Test
    void streamsTheBodyOfA408ForAHeadThatTakesTooLong() {
        assertStreamed408(HttpLimits.defaults().withHeadTimeout(Duration.ofMillis(100)), "GET / HTTP/1.1\r\nHost: x\r\n");
    }

    @Test
    void streamsTheBodyOfA408ForABodyThatStopsComing() {
        assertStreamed408(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(100)),
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    }

    /** Sends {@code wire}, which times out under {@code limits}: the streamed 408 must come whole, then the end. */
    private void assertStreamed408(HttpLimits limits, String wire) {
        http = new InMemoryHttp(server -> server.limits(limits)
                .errorHandler(error -> HttpResponse.stream("text/plain", writer -> {
                    writer.write("error ");
                    writer.write(String.valueOf(error.status()));
                    writer.end();
                }).withStatus(error.status()))
                .post("/", request -> HttpResponse.text("posted")));
        InMemoryHttp.Client client = http.connect().send(wire);
        http.advance(Duration.ofMillis(200));
        WireClient.Response response = client.read();
        assertEquals(408, response.status());
        assertEquals("error 408", response.text());
        assertTrue(client.closedByServer());
    }

    @Test
    void cutsOffAClientThatStopsReadingAStream() {
        http = new InMemoryHttp(server -> server.limits(HttpLimits.defaults().withIdleTimeout(Duration.ofMillis(200)))
                .get("/stream", req -> HttpResponse.stream("text/plain", InMemoryServerTest::pumpForever)));
        InMemoryHttp.Client client = http.connect();
        client.channel.peerReceiveWindow(4096);
        client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        http.advance(Duration.ofMillis(199));
        assertTrue(client.channel.isOpen(), "bytes are still leaving: the client read the first window");
        client.channel.peerReceiveWindow(0); // the client stops reading for good
        http.advance(Duration.ofMillis(400));
        assertTrue(client.closedByServer());
        assertEquals(CloseReason.Kind.ABORTED, client.channel.closeReason().kind());
    }

    /** Writes while it can, then waits to be called back: the pattern of the guide, with no end. */
    private static void pumpForever(io.eddy.http.BodyWriter writer) {
        while (writer.isWritable()) {
            writer.write("x".repeat(1000));
        }
        writer.onWritable(() -> pumpForever(writer));
    }
}
