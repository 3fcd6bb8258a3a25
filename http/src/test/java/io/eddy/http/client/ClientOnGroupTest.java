package io.eddy.http.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An HTTP client on a group of two loops, against a server on loopback: pools per loop, requests from many threads. */
@Timeout(60)
class ClientOnGroupTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int THREADS = 8;
    private static final int REQUESTS_PER_THREAD = 50;
    private static final int MAX_PER_LOOP = 2;

    private EventLoop serverLoop;
    private EventLoopGroup group;
    private HttpServer server;
    /** The client side of every connection the server has seen. */
    private final Set<InetSocketAddress> connections = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        serverLoop = EventLoop.start("client-group-server");
        group = EventLoopGroup.start("client-group", 2);
        server = HttpServer.on(serverLoop).bind("127.0.0.1", 0)
                .get("/", request -> {
                    connections.add(request.remoteAddress());
                    return HttpResponse.text("hello");
                })
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        group.close();
        serverLoop.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    /** Connections open or opening to the server on {@code loop}'s part of {@code client}, read on that loop. */
    private int openOn(HttpClient client, EventLoop loop) {
        return CompletableFuture.supplyAsync(() -> client.part(loop).openConnections(url()), loop).join();
    }

    @Test
    void manyThreadsSendingToOneOriginAllGetAnswersOverBothLoopsWithinEachLoopsLimit() throws Exception {
        HttpClient client = HttpClient.on(group).maxConnectionsPerOrigin(MAX_PER_LOOP).build();
        Set<String> completedOn = ConcurrentHashMap.newKeySet();
        ExecutorService senders = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<List<CompletableFuture<Response>>>> sent = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                sent.add(senders.submit(() -> {
                    List<CompletableFuture<Response>> responses = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        responses.add(client.send(Request.get(url())).whenComplete((response, failure) ->
                                completedOn.add(Thread.currentThread().getName())));
                    }
                    return responses;
                }));
            }
            for (Future<List<CompletableFuture<Response>>> thread : sent) {
                for (CompletableFuture<Response> response : thread.get()) {
                    Response r = response.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    assertEquals(200, r.status());
                    assertEquals("hello", r.text());
                }
            }
        } finally {
            senders.shutdown();
        }

        // Each loop opened connections of its own, and no more than its own pool's limit.
        for (EventLoop loop : group) {
            int open = openOn(client, loop);
            assertTrue(open >= 1 && open <= MAX_PER_LOOP, loop.name() + " holds " + open + " connections");
        }
        // Responses complete on both loops (a callback attached after its response completed runs
        // on the sender's thread instead, so the set may hold more names than the loops').
        assertTrue(completedOn.containsAll(Set.of("client-group-0", "client-group-1")), completedOn.toString());
        assertTrue(connections.size() <= MAX_PER_LOOP * group.size(),
                "the server saw " + connections.size() + " connections");
        client.close();
    }

    @Test
    void aRequestSentFromOneOfTheGroupsLoopsUsesThatLoopsPools() {
        HttpClient client = HttpClient.on(group).build();
        EventLoop second = group.loops().get(1);
        // The callback is attached in the same loop task that sends, so it cannot find the response
        // complete already (and run on this thread): it runs where the response completes.
        String completedOn = CompletableFuture.supplyAsync(() -> client.send(Request.get(url()))
                        .thenApply(response -> Thread.currentThread().getName()), second)
                .join().join();

        assertEquals(second.name(), completedOn);
        assertEquals(1, openOn(client, second));
        assertEquals(0, openOn(client, group.loops().get(0)));
        client.close();
    }

    @Test
    void closeClosesTheConnectionsOnEveryLoopAndRefusesNewRequests() {
        HttpClient client = HttpClient.on(group).build();
        for (EventLoop loop : group) {
            CompletableFuture.supplyAsync(() -> client.send(Request.get(url())), loop).join().join();
        }
        for (EventLoop loop : group) {
            assertEquals(1, openOn(client, loop));
        }

        client.close();

        await().atMost(WAIT).until(() -> openOn(client, group.loops().get(0)) == 0
                && openOn(client, group.loops().get(1)) == 0);
        CompletionException e = assertThrows(CompletionException.class, () -> client.send(Request.get(url())).join());
        assertEquals(Kind.CLIENT_CLOSED, ((HttpClientException) e.getCause()).kind());
        assertThrows(IllegalStateException.class, client::loop);
    }
}
