package io.eddy.core.loop;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.eddy.core.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The watchdog reports a task that holds its loop past the stall threshold, with the loop thread's stack. */
class WatchdogTest {

    @Test
    void reportsATaskBlockingTheLoopWithTheLoopThreadsStack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LogCapture logs = LogCapture.of("io.eddy.core.loop.Watchdog");
             EventLoop loop = EventLoop.builder().name("stalling-loop").daemon(true)
                     .stallThreshold(Duration.ofMillis(50)).start()) {
            assertEquals(0, loop.stallsReported());
            try {
                loop.execute(() -> blockUntil(release));
                await().atMost(Duration.ofSeconds(10)).until(() -> loop.stallsReported() >= 1);

                List<ILoggingEvent> warnings = logs.events(Level.WARN, "'stalling-loop'");
                assertEquals(loop.stallsReported(), warnings.size());
                String report = warnings.get(0).getFormattedMessage();
                assertTrue(report.contains("CountDownLatch.await"), report);
                assertTrue(report.contains(WatchdogTest.class.getName() + ".blockUntil"), report);
                assertTrue(report.contains("threshold 50 ms"), report);
            } finally {
                release.countDown();
            }
            CountDownLatch free = new CountDownLatch(1);
            loop.execute(free::countDown);
            assertTrue(free.await(5, SECONDS), "the loop goes on once released");
        }
    }

    /** Blocks the loop thread, as a misbehaving handler would, until the test lets go. */
    private static void blockUntil(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
