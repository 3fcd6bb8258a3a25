package io.eddy.http.server;

import com.sun.net.httpserver.HttpExchange;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.http.BodyWriter;
import io.eddy.http.client.Http;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.HttpClientException;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Eddy's HTTP client against servers over loopback: Eddy's own, the JDK's
 * {@code com.sun.net.httpserver}, and Python's {@code http.server}, over http and over https
 * (wrapped in Python's {@code ssl}; skipped where python3 is not installed). Connections are
 * counted on the server's side.
 */
class HttpClientInteropTest {

    private EventLoop loop;
    private HttpClient client;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        loop = EventLoop.start("client");
        client = HttpClient.on(loop).build();
    }

    @AfterEach
    void stop() {
        client.close();
        loop.close();
    }

    private Response send(Request request) {
        return client.send(request).join();
    }

    // ---- Eddy's server ----

    @Test
    void eddyServerKeepsOneConnectionForSequentialRequests() throws Exception {
        try (TestServer server = TestServer.start()) {
            String base = "http://" + TestServer.HOST + ":" + server.port();
            for (int i = 0; i < 5; i++) {
                assertEquals("hello world", send(Request.get(base + "/hello")).text());
            }
            Response echo = send(Request.post(base + "/echo", "{\"a\": 1}", "application/json"));
            assertEquals("{\"a\": 1}", echo.text());
            assertEquals("application/json", echo.header("Content-Type"));
            Response streamed = send(Request.get(base + "/stream/3"));
            assertEquals(200, streamed.status());
            assertTrue(streamed.body().length > 0);
            Response head = send(Request.builder("HEAD", base + "/hello").build());
            assertEquals(0, head.body().length);
            assertEquals(1, server.seen().stream().map(TestServer.Seen::clientPort).distinct().count(), server.seen().toString());
        }
    }

    @Test
    void streamedRequestBodiesGoOutChunked() throws Exception {
        try (TestServer server = TestServer.start()) {
            String base = "http://" + TestServer.HOST + ":" + server.port();
            Request upload = Request.builder("POST", base + "/echo").header("Content-Type", "text/plain")
                    .streamBody(writer -> {
                        writer.write("one ");
                        writer.write("two");
                        writer.end();
                    }).build();
            assertEquals("one two", send(upload).text());
        }
    }

    @Test
    void requestAndResponseBodiesAreStreamedByOneWriterThatRefusesPiecesAfterTheEnd() throws Exception {
        CompletableFuture<BodyWriter> serverSide = new CompletableFuture<>();
        CompletableFuture<BodyWriter> clientSide = new CompletableFuture<>();
        CompletableFuture<Throwable> lateWrite = new CompletableFuture<>();
        try (TestServer server = TestServer.start((test, router) -> router.post("/both", request ->
                HttpResponse.stream("text/plain", writer -> {
                    serverSide.complete(writer);
                    writer.write(request.bodyText());
                    writer.end();
                })))) {
            Request upload = Request.builder("POST", "http://" + TestServer.HOST + ":" + server.port() + "/both")
                    .streamBody(writer -> {
                        clientSide.complete(writer);
                        writer.write("up and down");
                        writer.end();
                        writer.write("too late").whenComplete((ok, failure) -> lateWrite.complete(failure));
                    }).build();
            assertEquals("up and down", send(upload).text());
            assertEquals(serverSide.join().getClass(), clientSide.join().getClass());
            Throwable refused = lateWrite.join();
            assertTrue(refused instanceof IllegalStateException, String.valueOf(refused));
            assertEquals("the request body has ended", refused.getMessage());
        }
    }

    @Test
    void blockingConvenienceFailsWithTheCallersStackAndTheLoopsFailureAsCause() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://" + TestServer.HOST + ":" + port + "/hello";
        HttpClientException e = assertThrows(HttpClientException.class, () -> Http.get(url));
        assertEquals(HttpClientException.Kind.CONNECT_FAILED, e.kind());
        assertTrue(e.getCause() instanceof HttpClientException, String.valueOf(e.getCause()));
        HttpClientException onLoop = (HttpClientException) e.getCause();
        assertEquals(e.kind(), onLoop.kind());
        assertEquals(onLoop.getMessage(), e.getMessage());
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals(
                "blockingConvenienceFailsWithTheCallersStackAndTheLoopsFailureAsCause")), () -> Arrays.toString(e.getStackTrace()));
    }

    @Test
    void blockingConvenienceRefusesAnEventLoopThread() throws Exception {
        try (TestServer server = TestServer.start()) {
            String url = "http://" + TestServer.HOST + ":" + server.port() + "/hello";
            assertEquals("hello world", Http.get(url).text());
            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    Http.get(url);
                    onLoop.complete(null);
                } catch (RuntimeException e) {
                    onLoop.complete(e);
                }
            });
            assertTrue(onLoop.join() instanceof IllegalStateException, String.valueOf(onLoop.join()));
        }
    }

    @Test
    void otherAndMissingSchemesAreRefusedSayingWhatIsExpected() {
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class, () -> Http.get("ftp://127.0.0.1/"));
        assertTrue(ftp.getMessage().contains("unsupported scheme \"ftp\": expected an http:// or https:// URL"),
                ftp.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Request.get("127.0.0.1/hello"));
        assertTrue(none.getMessage().contains("http:// or https://"), none.getMessage());
        IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class, () -> Request.get("https:///hello"));
        assertTrue(noHost.getMessage().contains("https:// URL with a host"), noHost.getMessage());
    }

    // ---- the JDK's server ----

    /** A JDK server on port 0 that counts connections by the client's port. */
    private static final class JdkServer implements AutoCloseable {
        final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        final com.sun.net.httpserver.HttpServer server;
        final ExecutorService executor = Executors.newFixedThreadPool(4);

        JdkServer() throws Exception {
            server = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            server.setExecutor(executor);
            server.createContext("/length", exchange -> answer(exchange, "hello from the jdk".getBytes(), false));
            server.createContext("/chunked", exchange -> answer(exchange, "chunked from the jdk".getBytes(), true));
            server.start();
        }

        private void answer(HttpExchange exchange, byte[] body, boolean chunked) throws java.io.IOException {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : chunked ? 0 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    void jdkServerContentLengthChunkedAndHeadOnOneConnection() throws Exception {
        try (JdkServer server = new JdkServer()) {
            assertEquals("hello from the jdk", send(Request.get(server.url("/length"))).text());
            Response chunked = send(Request.get(server.url("/chunked")));
            assertEquals("chunked", chunked.header("Transfer-Encoding"));
            assertEquals("chunked from the jdk", chunked.text());
            assertEquals(0, send(Request.builder("HEAD", server.url("/length")).build()).body().length);
            assertEquals("hello from the jdk", send(Request.get(server.url("/length"))).text());
            assertEquals(1, server.clientPorts.size(), server.clientPorts.toString());
        }
    }

    @Test
    void aThousandConcurrentRequestsShareAPoolOfEightConnections() throws Exception {
        HttpClient pooled = HttpClient.on(loop).maxConnectionsPerOrigin(8).maxWaiting(1000).build();
        try (TestServer server = TestServer.start()) {
            String base = "http://" + TestServer.HOST + ":" + server.port();
            List<CompletableFuture<Response>> responses = IntStream.range(0, 1000)
                    .mapToObj(i -> pooled.send(i % 2 == 0 ? Request.get(base + "/hello") : Request.post(base + "/echo", "n" + i)))
                    .toList();
            for (int i = 0; i < responses.size(); i++) {
                assertEquals(i % 2 == 0 ? "hello world" : "n" + i, responses.get(i).join().text());
            }
            long connections = server.seen().stream().map(TestServer.Seen::clientPort).distinct().count();
            assertTrue(connections <= 8, "connections: " + connections);
        } finally {
            pooled.close();
        }
    }

    // ---- Python's server ----

    @Test
    void pythonServerEveryFramingAndKeepAlive() throws Exception {
        againstPython(client, "http://127.0.0.1:", List.of());
    }

    @Test
    void pythonServerOverTlsEveryFramingAndKeepAlive() throws Exception {
        TestCertificates certificates = TestCertificates.get();
        try (HttpClient https = HttpClient.on(loop).tls(certificates.clientTls()).build()) {
            againstPython(https, "https://localhost:",
                    List.of(certificates.serverEcChain().toString(), certificates.serverEcKey().toString()));
        }
    }

    /**
     * Python's {@code http.server} (wrapped in {@code ssl} when given a certificate chain and key),
     * started on a free port it prints, answered through {@code client} at {@code base} and that port.
     */
    private void againstPython(HttpClient client, String base, List<String> tlsArguments) throws Exception {
        Optional<String> found = ExternalClient.find("/usr/bin/python3", "python3");
        assumeTrue(found.isPresent(), "python3 is not installed: the tests against Python's http.server cannot run here");
        Path script = dir.resolve("python_http_server.py");
        try (InputStream source = getClass().getResourceAsStream("/python_http_server.py")) {
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(found.get(), script.toString()));
        command.addAll(tlsArguments);
        Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            String origin = base + Integer.parseInt(out.readLine().strip());
            assertEquals("hello from python", client.send(Request.get(origin + "/length")).join().text());
            Response chunked = client.send(Request.get(origin + "/chunked")).join();
            assertEquals("hello from python", chunked.text());
            assertEquals("17", chunked.trailers().get("X-Checksum"));
            Response head = client.send(Request.builder("HEAD", origin + "/length").build()).join();
            assertEquals("17", head.header("Content-Length"));
            assertEquals(0, head.body().length);
            assertEquals("posted", client.send(Request.post(origin + "/echo", "posted")).join().text());
            assertEquals("1", client.send(Request.get(origin + "/connections")).join().text(),
                    "one kept-alive connection so far");
            assertEquals("until the end", client.send(Request.get(origin + "/close")).join().text());
            // The close-delimited body ended its connection: the next request needs another.
            assertEquals("2", client.send(Request.get(origin + "/connections")).join().text());
        } finally {
            python.descendants().forEach(ProcessHandle::destroyForcibly);
            python.destroy();
            python.waitFor();
        }
    }
}
