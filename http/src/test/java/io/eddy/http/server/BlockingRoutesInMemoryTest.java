package io.eddy.http.server;

import io.eddy.core.loop.BlockingWork;
import io.eddy.core.loop.EventLoop;
import io.eddy.http.HttpStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking routes in memory: the handler runs when the test runs the executor's queue, on a worker
 * thread of the test's, and its answer is written when the test loop runs what the worker handed
 * it. No scheduler decides anything, so every interleaving here is the test's choice.
 */
class BlockingRoutesInMemoryTest {

    private static final String GET_DB = "GET /db HTTP/1.1\r\nHost: x\r\n\r\n";

    /** Calls handed to the blocking work's executor, run when the test says. */
    private final Deque<Runnable> calls = new ArrayDeque<>();
    private InMemoryHttp http;

    @AfterEach
    void close() {
        if (http != null) {
            http.close();
        }
    }

    private InMemoryHttp start(int maxTasks, UnaryOperator<HttpServer.Builder> routes) {
        http = new InMemoryHttp(server -> routes.apply(server.blockingWork(BlockingWork.using(calls::add, maxTasks))));
        return http;
    }

    /** Runs a queued call (the oldest, or the newest) on a thread other than the loop's, as a pool would. */
    private void runCallOffTheLoop(boolean newest) throws InterruptedException {
        Runnable call = newest ? calls.removeLast() : calls.removeFirst();
        Thread worker = new Thread(call, "worker");
        worker.start();
        worker.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(worker.isAlive());
    }

    @Test
    void runsTheHandlerOffTheLoopAndWritesItsAnswerOnTheLoop() throws InterruptedException {
        List<String> ranOn = new ArrayList<>();
        InMemoryHttp server = start(4, s -> s.routeBlocking("GET", "/db", req -> {
            ranOn.add(Thread.currentThread().getName());
            assertNull(EventLoop.current(), "a blocking handler never runs on a loop");
            return HttpResponse.text("row");
        }));
        InMemoryHttp.Client client = server.connect().send(GET_DB);
        assertEquals(1, calls.size());
        assertEquals("", client.unread());

        runCallOffTheLoop(false);
        assertEquals(List.of("worker"), ranOn);
        server.runPendingTasks(); // the worker handed the answer to the loop; the loop writes it
        assertEquals("row", client.read().text());
        assertFalse(client.closedByServer());
    }

    @Test
    void gathersTheBodyBeforeTheHandlerRuns() throws InterruptedException {
        InMemoryHttp server = start(4, s -> s.routeBlocking("POST", "/store",
                req -> HttpResponse.text("stored " + req.bodyText())));
        InMemoryHttp.Client client = server.connect()
                .send("POST /store HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
        assertTrue(calls.isEmpty(), "the handler waits for the whole body");
        client.send(" body");
        runCallOffTheLoop(false);
        server.runPendingTasks();
        assertEquals("stored hello body", client.read().text());
    }

    @Test
    void answers503AtOnceWhileTheBlockingWorkIsFullAndServesAgainOnceASlotIsFree() throws InterruptedException {
        InMemoryHttp server = start(1, s -> s.routeBlocking("GET", "/db", req -> HttpResponse.text("row")));
        InMemoryHttp.Client first = server.connect().send(GET_DB);
        InMemoryHttp.Client second = server.connect().send(GET_DB);

        WireClient.Response busy = second.read();
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, busy.status());
        assertEquals("1", busy.header("Retry-After"));
        assertFalse(second.closedByServer(), "a refusal is an answer, not a reason to close");
        assertEquals(1, calls.size(), "the refused request never reached the executor");

        runCallOffTheLoop(false);
        server.runPendingTasks();
        assertEquals("row", first.read().text());
        second.send(GET_DB);
        runCallOffTheLoop(false);
        server.runPendingTasks();
        assertEquals("row", second.read().text());
    }

    @Test
    void letsTheErrorHandlerShapeTheRefusal() {
        List<HttpError> errors = new ArrayList<>();
        InMemoryHttp server = start(1, s -> s
                .errorHandler(error -> {
                    errors.add(error);
                    return HttpResponse.text(error.status(), "come back later").header("Retry-After", "30");
                })
                .routeBlocking("GET", "/db", req -> HttpResponse.text("row")));
        server.connect().send(GET_DB);
        WireClient.Response busy = server.connect().send(GET_DB).read();
        assertEquals(503, busy.status());
        assertEquals("come back later", busy.text());
        assertEquals("30", busy.header("Retry-After"));
        assertEquals(1, errors.size());
        assertEquals("/db", errors.get(0).request().path());
        assertNotNull(errors.get(0).cause());
    }

    @Test
    void answers500WhenTheBlockingHandlerThrowsAndGoesOn() throws InterruptedException {
        InMemoryHttp server = start(4, s -> s.routeBlocking("GET", "/db", req -> {
            throw new IllegalStateException("database down");
        }).get("/", req -> HttpResponse.text("home")));
        InMemoryHttp.Client client = server.connect().send(GET_DB);
        runCallOffTheLoop(false);
        server.runPendingTasks();
        assertEquals(500, client.read().status());
        client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("home", client.read().text());
    }

    @Test
    void answersPipelinedRequestsInOrderWhenTheirBlockingCallsFinishInReverse() throws InterruptedException {
        InMemoryHttp server = start(4, s -> s
                .routeBlocking("GET", "/n/{i}", req -> HttpResponse.text("call " + req.pathParam("i")))
                .get("/now", req -> HttpResponse.text("at once")));
        InMemoryHttp.Client client = server.connect().send("GET /n/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /now HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /n/2 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(2, calls.size());
        runCallOffTheLoop(true); // /n/2 first
        server.runPendingTasks();
        assertEquals("", client.unread(), "every answer waits for the first");
        runCallOffTheLoop(true);
        server.runPendingTasks();
        assertEquals("call 1", client.read().text());
        assertEquals("at once", client.read().text());
        assertEquals("call 2", client.read().text());
    }

    @Test
    void answersHeadFromABlockingGetRouteWithoutTheBody() throws InterruptedException {
        InMemoryHttp server = start(4, s -> s.routeBlocking("GET", "/db", req -> HttpResponse.text("row")));
        InMemoryHttp.Client client = server.connect().send("HEAD /db HTTP/1.1\r\nHost: x\r\n\r\n");
        runCallOffTheLoop(false);
        server.runPendingTasks();
        String head = client.unread();
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
        assertTrue(head.contains("Content-Length: 3\r\n"), head);
        assertTrue(head.endsWith("\r\n\r\n"), "no body: " + head);
    }

    @Test
    void leavesBlockingWorkItWasGivenOpenWhenItCloses() {
        BlockingWork shared = BlockingWork.using(calls::add, 4);
        http = new InMemoryHttp(server -> server.blockingWork(shared));
        http.closeServer();
        // Another user of the shared work, on a loop of its own that never needs to run here.
        assertNotNull(shared.submit(EventLoop.builder().name("other").build(), () -> "still open"));
    }
}
