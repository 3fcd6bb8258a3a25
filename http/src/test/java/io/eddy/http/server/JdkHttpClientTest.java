package io.eddy.http.server;

import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JDK's own {@code java.net.http.HttpClient} against an Eddy server over loopback. */
class JdkHttpClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Answers of {@code GET /async/{id}}, completed by the test from its own thread. */
    private final Map<String, CompletableFuture<HttpResponse>> pending = new ConcurrentHashMap<>();

    private TestServer server;
    private ExecutorService clientThreads;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start((test, router) -> router.routeAsync(HttpMethod.GET, "/async/{id}",
                request -> pending.computeIfAbsent(request.pathParam("id"), id -> new CompletableFuture<>())));
        clientThreads = Executors.newFixedThreadPool(4);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(TIMEOUT).build();
    }

    @AfterEach
    void stop() throws Exception {
        pending.values().forEach(answer -> answer.complete(HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)));
        clientThreads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private java.net.http.HttpRequest.Builder request(String path) {
        return java.net.http.HttpRequest.newBuilder(server.uri(path)).timeout(TIMEOUT);
    }

    @Test
    void getsText() throws Exception {
        var response = client.send(request("/hello").build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("hello world", response.body());
        assertEquals("text/plain; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("11", response.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("Eddy", response.headers().firstValue("Server").orElseThrow());
        assertTrue(response.headers().firstValue("Date").isPresent(), response.headers().toString());
    }

    @Test
    void echoesPostedBodies() throws Exception {
        byte[] large = new byte[1024 * 1024 + 7];
        new Random(1).nextBytes(large);

        var text = client.send(request("/echo").header("Content-Type", "text/plain; charset=utf-8")
                .POST(BodyPublishers.ofString("héllo, wörld")).build(), BodyHandlers.ofString());
        var bytes = client.send(request("/echo").header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(large)).build(), BodyHandlers.ofByteArray());

        assertEquals(200, text.statusCode());
        assertEquals("héllo, wörld", text.body());
        assertEquals(200, bytes.statusCode());
        assertArrayEquals(large, bytes.body());
    }

    @Test
    void sequentialRequestsShareOneKeptAliveConnection() throws Exception {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            var response = client.send(request("/port").build(), BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            answers.add(response.body());
        }

        List<Integer> ports = server.clientPortsOf("/port");
        assertEquals(10, ports.size());
        assertEquals(1, new HashSet<>(ports).size(), "one client port for all ten requests: " + ports);
        assertEquals(1, new HashSet<>(answers).size(), "the server told the same port each time: " + answers);
        assertEquals(1, server.server().connectionCount());
    }

    @Test
    void answersManyConcurrentRequests() {
        int requests = 200;
        List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            responses.add(client.sendAsync(request("/echo").POST(BodyPublishers.ofString("request " + i)).build(),
                    BodyHandlers.ofString()));
        }

        for (int i = 0; i < requests; i++) {
            var response = responses.get(i).join();
            assertEquals(200, response.statusCode());
            assertEquals("request " + i, response.body());
        }
        assertEquals(requests, server.clientPortsOf("/echo").size());
    }

    @Test
    void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
        var head = client.send(request("/hello").method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        var get = client.send(request("/hello").build(), BodyHandlers.ofString());

        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("11", head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("text/plain; charset=utf-8", head.headers().firstValue("Content-Type").orElseThrow());
        // The GET after it on the same connection reads its own body, not leftovers.
        assertEquals("hello world", get.body());
        List<Integer> ports = server.clientPortsOf("/hello");
        assertEquals(2, ports.size());
        assertEquals(ports.get(0), ports.get(1), "HEAD and GET on one connection: " + ports);
    }

    @Test
    void asyncHandlersAnsweringInReverseOrderEachReachTheirClient() {
        int requests = 5;
        List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            responses.add(client.sendAsync(request("/async/" + i).build(), BodyHandlers.ofString()));
        }
        await().atMost(30, SECONDS).until(() -> pending.size() == requests);

        for (int i = requests - 1; i >= 0; i--) {
            pending.get(String.valueOf(i)).complete(HttpResponse.text("answer " + i));
            var response = responses.get(i).join();
            assertEquals(200, response.statusCode());
            assertEquals("answer " + i, response.body());
            for (int earlier = 0; earlier < i; earlier++) {
                assertFalse(responses.get(earlier).isDone(), "request " + earlier + " is answered only when its handler is");
            }
        }
    }

    @Test
    void anAsyncHandlerStillWaitingDoesNotHoldUpOtherClients() throws Exception {
        var waiting = client.sendAsync(request("/async/slow").build(), BodyHandlers.ofString());
        await().atMost(30, SECONDS).until(() -> pending.containsKey("slow"));

        var hello = client.send(request("/hello").build(), BodyHandlers.ofString());

        assertEquals("hello world", hello.body());
        assertFalse(waiting.isDone());
        pending.get("slow").complete(HttpResponse.text("at last"));
        assertEquals("at last", waiting.join().body());
    }

    @Test
    void readsAStreamedChunkedBodyIntact() throws Exception {
        var response = client.send(request("/stream/500").build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("chunked", response.headers().firstValue("Transfer-Encoding").orElseThrow());
        assertEquals(TestServer.streamBody(500), response.body());
    }

    @Test
    void theDefaultClientsUpgradeOfferIsDeclinedAndAnsweredInHttp11() throws Exception {
        // A client left at its default version offers an upgrade to h2c on its first request;
        // a server that only speaks HTTP/1.1 ignores the offer and answers normally.
        HttpClient defaults = HttpClient.newBuilder().executor(clientThreads).connectTimeout(TIMEOUT).build();

        var response = defaults.send(request("/headers").build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals(HttpClient.Version.HTTP_1_1, response.version());
        assertTrue(response.body().lines().anyMatch(line -> line.equalsIgnoreCase("Upgrade: h2c")), response.body());
        assertEquals("hello world", defaults.send(request("/hello").build(), BodyHandlers.ofString()).body());
    }
}
