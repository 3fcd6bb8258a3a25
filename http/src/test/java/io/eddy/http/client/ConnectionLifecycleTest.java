package io.eddy.http.client;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.ResponseLimits;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.client.ScriptedServer.Action;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The client's connections from connect to close over loopback: connect timeouts, closing the
 * client with requests in flight and waiting, responses over a limit, a stale connection replaced.
 */
class ConnectionLifecycleTest {

    private EventLoop loop;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void start() {
        loop = EventLoop.start("lifecycle-test");
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private ScriptedServer server(ScriptedServer.Script script) throws IOException {
        ScriptedServer s = ScriptedServer.start(script);
        closeAfter.add(s);
        return s;
    }

    private static HttpClientException failure(CompletableFuture<Response> response) {
        CompletionException e = assertThrows(CompletionException.class, response::join);
        assertTrue(e.getCause() instanceof HttpClientException, () -> "expected an HttpClientException: " + e.getCause());
        return (HttpClientException) e.getCause();
    }

    private int openConnections(HttpClient client, String url) {
        return CompletableFuture.supplyAsync(() -> client.openConnections(url), loop).join();
    }

    // ---- connect timeout ----

    /**
     * A listener that never accepts, its queue (backlog 1) filled by two plain sockets: Linux then
     * drops further SYNs, so a connect neither succeeds nor is refused. Checked before use with a
     * third plain connect, which must time out; where it does not, the test is skipped, not passed.
     * The connect timeout is TcpClient's own timer, below the pool's Connector, so it stays over
     * loopback; the pool's side of a failed connect is shown in memory in {@link TimeoutsInVirtualTimeTest}.
     */
    private ServerSocket unansweringListener() throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        closeAfter.add(listener);
        InetSocketAddress address = (InetSocketAddress) listener.getLocalSocketAddress();
        for (int i = 0; i < 2; i++) {
            Socket filler = new Socket();
            closeAfter.add(filler);
            filler.connect(address, 5_000);
        }
        Socket probe = new Socket();
        closeAfter.add(probe);
        boolean dropped;
        try {
            probe.connect(address, 300);
            dropped = false;
        } catch (SocketTimeoutException expected) {
            dropped = true;
        }
        assumeTrue(dropped, "this kernel completes connects beyond the backlog; the connect timeout cannot be shown this way");
        return listener;
    }

