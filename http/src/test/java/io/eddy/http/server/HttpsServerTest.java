package io.eddy.http.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ClientAuth;
import io.eddy.core.tls.ServerTls;
import io.eddy.core.tls.TlsSession;
import io.eddy.http.HttpLimits;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.HttpClientException;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP server with a TLS listener, over loopback: both listeners serve the same routes and
 * close together, a request knows which it came on (and the client's certificate), the server
 * announces {@code http/1.1} by ALPN, and a peer that speaks the wrong protocol to a port is
 * turned away without harm.
 */
@Timeout(120)
class HttpsServerTest {

    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private EventLoop loop;
    private EventLoop clientLoop;
    private HttpClient client;
    private HttpServer server;

    @BeforeEach
    void start() {
        loop = EventLoop.start("https-server");
        clientLoop = EventLoop.start("https-client");
        client = HttpClient.on(clientLoop).tls(TestCertificates.get().clientTls()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        clientLoop.close();
        if (server != null) {
            server.close();
        }
        loop.close();
    }

    private Response get(String url) {
        return client.send(Request.get(url)).join();
    }

    /** What a request tells of the listener it came on. */
    private static HttpResponse describe(HttpRequest request) {
        String tls = request.tls().map(session -> session.protocol() + " alpn=" + session.applicationProtocol()
                + " sni=" + session.requestedServerName()).orElse("plaintext");
        return HttpResponse.text(request.scheme() + " secure=" + request.isSecure() + " " + tls);
    }

    @Test
    void bothListenersServeTheSameRoutesAndEachRequestKnowsWhichItCameOn() throws Exception {
        server = HttpServer.on(loop).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/who", HttpsServerTest::describe).start();

        assertEquals("http secure=false plaintext", get("http://127.0.0.1:" + server.port() + "/who").text());
        assertEquals("https secure=true TLSv1.3 alpn=http/1.1 sni=localhost",
                get("https://localhost:" + server.tlsPort() + "/who").text());
        // An IP address is checked against the certificate's IP entries, and sent as no server name.
        assertEquals("https secure=true TLSv1.3 alpn=http/1.1 sni=null",
                get("https://127.0.0.1:" + server.tlsPort() + "/who").text());
        await().atMost(WAIT).until(() -> server.connectionCount() == 3);
        assertTrue(server.toString().contains("http /127.0.0.1:" + server.port()), server.toString());
        assertTrue(server.toString().contains("https /127.0.0.1:" + server.tlsPort()), server.toString());
        assertEquals(server.tlsPort(), server.tlsLocalAddress().getPort());
    }

    @Test
    void aServerBoundForTlsOnlyHasNoPlaintextPortAndOneWithoutTlsNoTlsPort() throws Exception {
        server = HttpServer.on(loop).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/who", HttpsServerTest::describe).start();
        assertEquals("https secure=true TLSv1.3 alpn=http/1.1 sni=localhost",
                get("https://localhost:" + server.tlsPort() + "/who").text());
        IllegalStateException noPlaintext = assertThrows(IllegalStateException.class, server::port);
        assertTrue(noPlaintext.getMessage().contains("TLS only"), noPlaintext.getMessage());
        assertThrows(IllegalStateException.class, server::localAddress);

        try (HttpServer plain = HttpServer.on(loop).bind(HOST, 0).start()) {
            IllegalStateException noTls = assertThrows(IllegalStateException.class, plain::tlsPort);
            assertTrue(noTls.getMessage().contains("bindTls"), noTls.getMessage());
        }
    }

    @Test
    void aClientCertificateReachesTheHandlerWhenTheServerAsksForOne() throws Exception {
        TestCertificates certificates = TestCertificates.get();
        ServerTls asking = certificates.serverTlsBuilder().clientAuth(ClientAuth.REQUESTED)
                .trustedClientCertificates(certificates.caPem()).build();
        server = HttpServer.on(loop).bindTls(HOST, 0, asking)
                .get("/me", request -> HttpResponse.text(request.tls().map(TlsSession::peerCertificates)
                        .filter(chain -> !chain.isEmpty())
                        .map(chain -> chain.get(0).getSubjectX500Principal().getName())
                        .orElse("anonymous")))
                .start();
        String url = "https://localhost:" + server.tlsPort() + "/me";

        assertEquals("anonymous", get(url).text());
        try (HttpClient withCertificate = HttpClient.on(clientLoop).tls(certificates.clientTlsBuilder()
                .clientCertificate(certificates.clientChain(), certificates.clientKey()).build()).build()) {
            assertEquals("CN=Eddy Test Client,O=Eddy tests", withCertificate.send(Request.get(url)).join().text());
        }
    }

    @Test
    void theTlsListenerAnnouncesHttp11ByAlpnAndRefusesToAnnounceAProtocolItDoesNotSpeak() throws Exception {
        server = HttpServer.on(loop).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/hello", request -> HttpResponse.text("hello")).start();

        try (WireClient browserLike = WireClient.connectTls(server.tlsPort(), "h2", "http/1.1")) {
            assertEquals("http/1.1", ((SSLSocket) browserLike.socket()).getApplicationProtocol());
            browserLike.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("hello", browserLike.read().text());
        }
        try (WireClient noAlpn = WireClient.connectTls(server.tlsPort())) {
            noAlpn.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals("hello", noAlpn.read().text());
        }
        // A client that speaks HTTP/2 only is told at the handshake that the server does not.
        assertThrows(SSLHandshakeException.class, () -> WireClient.connectTls(server.tlsPort(), "h2").close());

        ServerTls h2 = TestCertificates.get().serverTlsBuilder().applicationProtocols(List.of("h2", "http/1.1")).build();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpServer.on(loop).bindTls(0, h2));
        assertTrue(refused.getMessage().contains("'h2'"), refused.getMessage());
        ServerTls http11 = TestCertificates.get().serverTlsBuilder().applicationProtocols(List.of("http/1.1")).build();
        HttpServer.on(loop).bindTls(0, http11); // what the server speaks is taken as it is
    }

    @Test
    void limitsAndBlockingRoutesApplyOnTheTlsListenerToo() throws Exception {
        server = HttpServer.on(loop).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .limits(HttpLimits.defaults().withMaxBodySize(100))
                .routeBlocking("POST", "/blocking", request -> HttpResponse.text(
                        Thread.currentThread().getName().startsWith("https-server") ? "on the loop" : "off the loop "
                                + request.scheme()))
                .start();
        String url = "https://localhost:" + server.tlsPort() + "/blocking";

        assertEquals("off the loop https", client.send(Request.post(url, "small")).join().text());
        assertEquals(413, client.send(Request.post(url, "x".repeat(101))).join().status());
        assertEquals(413, client.send(Request.post("http://127.0.0.1:" + server.port() + "/blocking", "x".repeat(101)))
                .join().status());
    }

    @Test
    void closingTheServerClosesBothListenersAndTheKeptAliveConnectionsOfEach() throws Exception {
        server = HttpServer.on(loop).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/hello", request -> HttpResponse.text("hello")).start();
        int port = server.port();
        int tlsPort = server.tlsPort();
        try (WireClient plain = WireClient.connect(port); WireClient secure = WireClient.connectTls(tlsPort)) {
            assertEquals("hello", plain.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
            assertEquals("hello", secure.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text());

            server.close();

            assertTrue(plain.closedByServer());
            assertTrue(secure.closedByServer());
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertRefused(port);
            assertRefused(tlsPort);
        });
    }

    @Test
    void aGroupsShutdownClosesBothListenersAfterAnsweringWhatEachHadRead() throws Exception {
        EventLoopGroup group = EventLoopGroup.start("https-group", 2);
        CountDownLatch inHandler = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        try {
            HttpServer onGroup = HttpServer.on(group).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                    .routeBlocking("GET", "/slow", request -> {
                        inHandler.countDown();
                        release.await();
                        return HttpResponse.text("answered over " + request.scheme());
                    }).start();
            int port = onGroup.port();
            int tlsPort = onGroup.tlsPort();
            try (WireClient plain = WireClient.connect(port); WireClient secure = WireClient.connectTls(tlsPort)) {
                plain.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                secure.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                inHandler.await();

                var terminated = group.shutdown(Duration.ofSeconds(30));
                await().atMost(WAIT).untilAsserted(() -> {
                    assertRefused(port);
                    assertRefused(tlsPort);
                });
                release.countDown();

                WireClient.Response plainAnswer = plain.read();
                WireClient.Response secureAnswer = secure.read();
                assertEquals("answered over http", plainAnswer.text());
                assertEquals("answered over https", secureAnswer.text());
                assertEquals("close", plainAnswer.header("Connection"));
                assertEquals("close", secureAnswer.header("Connection"));
                assertTrue(plain.closedByServer());
                assertTrue(secure.closedByServer());
                terminated.join();
            }
        } finally {
            release.countDown();
            group.close();
        }
    }

    @Test
    void theWrongProtocolOnEitherPortIsTurnedAwayAndTheServerGoesOn() throws Exception {
        server = HttpServer.on(loop).bind(HOST, 0).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/hello", request -> HttpResponse.text("hello")).start();

        // Plaintext HTTP to the TLS port: no HTTP answer, at most a TLS alert record, then the end.
        try (WireClient plaintextToTls = WireClient.connect(server.tlsPort())) {
            byte[] answer = plaintextToTls.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").readToEnd();
            assertTrue(answer.length == 0 || answer[0] == 0x15, "an alert (content type 21) or nothing: "
                    + new String(answer, StandardCharsets.ISO_8859_1));
        }
        // TLS to the plaintext port: the ClientHello is a malformed request there, answered 400 and
        // closed, which fails the client's handshake.
        CompletionException failed = assertThrows(CompletionException.class,
                () -> client.send(Request.get("https://localhost:" + server.port() + "/hello")).join());
        HttpClientException cause = assertInstanceOf(HttpClientException.class, failed.getCause());
        assertEquals(HttpClientException.Kind.CONNECT_FAILED, cause.kind());
        assertInstanceOf(SSLException.class, cause.getCause(), String.valueOf(cause.getCause()));

        assertEquals("hello", get("https://localhost:" + server.tlsPort() + "/hello").text());
        assertEquals("hello", get("http://127.0.0.1:" + server.port() + "/hello").text());
    }

    private static void assertRefused(int port) {
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
    }
}
