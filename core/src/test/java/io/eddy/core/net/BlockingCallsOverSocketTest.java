package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.assertEchoes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.BlockingWork;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.WorkRejectedException;
import java.io.BufferedReader;
import java.net.Socket;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A plain TCP handler that makes a blocking call through {@link BlockingWork}: the call runs off
 * the loop, its answer is written from the loop, the loop serves other clients meanwhile, and a
 * call over the limit is refused at once.
 */
@Timeout(30)
class BlockingCallsOverSocketTest {

    private EventLoop loop;
    private BlockingWork work;
    private TcpServer<String, String> server;
    /** What the blocking call waits for: a stand-in for a slow database. */
    private final CountDownLatch databaseAnswers = new CountDownLatch(1);
    private final CountDownLatch callStarted = new CountDownLatch(1);
    /** For each answer written, whether it was written on the loop thread. */
    private final ConcurrentLinkedQueue<Boolean> writtenOnLoop = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startServer() throws Exception {
        loop = EventLoop.start("blocking-calls");
        work = BlockingWork.create(1);
        server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).handler(this::onLine).start();
    }

    /** {@code look up X} blocks until the database answers; any other line is echoed at once. */
    private void onLine(Connection<String> connection, String line) {
        if (!line.startsWith("look up ")) {
            connection.write(line);
            return;
        }
        try {
            work.submit(connection.loop(), () -> {
                callStarted.countDown();
                databaseAnswers.await();
                return "found " + line.substring("look up ".length());
            }).thenAccept(answer -> {
                writtenOnLoop.add(connection.loop().inEventLoop());
                connection.write(answer);
            });
        } catch (WorkRejectedException busy) {
            connection.write("busy");
        }
    }

    @AfterEach
    void stop() {
        databaseAnswers.countDown();
        loop.close();
        work.close();
    }

    @Test
    void servesOtherClientsWhileACallBlocksThenWritesItsAnswerFromTheLoop() throws Exception {
        try (Socket asking = Loopback.connect(server.port()); Socket other = Loopback.connect(server.port())) {
            BufferedReader askingIn = Loopback.reader(asking);
            Loopback.send(asking, "look up alice\n");
            assertTrue(callStarted.await(10, TimeUnit.SECONDS));

            assertEchoes(other, Loopback.reader(other), "still served");

            databaseAnswers.countDown();
            assertEquals("found alice", askingIn.readLine());
            assertEquals(true, writtenOnLoop.poll());
        }
    }

    @Test
    void refusesACallOverTheLimitAtOnce() throws Exception {
        try (Socket first = Loopback.connect(server.port()); Socket second = Loopback.connect(server.port())) {
            Loopback.send(first, "look up alice\n");
            assertTrue(callStarted.await(10, TimeUnit.SECONDS));

            BufferedReader secondIn = Loopback.reader(second);
            Loopback.send(second, "look up bob\n");
            assertEquals("busy", secondIn.readLine(), "refused while the first call still blocks");

            databaseAnswers.countDown();
            assertEquals("found alice", Loopback.reader(first).readLine());
        }
    }
}