    @Test
    void aConnectThatNeverCompletesFailsAfterTheConnectTimeoutAndFreesItsSlot() throws Exception {
        ServerSocket listener = unansweringListener();
        ScriptedServer working = server((c, r, head) -> Action.answer(ScriptedServer.OK_HELLO));
        String stuck = "http://127.0.0.1:" + listener.getLocalPort() + "/";
        try (HttpClient client = HttpClient.on(loop).connectTimeout(Duration.ofMillis(200))
                .maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(30)).build()) {
            HttpClientException e = failure(client.send(Request.get(stuck)));
            assertEquals(Kind.CONNECT_FAILED, e.kind());
            assertTrue(e.getMessage().contains("connect") && e.getMessage().contains("200 ms"), e.getMessage());
            assertEquals(0, openConnections(client, stuck));
            // The slot is free: with a cap of 1 the next request to the origin tries again rather than waiting.
            assertEquals(Kind.CONNECT_FAILED, failure(client.send(Request.get(stuck))).kind());
            assertEquals("hello", client.send(Request.get(working.url("/"))).join().text());
        }
    }

    // ---- close ----

    @Test
    void closingTheClientFailsRequestsInFlightAndWaitingAndClosesTheirConnections() throws Exception {
        ScriptedServer silent = server((c, r, head) -> Action.silence());
        HttpClient client = HttpClient.on(loop).maxConnectionsPerOrigin(2).build();
        List<CompletableFuture<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(client.send(Request.get(silent.url("/" + i))));
        }
        await().atMost(10, SECONDS).until(() -> silent.requests().size() == 2); // two in flight, two waiting
        client.close();
        for (CompletableFuture<Response> response : sent) {
            assertEquals(Kind.CLIENT_CLOSED, failure(response).kind());
        }
        await().atMost(10, SECONDS).until(() -> silent.closedByClient() == 2);
        assertEquals(0, openConnections(client, silent.url("/")));
    }

    @Test
    void closingTheClientFailsARequestWhoseConnectionIsStillOpeningAndNeverSendsIt() throws Exception {
        ScriptedServer s = server((c, r, head) -> Action.answer(ScriptedServer.OK_HELLO));
        HttpClient client = HttpClient.on(loop).build();
        // On the loop, the connect begins, then the client closes: its clean-up runs a cycle later,
        // while the connect is on its way.
        CompletableFuture<Response> sent = CompletableFuture.supplyAsync(() -> {
            Call call = new Call(client.part(loop), Request.get(s.url("/")));
            client.part(loop).pool(call.request().uri()).acquire(call);
            client.close();
            return call.future;
        }, loop).join();
        assertEquals(Kind.CLIENT_CLOSED, failure(sent).kind());
        await().atMost(10, SECONDS).until(() -> openConnections(client, s.url("/")) == 0);
        assertTrue(s.requests().isEmpty(), s.requests()::toString);
    }

    // ---- limits and framing over a socket ----

    private void failsThenANewConnectionServes(HttpClient client, String badResponse, String rule) throws Exception {
        ScriptedServer s = server((c, r, head) -> c == 0 ? Action.answer(badResponse) : Action.answer(ScriptedServer.OK_HELLO));
        HttpClientException e = failure(client.send(Request.get(s.url("/"))));
        assertEquals(Kind.BAD_RESPONSE, e.kind());
        assertTrue(e.getMessage().contains(rule), e.getMessage());
        assertEquals("hello", client.send(Request.get(s.url("/"))).join().text());
        assertEquals(2, s.accepted());
        await().atMost(10, SECONDS).until(() -> s.closedByClient() == 1);
    }

    @Test
    void tooManyHeaderFieldsFailWithTheLimitsName() throws Exception {
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 11; i++) {
            many.append("X-").append(i).append(": v\r\n");
        }
        many.append("Content-Length: 0\r\n\r\n");
        try (HttpClient client = HttpClient.on(loop).limits(ResponseLimits.defaults().withMaxHeaderCount(10)).build()) {
            failsThenANewConnectionServes(client, many.toString(), "maxHeaderCount");
        }
    }

    @Test
    void aHeadOverTheSizeLimitFailsWithTheLimitsName() throws Exception {
        String big = "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(2_000) + "\r\nContent-Length: 0\r\n\r\n";
        try (HttpClient client = HttpClient.on(loop).limits(ResponseLimits.defaults().withMaxHeaderSize(1_024)).build()) {
            failsThenANewConnectionServes(client, big, "maxHeaderSize");
        }
    }

    @Test
    void contentLengthWithTransferEncodingIsRefused() throws Exception {
        try (HttpClient client = HttpClient.on(loop).build()) {
            failsThenANewConnectionServes(client,
                    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                    "both Content-Length and Transfer-Encoding");
        }
    }

    // ---- stale connection, pool full ----

    @Test
    void aStaleConnectionInAFullPoolIsReplacedAndTheGetRetried() throws Exception {
        // The first connection answers once, then closes on the next request without a byte; later ones answer.
        ScriptedServer s = server((c, r, head) -> c == 0 && r == 1 ? Action.closeWithoutAnswer()
                : Action.answer(ScriptedServer.OK_HELLO));
        try (HttpClient client = HttpClient.on(loop).maxConnectionsPerOrigin(1).build()) {
            assertEquals("hello", client.send(Request.get(s.url("/a"))).join().text());
            // The pool is full (one connection, idle). Two GETs: the first meets the stale connection, the second waits.
            CompletableFuture<Response> retried = client.send(Request.get(s.url("/b")));
            CompletableFuture<Response> waiting = client.send(Request.get(s.url("/c")));
            assertEquals("hello", retried.join().text());
            assertEquals("hello", waiting.join().text());
            assertEquals(2, s.accepted());
            assertEquals(1, openConnections(client, s.url("/")));
        }
    }
}
