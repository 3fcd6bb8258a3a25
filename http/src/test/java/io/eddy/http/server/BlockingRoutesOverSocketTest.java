package io.eddy.http.server;

import io.eddy.core.loop.BlockingWork;
import io.eddy.core.loop.EventLoop;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking routes over loopback sockets, on the server's real blocking work: a handler that blocks
 * holds neither the loop nor other connections, a full queue is answered 503 at once, and pipelined
 * answers keep their order. Handlers "block" on latches the test opens, never on a clock.
 */
@Timeout(30)
class BlockingRoutesOverSocketTest {

    private static final long WAIT_SECONDS = 10;

    private EventLoop loop;
    /** What a blocking handler waits for: a stand-in for a slow database. */
    private final CountDownLatch databaseAnswers = new CountDownLatch(1);
    private final CountDownLatch blockedCallStarted = new CountDownLatch(1);

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("blocking-routes");
    }

    @AfterEach
    void closeLoop() {
        databaseAnswers.countDown();
        loop.close();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    /** A blocking route that waits for the database, and a plain one. */
    private HttpServer.Builder server() {
        return HttpServer.on(loop).bind("127.0.0.1", 0)
                .routeBlocking("GET", "/db", req -> {
                    blockedCallStarted.countDown();
                    assertTrue(databaseAnswers.await(WAIT_SECONDS, TimeUnit.SECONDS));
                    return HttpResponse.text("row");
                })
                .get("/hello", req -> HttpResponse.text("hello"));
    }

    @Test
    void servesAnotherConnectionOnTheSameLoopWhileABlockingHandlerWaits() throws Exception {
        HttpServer server = server().start();
        try (WireClient waiting = WireClient.connect(server.port()); WireClient other = WireClient.connect(server.port())) {
            waiting.send(get("/db"));
            assertTrue(blockedCallStarted.await(WAIT_SECONDS, TimeUnit.SECONDS));

            other.send(get("/hello"));
            assertEquals("hello", other.read().text());

            databaseAnswers.countDown();
            assertEquals("row", waiting.read().text());
        }
    }

    @Test
    void answers503AtOnceWhileTheBlockingWorkIsFull() throws Exception {
        try (BlockingWork oneAtATime = BlockingWork.create(1)) {
            HttpServer server = server().blockingWork(oneAtATime).start();
            try (WireClient first = WireClient.connect(server.port()); WireClient second = WireClient.connect(server.port())) {
                first.send(get("/db"));
                assertTrue(blockedCallStarted.await(WAIT_SECONDS, TimeUnit.SECONDS));

                second.send(get("/db"));
                WireClient.Response busy = second.read();
                assertEquals(503, busy.status(), "answered while the first call still blocks");
                assertEquals("1", busy.header("Retry-After"));

                databaseAnswers.countDown();
                assertEquals("row", first.read().text());
                second.send(get("/hello"));
                assertEquals("hello", second.read().text());
            }
        }
    }

    @Test
    void keepsPipelinedAnswersInRequestOrderWhenALaterBlockingCallFinishesFirst() throws IOException, InterruptedException {
        CountDownLatch quickDone = new CountDownLatch(1);
        HttpServer server = server()
                .routeBlocking("GET", "/quick", req -> {
                    quickDone.countDown();
                    return HttpResponse.text("quick");
                })
                .start();
        try (WireClient client = WireClient.connect(server.port())) {
            client.send(get("/db") + get("/quick") + get("/hello"));
            assertTrue(quickDone.await(WAIT_SECONDS, TimeUnit.SECONDS));
            databaseAnswers.countDown();
            assertEquals("row", client.read().text());
            assertEquals("quick", client.read().text());
            assertEquals("hello", client.read().text());
        }
    }
}
