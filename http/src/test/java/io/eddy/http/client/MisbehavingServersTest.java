package io.eddy.http.client;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.ResponseLimits;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.client.ScriptedServer.Action;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against servers that break the rules, close pooled connections, or never answer,
 * over loopback: each failure stays with its request and its connection.
 */
class MisbehavingServersTest {

    private EventLoop loop;
    private HttpClient client;
    private ScriptedServer server;

    @BeforeEach
    void start() {
        loop = EventLoop.start("client-test");
        client = HttpClient.on(loop).responseTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        loop.close();
        if (server != null) {
            server.close();
        }
    }

    private HttpClientException failure(CompletableFuture<Response> response) {
        CompletionException e = assertThrows(CompletionException.class, response::join);
        assertTrue(e.getCause() instanceof HttpClientException, () -> "expected an HttpClientException: " + e.getCause());
        return (HttpClientException) e.getCause();
    }

    private int openConnections(String url) {
        return CompletableFuture.supplyAsync(() -> client.openConnections(url), loop).join();
    }

    @Test
    void malformedStatusLineFailsTheRequestAndClosesItsConnection() throws Exception {
        server = ScriptedServer.start((c, r, head) -> Action.answer("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n"));
        HttpClientException e = failure(client.send(Request.get(server.url("/"))));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("malformed status line"), e.getMessage());
        await().atMost(10, SECONDS).until(() -> server.closedByClient() == 1);
        assertEquals(0, openConnections(server.url("/")));
    }

    /** The first request's answer, sent once the second request waits for the only connection. */
    private CompletableFuture<Response> waitingBehind(CountDownLatch answer, String url) {
        CompletableFuture<Response> waiting = client.send(Request.get(url));
        await().atMost(10, SECONDS).until(() -> server.requests().size() == 1);
        CompletableFuture.runAsync(() -> { }, loop).join(); // the second call has reached the pool's queue
        answer.countDown();
        return waiting;
    }

    private static Action afterLatch(CountDownLatch latch, Action action) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return action;
    }

    @Test
    void aSecondUnaskedResponseIsNeverGivenToTheRequestWaitingForTheConnection() throws Exception {
        client = HttpClient.on(loop).maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(20)).build();
        var answer = new CountDownLatch(1);
        server = ScriptedServer.start((c, r, head) -> c == 0 && r == 0
                ? afterLatch(answer, Action.answer(ScriptedServer.OK_HELLO
                        + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nWRONG"))
                : Action.answer(ScriptedServer.OK_HELLO));
        CompletableFuture<Response> first = client.send(Request.get(server.url("/first")));
        CompletableFuture<Response> second = waitingBehind(answer, server.url("/second"));
        assertEquals("hello", first.join().text());
        assertEquals("hello", second.join().text());
        assertEquals(2, server.accepted());
    }

    @Test
    void aBodySentWronglyAfterAHeadResponseDoesNotFailTheNextRequest() throws Exception {
        client = HttpClient.on(loop).maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(20)).build();
        var answer = new CountDownLatch(1);
        server = ScriptedServer.start((c, r, head) -> c == 0 && r == 0
                ? afterLatch(answer, Action.answer(ScriptedServer.OK_HELLO)) // a body, though the request was a HEAD
                : Action.answer(ScriptedServer.OK_HELLO));
        CompletableFuture<Response> first = client.send(Request.builder("HEAD", server.url("/")).build());
        CompletableFuture<Response> second = waitingBehind(answer, server.url("/"));
        assertEquals(200, first.join().status());
        assertEquals("hello", second.join().text());
        assertEquals(2, server.accepted());
    }

    @Test
    void badChunkSizeFailsTheRequest() throws Exception {
        server = ScriptedServer.start((c, r, head) -> Action.answer(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n"));
        HttpClientException e = failure(client.send(Request.get(server.url("/"))));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("chunk size is not a hexadecimal number"), e.getMessage());
        await().atMost(10, SECONDS).until(() -> server.closedByClient() == 1);
    }

    @Test
    void bodyLongerThanItsContentLengthIsDeliveredButItsConnectionIsNotReused() throws Exception {
        server = ScriptedServer.start((c, r, head) -> Action.answer(ScriptedServer.OK_HELLO + "EXTRA"));
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        await().atMost(10, SECONDS).until(() -> server.closedByClient() == 1);
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        assertEquals(2, server.accepted());
    }

    @Test
    void contentLengthOverTheLimitFailsNamingTheLimit() throws Exception {
        client = HttpClient.on(loop).limits(ResponseLimits.defaults().withMaxBodySize(4)).build();
        server = ScriptedServer.start((c, r, head) -> Action.answer(ScriptedServer.OK_HELLO));
        HttpClientException e = failure(client.send(Request.get(server.url("/"))));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains("maxBodySize = 4"), e.getMessage());
    }

    /** Kept over loopback on the real clock; in virtual time, to the nanosecond: {@link TimeoutsInVirtualTimeTest}. */
    @Test
    void aServerThatNeverAnswersTimesOutAndItsConnectionIsFreed() throws Exception {
        client = HttpClient.on(loop).responseTimeout(Duration.ofMillis(300)).maxConnectionsPerOrigin(1).build();
        server = ScriptedServer.start((c, r, head) -> c == 0 ? Action.silence() : Action.answer(ScriptedServer.OK_HELLO));
        HttpClientException e = failure(client.send(Request.get(server.url("/"))));
        assertEquals(Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("responseTimeout"), e.getMessage());
        await().atMost(10, SECONDS).until(() -> server.closedByClient() == 1);
        // The only slot is free again: the next request gets a connection of its own.
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
    }

    @Test
    void cancellingAWaitingRequestTakesItOutOfTheQueue() throws Exception {
        client = HttpClient.on(loop).maxConnectionsPerOrigin(1).build();
        server = ScriptedServer.start((c, r, head) -> head.startsWith("GET /slow") ? Action.silence()
                : Action.answer(ScriptedServer.OK_HELLO));
        CompletableFuture<Response> slow = client.send(Request.get(server.url("/slow")));
        CompletableFuture<Response> waiting = client.send(Request.get(server.url("/fast")));
        await().atMost(10, SECONDS).until(() -> server.accepted() == 1);
        waiting.cancel(true);
        slow.cancel(true);
        assertThrows(CancellationException.class, waiting::join);
        await().atMost(10, SECONDS).until(() -> server.closedByClient() == 1);
        assertEquals("hello", client.send(Request.get(server.url("/fast"))).join().text());
    }

    /** Cancels {@code call} from a thread other than the loop's, so its clean-up waits for the loop's next cycle. */
    private static void cancelElsewhere(CompletableFuture<Response> call) {
        Thread t = new Thread(() -> call.cancel(true));
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aSlotFreedWhileTheFirstWaiterIsBeingCancelledServesTheNextWaiter() throws Exception {
        client = HttpClient.on(loop).maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(10)).build();
        server = ScriptedServer.start((c, r, head) -> head.startsWith("GET /a ") ? Action.silence()
                : Action.answer(ScriptedServer.OK_HELLO));
        CompletableFuture<Response> a = client.send(Request.get(server.url("/a")));
        CompletableFuture<Response> b = client.send(Request.get(server.url("/b")));
        CompletableFuture<Response> c = client.send(Request.get(server.url("/c")));
        await().atMost(10, SECONDS).until(() -> server.requests().size() == 1);
        // On the loop: b is cancelled elsewhere (its clean-up not yet run), then a's connection closes.
        CompletableFuture.runAsync(() -> {
            cancelElsewhere(b);
            a.cancel(true);
        }, loop).join();
        assertEquals("hello", c.join().text());
        assertThrows(CancellationException.class, b::join);
    }

    @Test
    void aConnectionLetGoWhileTheFirstWaiterIsBeingCancelledCarriesTheNextWaiter() throws Exception {
        client = HttpClient.on(loop).maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(10)).build();
        var answer = new CountDownLatch(1);
        server = ScriptedServer.start((c, r, head) -> head.startsWith("GET /a ")
                ? afterLatch(answer, Action.answer(ScriptedServer.OK_HELLO)) : Action.answer(ScriptedServer.OK_HELLO));
        CompletableFuture<Response> a = client.send(Request.get(server.url("/a")));
        CompletableFuture<Response> b = client.send(Request.get(server.url("/b")));
        CompletableFuture<Response> c = client.send(Request.get(server.url("/c")));
        await().atMost(10, SECONDS).until(() -> server.requests().size() == 1);
        // On the loop: a's response is sent and waits in the socket, then b is cancelled elsewhere;
        // the next cycle reads a's response before it runs b's clean-up.
        CompletableFuture.runAsync(() -> {
            answer.countDown();
            await().atMost(10, SECONDS).until(() -> server.answered() == 1);
            cancelElsewhere(b);
        }, loop).join();
        assertEquals("hello", a.join().text());
        assertEquals("hello", c.join().text());
        // c went out on a's connection: b's request took it neither on the wire nor with it as it was aborted.
        assertTrue(server.requests().stream().noneMatch(request -> request.startsWith("GET /b ")), server.requests()::toString);
        assertEquals(1, server.accepted());
    }

    @Test
    void aPooledConnectionClosedByTheServerIsDroppedAtOnce() throws Exception {
        server = ScriptedServer.start((c, r, head) -> Action.answerAndClose(ScriptedServer.OK_HELLO));
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        await().atMost(10, SECONDS).until(() -> openConnections(server.url("/")) == 0);
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        assertEquals(2, server.accepted());
    }

    @Test
    void anIdempotentRequestOnAConnectionClosedUnderItIsRetriedOnceOnAFreshOne() throws Exception {
        // The first connection answers once, then closes without answering the second request,
        // as a server does when its keep-alive timeout fires just as a request arrives.
        server = ScriptedServer.start((c, r, head) -> c == 0 && r == 1 ? Action.closeWithoutAnswer()
                : Action.answer(ScriptedServer.OK_HELLO));
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        assertEquals(2, server.accepted());
    }

    @Test
    void aPostOnAConnectionClosedUnderItIsNotRetried() throws Exception {
        server = ScriptedServer.start((c, r, head) -> c == 0 && r == 1 ? Action.closeWithoutAnswer()
                : Action.answer(ScriptedServer.OK_HELLO));
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        HttpClientException e = failure(client.send(Request.post(server.url("/"), "once")));
        assertEquals(Kind.CONNECTION_CLOSED, e.kind());
        assertEquals(1, server.accepted());
    }

    /** Kept over loopback on the real clock: the socket itself is closed; in virtual time: {@link TimeoutsInVirtualTimeTest}. */
    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        client = HttpClient.on(loop).idleTimeout(Duration.ofMillis(200)).build();
        server = ScriptedServer.start((c, r, head) -> Action.answer(ScriptedServer.OK_HELLO));
        assertEquals("hello", client.send(Request.get(server.url("/"))).join().text());
        await().atMost(10, SECONDS).until(() -> server.closedByClient() == 1);
        assertEquals(0, openConnections(server.url("/")));
    }

    @Test
    void aFullWaitQueueFailsTheRequestClearly() throws Exception {
        client = HttpClient.on(loop).maxConnectionsPerOrigin(1).maxWaiting(0).build();
        server = ScriptedServer.start((c, r, head) -> Action.silence());
        CompletableFuture<Response> first = client.send(Request.get(server.url("/")));
        HttpClientException e = failure(client.send(Request.get(server.url("/"))));
        assertEquals(Kind.POOL_FULL, e.kind());
        assertTrue(e.getMessage().contains("maxWaiting"), e.getMessage());
        first.cancel(true);
    }

    @Test
    void redirectsAreFollowedUpToTheLimit() throws Exception {
        client = HttpClient.on(loop).followRedirects(2).build();
        // A POST redirected by a 302 comes back as a GET without its body.
        server = ScriptedServer.start((c, r, head) -> head.startsWith("POST /a ")
                ? Action.answer("HTTP/1.1 302 Found\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n")
                : head.startsWith("GET /b ") && !head.contains("Content-Length") ? Action.answer(ScriptedServer.OK_HELLO)
                : Action.answer("HTTP/1.1 301 Moved\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n"));
        Response response = client.send(Request.post(server.url("/a"), "form")).join();
        assertEquals("hello", response.text());
        assertEquals(server.url("/b"), response.uri().toString());
        HttpClientException e = failure(client.send(Request.get(server.url("/loop"))));
        assertEquals(Kind.TOO_MANY_REDIRECTS, e.kind());
    }

    @Test
    void connectionRefusedFailsWithTheReason() throws Exception {
        server = ScriptedServer.start((c, r, head) -> Action.silence());
        String url = server.url("/");
        server.close();
        HttpClientException e = failure(client.send(Request.get(url)));
        assertEquals(Kind.CONNECT_FAILED, e.kind());
    }
}
