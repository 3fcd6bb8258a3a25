package io.eddy.http.server;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.HttpLimits;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An error handler may answer with a streamed body ({@code HttpResponse.stream}): the client must
 * get it whole, a last chunk included, whatever the error.
 */
class StreamedErrorResponseTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("http-streamed-errors");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** A server whose error responses are streamed in two pieces, {@code error} and the status. */
    private HttpServer start(HttpLimits limits) throws IOException {
        return HttpServer.on(loop).bind("127.0.0.1", 0).limits(limits)
                .errorHandler(error -> HttpResponse.stream("text/plain", writer -> {
                    writer.write("error ");
                    writer.write(String.valueOf(error.status()));
                    writer.end();
                }).withStatus(error.status()))
                .get("/fail", request -> {
                    throw new IllegalStateException("a failure the test asked for");
                })
                .post("/", request -> HttpResponse.text("posted"))
                .start();
    }

    @Test
    void streamsTheErrorBodiesOfPipelinedRequestsWholeAndInOrder() throws IOException {
        HttpServer server = start(HttpLimits.defaults());
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET / HTTP/1.1\r\n\r\n");
            assertEquals("error 404", client.read().text());
            assertEquals("error 500", client.read().text());
            WireClient.Response refused = client.read();
            assertEquals(400, refused.status());
            assertEquals("error 400", refused.text());
            assertTrue(client.closedByServer());
        }
    }
}
