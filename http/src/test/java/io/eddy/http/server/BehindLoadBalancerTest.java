package io.eddy.http.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.proxy.Cidr;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP server behind a load balancer, over real sockets: PROXY headers, forwarded headers, health and drain. */
@Timeout(60)
class BehindLoadBalancerTest {

    private static final String HOST = "127.0.0.1";
    private static final InetSocketAddress CLIENT = new InetSocketAddress(Cidr.parseAddress("198.51.100.7").orElseThrow(), 61000);
    private static final InetSocketAddress SERVICE = new InetSocketAddress(Cidr.parseAddress("192.0.2.1").orElseThrow(), 80);

    private EventLoop loop;

    @BeforeEach
    void start() {
        loop = EventLoop.start("behind-balancer");
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    /** A server whose {@code /who} tells what the request knows of its client. */
    private HttpServer.Builder server() {
        return HttpServer.on(loop).bind(HOST, 0).healthRoutes()
                .get("/who", request -> HttpResponse.text(request.clientAddress() + " " + request.scheme() + " "
                        + request.host() + " via " + request.remoteAddress()));
    }

    private static Response get(HttpClient client, String url, String... headers) throws Exception {
        Request.Builder request = Request.builder("GET", url);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aProxyHeaderGivesTheClientAndForwardedHeadersFromItAreNotBelieved() throws Exception {
        HttpServer server = server().proxyProtocol(ProxyProtocol.required()).trustedProxies("127.0.0.1").start();
        try (HttpClient client = HttpClient.on(loop).proxyHeader(ProxyHeader.v2(CLIENT, SERVICE)).build()) {
            Response response = get(client, "http://127.0.0.1:" + server.port() + "/who",
                    "X-Forwarded-For", "203.0.113.66", "X-Forwarded-Proto", "https");
            assertEquals("/198.51.100.7:61000 http 127.0.0.1:" + server.port() + " via /198.51.100.7:61000",
                    response.text(), "the PROXY header's client, who is no trusted proxy");
        }
    }

    @Test
    void aConnectionWithoutTheRequiredHeaderGetsNoAnswer() throws Exception {
        HttpServer server = server().proxyProtocol(ProxyProtocol.required()).start();
        try (Socket socket = new Socket(HOST, server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /who HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
            assertEquals(-1, socket.getInputStream().read());
        }
    }

    @Test
    void aTrustedProxysForwardedHeadersGiveClientSchemeAndHost() throws Exception {
        HttpServer server = server().trustedProxies("127.0.0.0/8").start();
        try (HttpClient client = HttpClient.on(loop).build()) {
            String url = "http://127.0.0.1:" + server.port() + "/who";
            assertEquals("/203.0.113.7:0 https www.example.com via /127.0.0.1:",
                    withoutPort(get(client, url, "X-Forwarded-For", "192.0.2.200, 203.0.113.7",
                            "X-Forwarded-Proto", "https", "X-Forwarded-Host", "www.example.com").text()));
        }
        HttpServer wary = server().trustedProxies("10.0.0.0/8").start();
        try (HttpClient client = HttpClient.on(loop).build()) {
            String text = get(client, "http://127.0.0.1:" + wary.port() + "/who",
                    "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https").text();
            assertTrue(text.startsWith("/127.0.0.1:") && text.contains(" http 127.0.0.1:"), text);
        }
    }

    private static String withoutPort(String text) {
        return text.replaceAll("via /127\\.0\\.0\\.1:\\d+$", "via /127.0.0.1:");
    }

    @Test
    void readinessTurns503FirstWhileEverythingElseIsStillServed() throws Exception {
        HttpServer server = server().start();
        try (HttpClient client = HttpClient.on(loop).build()) {
            String base = "http://127.0.0.1:" + server.port();
            assertEquals(200, get(client, base + "/health/live").status());
            Response ready = get(client, base + "/health/ready");
            assertEquals(200, ready.status());
            assertEquals("no-store", ready.header("Cache-Control"));
            assertTrue(server.isReady());

            CompletableFuture<Void> graceOver = server.beginShutdown(Duration.ofMinutes(10));
            assertFalse(server.isReady());
            assertEquals(503, get(client, base + "/health/ready").status());
            assertEquals(200, get(client, base + "/health/live").status());
            assertEquals(200, get(client, base + "/who").status(), "still serving");
            try (Socket fresh = new Socket(HOST, server.port());
                 BufferedReader in = new BufferedReader(new InputStreamReader(fresh.getInputStream(), US_ASCII))) {
                fresh.getOutputStream().write("GET /who HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(US_ASCII));
                assertEquals("HTTP/1.1 200 OK", in.readLine(), "still accepting");
            }
            assertFalse(graceOver.isDone());
        }
        assertTrue(server.beginShutdown(Duration.ZERO).get(10, TimeUnit.SECONDS) == null);
    }

    @Test
    void closingTheServerTurnsReadinessOff() throws IOException {
        HttpServer server = server().start();
        server.close();
        assertFalse(server.isReady());
    }
}
