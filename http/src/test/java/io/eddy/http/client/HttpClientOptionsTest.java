package io.eddy.http.client;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.net.StandardSocketOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The client takes socket options as every builder does, and applies them to each connection it opens. */
class HttpClientOptionsTest {

    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("client-options");
        server = HttpServer.on(loop).bind("127.0.0.1", 0).get("/", req -> HttpResponse.text("hi")).start();
    }

    @AfterEach
    void stop() {
        server.close();
        loop.close();
    }

    @Test
    void sendsOverConnectionsWithItsOptions() throws Exception {
        try (HttpClient client = HttpClient.on(loop)
                .option(StandardSocketOptions.TCP_NODELAY, false)
                .option(StandardSocketOptions.SO_RCVBUF, 16 * 1024)
                .build()) {
            Response response = client.send(Request.get("http://127.0.0.1:" + server.port() + "/")).get(10, TimeUnit.SECONDS);
            assertEquals("hi", response.text());
        }
    }

    @Test
    void anOptionTheSocketDoesNotSupportFailsTheRequestSayingWhich() {
        try (HttpClient client = HttpClient.on(loop)
                .option(StandardSocketOptions.IP_MULTICAST_TTL, 1)
                .build()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> client.send(Request.get("http://127.0.0.1:" + server.port() + "/")).get(10, TimeUnit.SECONDS));
            HttpClientException failure = assertInstanceOf(HttpClientException.class, e.getCause());
            assertEquals(HttpClientException.Kind.CONNECT_FAILED, failure.kind(), failure.toString());
        }
    }
}
