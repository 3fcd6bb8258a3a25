package io.eddy.http.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ClientTls;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.client.HttpClientException.Kind;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eddy's client speaking https to Eddy's server over loopback: kept-alive TLS connections, the
 * host of the URL checked against the certificate, the trust it is given (or the system's),
 * and redirects between http and https that drop credentials across origins.
 */
@Timeout(120)
class HttpsClientTest {

    private static final String HOST = "127.0.0.1";

    private EventLoop serverLoop;
    private EventLoop loop;
    private HttpClient client;
    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        serverLoop = EventLoop.start("https-origin");
        loop = EventLoop.start("https-client");
        client = HttpClient.on(loop).tls(TestCertificates.get().clientTls()).followRedirects(3).build();
        server = HttpServer.on(serverLoop).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/hello", request -> {
                    clientPorts.add(request.remoteAddress().getPort());
                    return HttpResponse.text("hello over " + request.scheme());
                })
                .post("/echo", request -> HttpResponse.bytes(request.body(), "application/octet-stream"))
                .route("GET", "/credentials", request -> HttpResponse.text(request.scheme() + " authorization="
                        + request.header("Authorization") + " cookie=" + request.header("Cookie")))
                .route("POST", "/credentials", request -> HttpResponse.text(request.scheme() + " authorization="
                        + request.header("Authorization") + " body=" + request.bodyText()))
                .get("/to-https", request -> redirect(301, https("/credentials")))
                .get("/to-http", request -> redirect(302, http("/credentials")))
                .post("/same-origin", request -> redirect(307, "/credentials"))
                .get("/to-ftp", request -> redirect(302, "ftp://127.0.0.1/file"))
                .start();
    }

    @AfterEach
    void stop() {
        client.close();
        loop.close();
        server.close();
        serverLoop.close();
    }

    private static HttpResponse redirect(int status, String location) {
        return HttpResponse.status(status).header("Location", location);
    }

    private String https(String path) {
        return "https://localhost:" + server.tlsPort() + path;
    }

    private String http(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static HttpClientException failure(HttpClient client, String url) {
        CompletionException e = assertThrows(CompletionException.class, () -> client.send(Request.get(url)).join());
        return assertInstanceOf(HttpClientException.class, e.getCause());
    }

    @Test
    void requestsGoOutOnOneKeptAliveTlsConnection() {
        for (int i = 0; i < 5; i++) {
            assertEquals("hello over https", client.send(Request.get(https("/hello"))).join().text());
        }
        byte[] body = new byte[200_000];
        new Random(5).nextBytes(body);
        Response echo = client.send(Request.post(https("/echo"), body, "application/octet-stream")).join();
        assertArrayEquals(body, echo.body());
        assertEquals(1, clientPorts.size(), "one connection for every request: " + clientPorts);
        assertEquals(https("/hello"), client.send(Request.get(https("/hello"))).join().uri().toString());
    }

    @Test
    void anIpAddressInTheUrlIsCheckedAgainstTheCertificatesIpEntries() {
        assertEquals("hello over https", client.send(Request.get("https://127.0.0.1:" + server.tlsPort() + "/hello"))
                .join().text());
    }

    @Test
    void theHostOfTheUrlMustBeInTheCertificate() throws Exception {
        TestCertificates certificates = TestCertificates.get();
        ServerTls otherOnly = ServerTls.builder().certificate(certificates.otherChain(), certificates.otherKey()).build();
        try (HttpServer other = HttpServer.on(serverLoop).bindTls(HOST, 0, otherOnly)
                .get("/hello", request -> HttpResponse.text("hello")).start()) {
            HttpClientException byName = failure(client, "https://localhost:" + other.tlsPort() + "/hello");
            assertEquals(Kind.CONNECT_FAILED, byName.kind());
            assertInstanceOf(SSLHandshakeException.class, byName.getCause(), String.valueOf(byName.getCause()));
            assertTrue(byName.getMessage().contains("https://localhost:" + other.tlsPort()), byName.getMessage());
            HttpClientException byAddress = failure(client, "https://127.0.0.1:" + other.tlsPort() + "/hello");
            assertInstanceOf(SSLHandshakeException.class, byAddress.getCause(), String.valueOf(byAddress.getCause()));
        }
    }

    @Test
    void byDefaultTheSystemsTrustStoreDecidesAndItDoesNotKnowTheTestCa() {
        try (HttpClient systemTrust = HttpClient.on(loop).build()) {
            HttpClientException e = failure(systemTrust, https("/hello"));
            assertEquals(Kind.CONNECT_FAILED, e.kind());
            assertInstanceOf(SSLHandshakeException.class, e.getCause(), String.valueOf(e.getCause()));
        }
        // The blocking one-liners take https too, with the same defaults.
        HttpClientException shared = assertThrows(HttpClientException.class, () -> Http.get(https("/hello")));
        assertEquals(Kind.CONNECT_FAILED, shared.kind());
    }

    @Test
    void theClientOffersHttp11ByAlpnAndRefusesToOfferAnotherProtocol() {
        ClientTls h2 = TestCertificates.get().clientTlsBuilder().applicationProtocols(List.of("h2", "http/1.1")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpClient.on(loop).tls(h2));
        assertTrue(e.getMessage().contains("[h2, http/1.1]"), e.getMessage());
        ClientTls http11 = TestCertificates.get().clientTlsBuilder().applicationProtocols(List.of("http/1.1")).build();
        try (HttpClient offering = HttpClient.on(loop).tls(http11).build()) {
            assertEquals("hello over https", offering.send(Request.get(https("/hello"))).join().text());
        }
    }

    @Test
    void aRedirectFromHttpToHttpsIsFollowedWithoutTheCredentials() {
        Response response = client.send(withCredentials("GET", http("/to-https"))).join();
        assertEquals("https authorization=null cookie=null", response.text());
        assertEquals(https("/credentials"), response.uri().toString());
    }

    @Test
    void aRedirectFromHttpsToHttpIsFollowedWithoutTheCredentials() {
        Response response = client.send(withCredentials("GET", https("/to-http"))).join();
        assertEquals("http authorization=null cookie=null", response.text());
        assertEquals(http("/credentials"), response.uri().toString());
    }

    @Test
    void aRedirectWithinOneHttpsOriginKeepsTheCredentialsAndA307ItsBody() {
        Response response = client.send(Request.builder("POST", https("/same-origin"))
                .header("Authorization", "Bearer secret").body("the body").build()).join();
        assertEquals("https authorization=Bearer secret body=the body", response.text());
    }

    @Test
    void aRedirectToASchemeOtherThanHttpAndHttpsIsNotFollowed() {
        HttpClientException e = failure(client, https("/to-ftp"));
        assertEquals(Kind.UNSUPPORTED, e.kind());
        assertTrue(e.getMessage().contains("ftp://127.0.0.1/file") && e.getMessage().contains("http and https only"),
                e.getMessage());
    }

    @Test
    void httpAndHttpsOriginsEachKeepTheirOwnConnection() {
        assertEquals("hello over http", client.send(Request.get(http("/hello"))).join().text());
        assertEquals("hello over https", client.send(Request.get(https("/hello"))).join().text());
        assertEquals("hello over http", client.send(Request.get(http("/hello"))).join().text());
        assertEquals("hello over https", client.send(Request.get(https("/hello"))).join().text());
        assertEquals(2, new HashSet<>(clientPorts).size(), "one kept-alive connection per origin: " + clientPorts);
    }

    private static Request withCredentials(String method, String url) {
        return Request.builder(method, url).header("Authorization", "Bearer secret").header("Cookie", "session=1")
                .build();
    }
}
