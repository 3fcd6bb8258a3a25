package io.eddy.core.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Backpressure by default, in memory: a connection above its high water mark reads nothing more
 * until it is below the low one; the switch that turns it off; and how it composes with
 * {@code pauseReading}/{@code resumeReading}.
 */
class ReadPausedWhileUnwritableTest {

    private static final int LINES = 20_000;
    private static final String FILLER = "x".repeat(80);

    /** Echoes every line, and remembers the most bytes it ever saw queued after a write. */
    private static final class Echo implements Handler<String, String> {
        long maxPending;
        int received;

        @Override
        public void onMessage(Connection<String> connection, String line) {
            received++;
            connection.write(line);
            maxPending = Math.max(maxPending, connection.pendingOutboundBytes());
        }
    }

    private static String line(int i) {
        return String.format("%08d %s", i, FILLER);
    }

    private static byte[] lines(int from, int to) {
        StringBuilder all = new StringBuilder();
        for (int i = from; i < to; i++) {
            all.append(line(i)).append('\n');
        }
        return all.toString().getBytes(UTF_8);
    }

    /** An echo whose peer sent every line and reads none: its queue is full and it has stopped reading. */
    private static TestChannel<String, String> echoWithFullQueue(Echo echo) {
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), echo, ConnectionOptions.defaults());
        channel.peerReceiveWindow(0);
        channel.feed(lines(0, LINES));
        assertFalse(channel.isReading());
        return channel;
    }

    @Test
    void echoToAPeerThatDoesNotReadStopsReadingThenDeliversEveryLineInOrder() {
        Echo echo = new Echo();
        ConnectionOptions options = ConnectionOptions.defaults();
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), echo, options);
        channel.peerReceiveWindow(0);

        byte[] sent = lines(0, LINES);
        channel.feed(sent);

        assertFalse(channel.isReading(), "went on reading above the high water mark");
        assertFalse(channel.isWritable());
        assertTrue(echo.received < LINES, "every line was read");
        assertTrue(channel.isOpen(), "closed: " + channel.closeReason());

        channel.peerReceiveWindow(16 * 1024);
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        for (int reads = 0; echoed.size() < sent.length && reads < 10_000; reads++) {
            echoed.writeBytes(channel.readOutbound());
        }
        assertEquals(new String(sent, UTF_8), echoed.toString(UTF_8));
        assertEquals(LINES, echo.received);
        assertTrue(channel.isReading());
        // Reading stops with the write that crosses the mark: at most one line more is queued.
        assertTrue(echo.maxPending <= options.highWaterMark() + line(0).length() + 1,
                echo.maxPending + " bytes queued, high water mark " + options.highWaterMark());
    }

    @Test
    void aSmallOutboundLimitIsNeverReachedByAnEcho() {
        Echo echo = new Echo();
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), echo,
                ConnectionOptions.defaults().withMaxOutboundBytes(128 * 1024));
        channel.peerReceiveWindow(0);

        channel.feed(lines(0, LINES));

        assertTrue(channel.isOpen(), "closed: " + channel.closeReason());
    }

    @Test
    void switchedOffTheConnectionReadsOnUntilTheOutboundLimitClosesIt() {
        Echo echo = new Echo();
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), echo,
                ConnectionOptions.defaults().withMaxOutboundBytes(128 * 1024).withReadPausedWhileUnwritable(false));
        channel.peerReceiveWindow(0);

        channel.feed(lines(0, LINES));

        assertEquals(CloseReason.Kind.OUTBOUND_OVERFLOW, channel.closeReason().kind());
    }

    @Test
    void switchedOffANotWritableConnectionReadsOn() {
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), new Echo(),
                ConnectionOptions.defaults().withReadPausedWhileUnwritable(false));
        channel.peerReceiveWindow(0);

        channel.feed(lines(0, 2_000));

        assertFalse(channel.isWritable());
        assertTrue(channel.isReading());
    }

    @Test
    void aUsersPauseIsNotUndoneByTheQueueDraining() {
        Echo echo = new Echo();
        TestChannel<String, String> channel = echoWithFullQueue(echo);
        int readWhileFull = echo.received;

        channel.pauseReading();
        channel.peerReceiveWindow(Integer.MAX_VALUE);
        channel.readOutbound();

        assertTrue(channel.isWritable());
        assertFalse(channel.isReading(), "the queue draining undid the user's pause");
        assertEquals(readWhileFull, echo.received);

        channel.resumeReading();
        channel.runPending();
        channel.readOutbound();
        assertEquals(LINES, echo.received);
        assertTrue(channel.isReading());
    }

    @Test
    void aUsersResumeDoesNotUndoThePauseOfAFullQueue() {
        Echo echo = new Echo();
        TestChannel<String, String> channel = echoWithFullQueue(echo);
        int readWhileFull = echo.received;

        channel.pauseReading();
        channel.resumeReading();
        channel.runPending();

        assertFalse(channel.isReading(), "resumeReading undid the full queue's pause");
        assertEquals(readWhileFull, echo.received);

        channel.peerReceiveWindow(Integer.MAX_VALUE);
        for (int reads = 0; echo.received < LINES && reads < 1_000; reads++) {
            channel.readOutbound();
        }
        assertEquals(LINES, echo.received);
        assertTrue(channel.isReading());
        assertNull(channel.closeReason());
    }
}
