package io.eddy.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Test channels on a {@link TestLoop}: idle and close timeouts over virtual time, handlers that
 * answer later (from a timer, from another thread, out of order), several channels on one loop.
 */
class TestChannelOnLoopTest {

    private static final ConnectionOptions IDLE_30S = ConnectionOptions.defaults().withIdleTimeout(Duration.ofSeconds(30));

    private final TestLoop loop = new TestLoop();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void closesAnIdleConnectionWhenItsIdleTimeoutHasPassedWithoutTraffic() {
        var channel = TestChannel.of(loop, new LineCodec(), IDLE_30S);

        loop.advance(Duration.ofSeconds(20));
        channel.feed("still here\n");                  // read at +20 s: idle counts from here
        loop.advance(Duration.ofSeconds(29));
        assertTrue(channel.isOpen());

        loop.advance(Duration.ofSeconds(1));

        assertFalse(channel.isOpen());
        assertEquals(Kind.IDLE_TIMEOUT, channel.closeReason().kind());
        assertEquals("nothing read or written for idleTimeout = PT30S", channel.closeReason().detail());
        assertEquals("still here", channel.readInbound());
    }

    @Test
    void aReadIdleTimeoutIgnoresWhatTheConnectionWrites() {
        var options = ConnectionOptions.defaults().withIdleTimeouts(Duration.ofSeconds(10), Duration.ZERO, Duration.ZERO);
        var channel = TestChannel.of(loop, new LineCodec(), options);

        for (int i = 0; i < 9; i++) {
            loop.advance(Duration.ofSeconds(1));
            channel.write("tick");
            channel.readOutbound();
        }
        loop.advance(Duration.ofSeconds(1));

        assertEquals(Kind.IDLE_TIMEOUT, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("readIdleTimeout"), channel.closeReason().detail());
    }

    @Test
    void aGracefulCloseThePeerDoesNotReadEndsWithAResetAtTheCloseTimeout() {
        var options = ConnectionOptions.defaults().withCloseTimeout(Duration.ofSeconds(5));
        var channel = TestChannel.of(loop, new LineCodec(), options).peerReceiveWindow(0);
        channel.write("never read");
        channel.close();
        loop.advance(Duration.ofMillis(4_999));
        assertFalse(channel.isTransportClosed(), "still flushing");

        loop.advance(Duration.ofMillis(1));

        assertEquals(Kind.CLOSE_TIMEOUT, channel.closeReason().kind());
        assertTrue(channel.wasReset());
    }

    @Test
    void aHandlerAnswersFromATimerScheduledOnItsConnectionsLoop() {
        Handler<String, String> delayed = (connection, line) ->
                connection.loop().schedule(Duration.ofSeconds(2), () -> connection.write("late " + line));
        var channel = TestChannel.of(loop, new LineCodec(), delayed, ConnectionOptions.defaults());

        channel.feed("a\n");
        loop.advance(Duration.ofMillis(1_999));
        assertEquals("", channel.readOutboundString());

        channel.advance(Duration.ofMillis(1));

        assertEquals("late a\n", channel.readOutboundString());
    }

    @Test
    void answersCompletedOnAnotherThreadOutOfOrderAreWrittenInTheOrderTheyReachTheLoop() throws Exception {
        List<CompletableFuture<String>> answers = new ArrayList<>();
        Handler<String, String> async = (connection, line) -> {
            CompletableFuture<String> answer = new CompletableFuture<>();
            answers.add(answer);
            answer.thenAccept(connection::write);      // runs where the answer completes
        };
        var channel = TestChannel.of(loop, new LineCodec(), async, ConnectionOptions.defaults());
        channel.feed("first\nsecond\n");
        assertEquals(2, answers.size());

        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            worker.submit(() -> answers.get(1).complete("to second")).get();
            worker.submit(() -> answers.get(0).complete("to first")).get();
        } finally {
            worker.shutdown();
        }
        assertEquals(0, channel.pendingOutboundBytes(), "the writes wait for the loop");
        assertEquals("to second\nto first\n", channel.readOutboundString(), "handed to the loop, written at its next step");
    }

    @Test
    void aHandlerAnsweringThroughTheLoopFromTheTestThreadIsRunAtTheNextStep() {
        List<Runnable> answerLater = new ArrayList<>();
        Handler<String, String> deferred = (connection, line) -> answerLater.add(() -> connection.write("re: " + line));
        var channel = TestChannel.of(loop, new LineCodec(), deferred, ConnectionOptions.defaults());
        channel.feed("question\n");

        loop.eventLoop().execute(answerLater.get(0));
        assertEquals(0, channel.pendingOutboundBytes(), "queued for the loop, not run yet");
        loop.runPendingTasks();

        assertEquals("re: question\n", channel.readOutboundString());
    }

    @Test
    void handlersRunOnTheLoopAndSeeTheChannelItself() {
        List<Object> seen = new ArrayList<>();
        Handler<String, String> handler = new Handler<>() {
            @Override
            public void onOpen(Connection<String> connection) {
                seen.add(connection);
                seen.add(EventLoop.current());
            }

            @Override
            public void onMessage(Connection<String> connection, String line) {
                seen.add(EventLoop.current());
            }
        };
        var channel = TestChannel.of(loop, new LineCodec(), handler, ConnectionOptions.defaults());
        channel.feed("x\n");

        assertEquals(List.of(channel, loop.eventLoop(), loop.eventLoop()), seen);
        assertSame(loop.eventLoop(), channel.loop());
    }

    @Test
    void channelsSharingALoopEachKeepTheirOwnTimersAndBytes() {
        var a = TestChannel.of(loop, new LineCodec(), IDLE_30S);
        var b = TestChannel.of(loop, new LineCodec(), IDLE_30S);
        var elsewhere = TestChannel.of(new LineCodec(), IDLE_30S);
        assertSame(a.loop(), b.loop());
        assertNotSame(a.loop(), elsewhere.loop());

        loop.advance(Duration.ofSeconds(15));
        b.feed("b is busy\n");
        loop.advance(Duration.ofSeconds(15));

        assertEquals(Kind.IDLE_TIMEOUT, a.closeReason().kind());
        assertTrue(b.isOpen());
        assertNull(a.readInbound());
        assertEquals("b is busy", b.readInbound());
        assertTrue(elsewhere.isOpen(), "its own loop's time did not move");
        loop.advance(Duration.ofSeconds(15));
        assertEquals(Kind.IDLE_TIMEOUT, b.closeReason().kind());
    }
}
