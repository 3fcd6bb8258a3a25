package io.eddy.http.client;

import io.eddy.http.client.HttpClientException.Kind;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.client.ScriptedServer.Action;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client keeps a pool only for origins with a connection open or opening, or a call waiting.
 * (An idle connection keeping its pool until its idle timeout is shown in virtual time, in
 * {@link TimeoutsInVirtualTimeTest}.)
 */
class OriginPoolsTest {

    private EventLoop loop;
    private final List<ScriptedServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        loop = EventLoop.start("pools-test");
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        for (ScriptedServer s : servers) {
            s.close();
        }
    }

    private ScriptedServer server(Action action) throws Exception {
        ScriptedServer s = ScriptedServer.start((c, r, head) -> action);
        servers.add(s);
        return s;
    }

    private int pools(HttpClient client) {
        return CompletableFuture.supplyAsync(client::pools, loop).join();
    }

    @Test
    void anOriginWhoseConnectionsAllClosedIsForgotten() throws Exception {
        try (HttpClient client = HttpClient.on(loop).build()) {
            for (int i = 0; i < 5; i++) {
                ScriptedServer s = server(Action.answerAndClose(
                        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello"));
                assertEquals("hello", client.send(Request.get(s.url("/"))).join().text());
            }
            await().atMost(10, SECONDS).until(() -> pools(client) == 0);
        }
    }

    @Test
    void anOriginThatCannotBeReachedLeavesNoPool() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (HttpClient client = HttpClient.on(loop).build()) {
            CompletionException e = assertThrows(CompletionException.class,
                    () -> client.send(Request.get("http://127.0.0.1:" + port + "/")).join());
            assertEquals(Kind.CONNECT_FAILED, ((HttpClientException) e.getCause()).kind());
            assertEquals(0, pools(client));
        }
    }

    @Test
    void aRequestRefusedBecauseTheClientIsClosedLeavesNoPool() throws Exception {
        ScriptedServer s = server(Action.answer(ScriptedServer.OK_HELLO));
        HttpClient client = HttpClient.on(loop).build();
        client.close();
        // Sent from the loop, the call reaches the pool before the closed check at send would catch it.
        CompletableFuture<Response> sent = CompletableFuture.supplyAsync(() -> {
            Call call = new Call(client.part(loop), Request.get(s.url("/")));
            client.part(loop).pool(call.request().uri()).acquire(call);
            return call.future;
        }, loop).join();
        CompletionException e = assertThrows(CompletionException.class, sent::join);
        assertEquals(Kind.CLIENT_CLOSED, ((HttpClientException) e.getCause()).kind());
        assertEquals(0, pools(client));
    }
}
