package io.eddy.bench;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.server.HttpResponse;
import io.eddy.http.server.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The paced generator against Eddy's plaintext server in this JVM, on port 0. Nothing here depends
 * on how fast the machine is: the first request is due at the start, when every connection is
 * free, so at least one is sent; and every one sent is answered before the run returns.
 */
class PacedLoadTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("paced-test");
    }

    @AfterEach
    void stopLoop() {
        loop.close();
    }

    @Test
    void everyRequestSentIsAnsweredCorrectlyAndEveryOneDueIsAccountedFor() throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", PlaintextServer.start(loop, 0).port());
        Protocol plaintext = Protocol.plaintext("127.0.0.1:" + address.getPort());

        PacedLoad.Result result = new PacedLoad(address, plaintext, 4, 2_000).run(Duration.ofMillis(200));

        assertTrue(result.answered() >= 1, result::toString);
        assertEquals(result.scheduled(), result.answered() + result.unsent(), result::toString);
        assertEquals(result.answered(), result.latencies().count());
        LoadResult row = result.asLoadResult();
        assertEquals(result.answered(), row.messages());
        assertEquals(result.unsent(), row.errors());
    }

    @Test
    void aWrongAnswerEndsTheRun() throws Exception {
        HttpServer wrongBody = HttpServer.on(loop).bind(0)
                .get(PlaintextRequest.PATH, request -> HttpResponse.text("Hello, Moon!")).start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", wrongBody.port());
        Protocol plaintext = Protocol.plaintext("127.0.0.1:" + address.getPort());
        assertThrows(IllegalStateException.class, () -> new PacedLoad(address, plaintext, 1, 1_000).run(Duration.ofMillis(100)));
    }

    @Test
    void refusesNoConnectionsOrNoRate() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 1);
        assertThrows(IllegalArgumentException.class, () -> new PacedLoad(address, Protocol.lineEcho(), 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new PacedLoad(address, Protocol.lineEcho(), 1, 0));
    }
}
