package io.eddy.http.client;

import io.eddy.core.net.CloseReason;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.client.InMemoryServer.ConnectOutcome;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static io.eddy.http.client.InMemoryServer.url;
import static io.eddy.http.client.Outcomes.failure;
import static io.eddy.http.client.Outcomes.pending;
import static io.eddy.http.client.Outcomes.response;
import static io.eddy.http.client.ScriptedServer.OK_HELLO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's timeouts (response, idle) and failed connects, on in-memory connections in virtual
 * time: each fires at its deadline and not a nanosecond before, and frees what it should.
 */
class TimeoutsInVirtualTimeTest {

    private static final Duration NANO = Duration.ofNanos(1);

    private final InMemoryServer server = new InMemoryServer();
    private HttpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    // ---- response timeout ----

    @Test
    void aServerThatNeverAnswersTimesOutAndItsConnectionIsFreed() {
        client = server.client().responseTimeout(Duration.ofMillis(300)).maxConnectionsPerOrigin(1).build();
        CompletableFuture<Response> call = server.get(client, "/");
        assertTrue(server.request(0).startsWith("GET / HTTP/1.1\r\n"));
        server.advance(Duration.ofMillis(300).minus(NANO));
        pending(call);
        server.advance(NANO);
        HttpClientException e = failure(call);
        assertEquals(Kind.TIMEOUT, e.kind());
        assertTrue(e.getMessage().contains("responseTimeout"), e.getMessage());
        // Nothing read on it can be trusted any more: aborted, not kept.
        assertEquals(CloseReason.Kind.ABORTED, server.connection(0).closeReason().kind());
        assertEquals(0, client.openConnections(url("/")));
        // The only slot is free again: the next request gets a connection of its own.
        CompletableFuture<Response> next = server.get(client, "/");
        assertEquals(2, server.connections());
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(next).text());
    }

    @Test
    void theResponseTimeoutCountsTheWaitForAConnection() {
        client = server.client().responseTimeout(Duration.ofSeconds(1)).maxConnectionsPerOrigin(1).build();
        CompletableFuture<Response> first = server.get(client, "/first");
        server.advance(Duration.ofMillis(400));
        CompletableFuture<Response> waiting = server.get(client, "/waiting");
        server.advance(Duration.ofMillis(600));
        assertEquals(Kind.TIMEOUT, failure(first).kind());
        // The first's slot went to the waiting call, whose own second started 400 ms later.
        assertTrue(server.request(1).startsWith("GET /waiting "));
        server.advance(Duration.ofMillis(400).minus(NANO));
        pending(waiting);
        server.advance(NANO);
        assertEquals(Kind.TIMEOUT, failure(waiting).kind());
    }

    // ---- idle timeout ----

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() {
        client = server.client().idleTimeout(Duration.ofMillis(200)).build();
        CompletableFuture<Response> call = server.get(client, "/");
        server.answer(0, OK_HELLO);
        assertEquals("hello", response(call).text());
        server.advance(Duration.ofMillis(200).minus(NANO));
        assertTrue(server.connection(0).isOpen());
        assertEquals(1, client.openConnections(url("/")));
        server.advance(NANO);
        assertEquals(CloseReason.Kind.LOCAL_CLOSE, server.connection(0).closeReason().kind());
        assertEquals(0, client.openConnections(url("/")));
    }

    @Test
    void anIdleConnectionKeepsItsPoolUntilItTimesOut() {
        client = server.client().idleTimeout(Duration.ofMillis(200)).build();
        CompletableFuture<Response> call = server.get(client, "/");
        server.answer(0, OK_HELLO);
        assertEquals("hello", response(call).text());
        assertEquals(1, client.pools());
        server.advance(Duration.ofMillis(200));
        assertEquals(0, client.pools());
        CompletableFuture<Response> again = server.get(client, "/"); // a new pool serves, on a new connection
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(again).text());
    }

    @Test
    void aConnectionReusedBeforeItsIdleTimeoutIsTimedFromItsLastResponse() {
        client = server.client().idleTimeout(Duration.ofMillis(200)).build();
        CompletableFuture<Response> first = server.get(client, "/a");
        server.answer(0, OK_HELLO);
        response(first);
        server.advance(Duration.ofMillis(150));
        CompletableFuture<Response> second = server.get(client, "/b");
        server.answer(0, OK_HELLO);
        response(second);
        server.advance(Duration.ofMillis(200).minus(NANO));
        assertTrue(server.connection(0).isOpen(), "the first idle timer was cancelled when the connection was taken");
        server.advance(NANO);
        assertFalse(server.connection(0).isOpen());
        assertEquals(1, server.connections());
    }

    // ---- connects ----

    @Test
    void aConnectThatFailsFailsItsRequestAndFreesItsSlot() {
        // As TcpClient fails a connect that outlived its connect timeout (the timer is its own, tested in core).
        server.failConnects(new SocketTimeoutException("connect to origin.test:8080 timed out after 200 ms"));
        client = server.client().maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(30)).build();
        HttpClientException e = failure(server.get(client, "/"));
        assertEquals(Kind.CONNECT_FAILED, e.kind());
        assertTrue(e.getMessage().contains("connect") && e.getMessage().contains("200 ms"), e.getMessage());
        assertEquals(0, client.openConnections(url("/")));
        assertEquals(0, client.pools());
        // The slot is free: with a cap of 1 the next request to the origin tries again rather than waiting.
        assertEquals(Kind.CONNECT_FAILED, failure(server.get(client, "/")).kind());
        assertEquals(2, server.connects());
        server.onConnect(ConnectOutcome.ACCEPT);
        CompletableFuture<Response> call = server.get(client, "/");
        server.answer(0, OK_HELLO);
        assertEquals("hello", response(call).text());
    }

    @Test
    void aConnectStillOpeningAtTheResponseTimeoutFailsItsRequestAndTheLateConnectionWaitsIdle() {
        server.onConnect(ConnectOutcome.HANG);
        client = server.client().responseTimeout(Duration.ofSeconds(2)).maxConnectionsPerOrigin(1).build();
        CompletableFuture<Response> call = server.get(client, "/");
        server.advance(Duration.ofSeconds(2));
        assertEquals(Kind.TIMEOUT, failure(call).kind());
        assertEquals(1, client.openConnections(url("/")), "still opening: the slot is taken");
        server.completeHangingConnects();
        assertEquals("", server.request(0), "the timed-out request never goes out");
        // The connection opened for nobody waits idle, and serves the next request.
        CompletableFuture<Response> next = server.get(client, "/next");
        assertTrue(server.request(0).startsWith("GET /next "));
        server.answer(0, OK_HELLO);
        assertEquals("hello", response(next).text());
        assertEquals(1, server.connections());
    }
}
