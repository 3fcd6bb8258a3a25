package io.eddy.http.client;

import io.eddy.http.client.HttpClientException.Kind;
import java.util.ArrayList;
import java.util.List;
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
 * The pool of one origin on in-memory connections: keep-alive reuse, the waiting queue and its
 * bound, and the one retry of a request whose reused connection closed under it.
 */
class PoolInMemoryTest {

    private final InMemoryServer server = new InMemoryServer();
    private HttpClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    /** A client whose connection 0 answered a first request and waits idle in the pool. */
    private void aConnectionKeptAlive() {
        client = server.client().build();
        CompletableFuture<Response> first = server.get(client, "/a");
        assertTrue(server.request(0).startsWith("GET /a HTTP/1.1\r\nHost: origin.test:8080\r\n"));
        server.answer(0, OK_HELLO);
        assertEquals("hello", response(first).text());
    }

    // ---- keep-alive ----

    @Test
    void aKeptAliveConnectionCarriesTheNextRequest() {
        aConnectionKeptAlive();
        CompletableFuture<Response> second = server.get(client, "/b");
        assertTrue(server.request(0).startsWith("GET /b HTTP/1.1\r\n"));
        server.answer(0, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nagain");
        assertEquals("again", response(second).text());
        assertEquals(1, server.connections());
    }

    @Test
    void httpAndHttpsToTheSameHostAndPortAreTwoOriginsWithConnectionsOfTheirOwn() {
        client = server.client().build();
        CompletableFuture<Response> plain = server.get(client, "/a");
        CompletableFuture<Response> secure = server.send(client, Request.get("https://origin.test:8080/a"));
        assertEquals(2, server.connections(), "the https request does not wait for the http connection");
        assertFalse(server.overTls(0));
        assertTrue(server.overTls(1));
        assertTrue(server.request(1).startsWith("GET /a HTTP/1.1\r\nHost: origin.test:8080\r\n"));
        server.answer(0, OK_HELLO);
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(plain).text());
        assertEquals("hello", response(secure).text());

        CompletableFuture<Response> again = server.send(client, Request.get("https://origin.test:8080/b"));
        assertTrue(server.request(1).startsWith("GET /b HTTP/1.1\r\n"), "the https connection, kept alive, carries it");
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(again).text());
        assertEquals(2, server.connections());
    }

    @Test
    void aResponseThatClosesItsConnectionIsNotReused() {
        client = server.client().build();
        CompletableFuture<Response> first = server.get(client, "/a");
        server.answer(0, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
        assertEquals("hello", response(first).text());
        assertFalse(server.connection(0).isOpen());
        CompletableFuture<Response> second = server.get(client, "/b");
        assertTrue(server.request(1).startsWith("GET /b "));
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(second).text());
    }

    // ---- the waiting queue ----

    @Test
    void requestsBeyondTheCapWaitAndAreCarriedInOrderByTheConnectionsLetGo() {
        client = server.client().maxConnectionsPerOrigin(2).build();
        List<CompletableFuture<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(server.get(client, "/" + i));
        }
        assertEquals(2, server.connections());
        assertEquals(2, client.openConnections(url("/")));
        assertTrue(server.request(0).startsWith("GET /0 "));
        assertTrue(server.request(1).startsWith("GET /1 "));
        server.answer(1, OK_HELLO);
        assertTrue(server.request(1).startsWith("GET /2 "), "the first waiter goes out on the connection let go");
        server.answer(0, OK_HELLO);
        assertTrue(server.request(0).startsWith("GET /3 "));
        server.answer(0, OK_HELLO);
        server.answer(1, OK_HELLO);
        calls.forEach(call -> assertEquals("hello", response(call).text()));
        assertEquals(2, server.connections());
    }

    @Test
    void oneRequestMoreThanMaxWaitingFailsAtOnceWithPoolFull() {
        client = server.client().maxConnectionsPerOrigin(1).maxWaiting(1).build();
        CompletableFuture<Response> carried = server.get(client, "/carried");
        CompletableFuture<Response> waiting = server.get(client, "/waiting");
        HttpClientException e = failure(server.get(client, "/refused"));
        assertEquals(Kind.POOL_FULL, e.kind());
        assertTrue(e.getMessage().contains("maxConnectionsPerOrigin") && e.getMessage().contains("maxWaiting"), e.getMessage());
        pending(waiting);
        server.answer(0, OK_HELLO);
        server.answer(0, OK_HELLO);
        assertEquals("hello", response(carried).text());
        assertEquals("hello", response(waiting).text());
    }

    @Test
    void aConnectionTheServerClosesFreesItsSlotForTheNextWaiter() {
        client = server.client().maxConnectionsPerOrigin(1).build();
        CompletableFuture<Response> lost = server.get(client, "/lost");
        CompletableFuture<Response> waiting = server.get(client, "/waiting");
        server.closeFromServer(0);
        // A fresh connection is not retried: the server saw the request and said nothing.
        assertEquals(Kind.CONNECTION_CLOSED, failure(lost).kind());
        assertTrue(server.request(1).startsWith("GET /waiting "));
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(waiting).text());
    }

    // ---- retry once ----

    @Test
    void anIdempotentRequestOnAReusedConnectionClosedBeforeAnyByteIsRetriedOnceOnAFreshOne() {
        aConnectionKeptAlive();
        CompletableFuture<Response> retried = server.get(client, "/b");
        assertTrue(server.request(0).startsWith("GET /b "));
        // The server's keep-alive timeout fired just as the request arrived.
        server.closeFromServer(0);
        pending(retried);
        assertTrue(server.request(1).startsWith("GET /b "));
        server.answer(1, OK_HELLO);
        assertEquals("hello", response(retried).text());
        assertEquals(2, server.connections());
    }

    @Test
    void theRetryIsMadeOnceOnly() {
        aConnectionKeptAlive();
        CompletableFuture<Response> retried = server.get(client, "/b");
        server.closeFromServer(0);
        server.closeFromServer(1);
        assertEquals(Kind.CONNECTION_CLOSED, failure(retried).kind());
        assertEquals(2, server.connections());
    }

    @Test
    void aRequestWhoseResponseHadBegunIsNotRetried() {
        aConnectionKeptAlive();
        CompletableFuture<Response> cut = server.get(client, "/b");
        server.answer(0, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
        server.closeFromServer(0);
        assertEquals(Kind.CONNECTION_CLOSED, failure(cut).kind());
        assertEquals(1, server.connections());
    }

    @Test
    void aPostOnAReusedConnectionClosedUnderItIsNotRetried() {
        aConnectionKeptAlive();
        CompletableFuture<Response> post = server.send(client, Request.post(url("/"), "once"));
        server.closeFromServer(0);
        assertEquals(Kind.CONNECTION_CLOSED, failure(post).kind());
        assertEquals(1, server.connections());
    }
}
