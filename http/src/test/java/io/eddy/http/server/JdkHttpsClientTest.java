package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDK's own {@code java.net.http.HttpClient}, with an {@code SSLContext} trusting the test CA,
 * against an Eddy server's TLS port: left at its default version it offers {@code h2} by ALPN,
 * is answered {@code http/1.1}, and goes on in HTTP/1.1 over one kept-alive connection.
 */
class JdkHttpsClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private TestServer server;
    private ExecutorService clientThreads;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.startWithTls();
        clientThreads = Executors.newFixedThreadPool(4);
        client = HttpClient.newBuilder().sslContext(WireClient.trustingTestCa()).executor(clientThreads)
                .connectTimeout(TIMEOUT).build();
    }

    @AfterEach
    void stop() throws Exception {
        clientThreads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.httpsUrl(path))).timeout(TIMEOUT);
    }

    @Test
    void offersH2IsAnsweredInHttp11AndKeepsOneConnection() throws Exception {
        List<String> ports = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var response = client.send(request("/port").build(), BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, response.version());
            SSLSession session = response.sslSession().orElseThrow();
            assertEquals("TLSv1.3", session.getProtocol());
            ports.add(response.body().strip());
        }
        assertEquals(1, new HashSet<>(ports).size(), "one kept-alive connection: " + ports);
        assertEquals(List.of(Integer.parseInt(ports.get(0))), server.clientPortsOf("/port").stream().distinct().toList());
    }

    @Test
    void postsABodyAndReadsAStreamedOneOverTls() throws Exception {
        byte[] large = new byte[2 * 1024 * 1024 + 13];
        new Random(2).nextBytes(large);
        var echoed = client.send(request("/echo").header("Content-Type", "application/octet-stream")
                .POST(BodyPublishers.ofByteArray(large)).build(), BodyHandlers.ofByteArray());
        assertArrayEquals(large, echoed.body());

        var streamed = client.send(request("/stream/500").build(), BodyHandlers.ofString());
        assertEquals("chunked", streamed.headers().firstValue("Transfer-Encoding").orElseThrow());
        assertEquals(TestServer.streamBody(500), streamed.body());
    }

    @Test
    void aClientThatDoesNotTrustTheTestCaRefusesTheServer() {
        HttpClient systemTrust = HttpClient.newBuilder().executor(clientThreads).connectTimeout(TIMEOUT).build();
        IOException e = assertThrows(IOException.class,
                () -> systemTrust.send(request("/hello").build(), BodyHandlers.ofString()));
        assertInstanceOf(SSLHandshakeException.class, e, e.toString());
        assertTrue(server.seen().isEmpty(), server.seen().toString());
    }
}
