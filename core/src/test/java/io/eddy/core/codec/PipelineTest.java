package io.eddy.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.CloseReason;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.ClosedConnectionException;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.net.WriteListener;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection pipeline as a handler sees it, through the test channel: handler failures,
 * decode errors, backpressure and its limits, write listeners, closing, half-closing, pausing,
 * and the inbound accumulation limit.
 */
class PipelineTest {

    /** A line of ten characters: eleven bytes on the wire. */
    private static final String TEN = "0123456789";

    @Test
    void handlerThatThrowsClosesWithHandlerFailureAndGetsNoFurtherMessages() {
        var handler = new Recorder<String, String>((connection, line) -> {
            connection.write("got " + line);
            if (line.equals("boom")) {
                throw new IllegalStateException("handler broke on boom");
            }
        });
        var channel = TestChannel.of(new LineCodec(), handler);
        channel.feed("a\nboom\nc\n");
        channel.feed("d\n");

        assertEquals(List.of("a", "boom"), handler.messages);
        assertEquals("got a\ngot boom\n", channel.readOutboundString());
        assertEquals(Kind.HANDLER_FAILURE, channel.closeReason().kind());
        assertEquals("handler broke on boom", channel.closeReason().detail());
        assertEquals(List.of(channel.closeReason()), handler.closes);
        assertFalse(channel.wasReset());
    }

    @Test
    void handlerThatThrowsInOnOpenClosesTheConnection() {
        var handler = new Recorder<String, String>((connection, line) -> { }) {
            @Override
            public void onOpen(Connection<String> connection) {
                throw new IllegalStateException("no greeting");
            }
        };
        var channel = TestChannel.of(new LineCodec(), handler);
        channel.feed("never\n");
        assertEquals(List.of(), handler.messages);
        assertEquals(Kind.HANDLER_FAILURE, channel.closeReason().kind());
    }

    @Test
    void replyWrittenInOnDecodeErrorIsFlushedBeforeTheClose() {
        var handler = new Recorder<String, String>((connection, line) -> { }) {
            @Override
            public void onDecodeError(Connection<String> connection, DecodeException error) {
                super.onDecodeError(connection, error);
                connection.write("ERR " + error.getMessage());
            }
        };
        var channel = TestChannel.of(new LineCodec(8, UTF_8), handler);
        channel.feed("ok\n" + "x".repeat(20) + "\nnever\n");

        assertEquals(List.of("ok"), handler.messages);
        assertEquals("ERR line length exceeds the limit maxLineLength = 8 bytes\n", channel.readOutboundString());
        assertEquals(Kind.DECODE_ERROR, channel.closeReason().kind());
        assertEquals(1, handler.decodeErrors.size());
        assertTrue(channel.isTransportClosed());
        assertFalse(channel.wasReset());
    }

    @Test
    void decodeErrorReplyReachesASlowPeerBeforeTheClose() {
        var handler = new Recorder<String, String>((connection, line) -> { }) {
            @Override
            public void onDecodeError(Connection<String> connection, DecodeException error) {
                connection.write("ERR too long");
            }
        };
        var channel = TestChannel.of(new LineCodec(8, UTF_8), handler).peerReceiveWindow(4);
        channel.feed("x".repeat(20) + "\n");

        assertFalse(channel.isOpen());
        StringBuilder received = new StringBuilder();
        for (int i = 0; i < 10 && !channel.isTransportClosed(); i++) {
            assertNull(channel.closeReason(), "closed before its reply left");
            received.append(channel.readOutboundString());
        }
        received.append(channel.readOutboundString());
        assertEquals("ERR too long\n", received.toString());
        assertEquals(Kind.DECODE_ERROR, channel.closeReason().kind());
    }

    @Test
    void closeWaitsUntilQueuedBytesReachASlowPeer() {
        var channel = TestChannel.of(new LineCodec()).peerReceiveWindow(5);
        channel.write("the last words");
        channel.close();

        assertFalse(channel.isOpen());
        StringBuilder received = new StringBuilder();
        for (int i = 0; i < 10 && !channel.isTransportClosed(); i++) {
            assertNull(channel.closeReason());
            received.append(channel.readOutboundString());
        }
        received.append(channel.readOutboundString());
        assertEquals("the last words\n", received.toString());
        assertEquals(Kind.LOCAL_CLOSE, channel.closeReason().kind());
    }

    @Test
    void tellsTheHandlerWhenTheQueueCrossesTheWaterMarks() {
        var handler = new Recorder<String, String>((connection, line) -> { });
        var options = ConnectionOptions.defaults().withWaterMarks(8, 16);
        var channel = TestChannel.of(new LineCodec(), handler, options).peerReceiveWindow(4);

        channel.write(TEN + "abcdefghi");               // 20 bytes queued: over the high mark
        assertFalse(channel.isWritable());
        assertEquals(List.of(false), handler.writability);

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        channel.runPending();                           // the peer takes 4: 16 left
        received.writeBytes(channel.readOutbound());    // 4 more: 12 left
        received.writeBytes(channel.readOutbound());    // 8 left: not yet under the low mark
        assertEquals(8, channel.pendingOutboundBytes());
        assertFalse(channel.isWritable());
        assertEquals(List.of(false), handler.writability);

        received.writeBytes(channel.readOutbound());    // 4 left: under the low mark
        assertTrue(channel.isWritable());
        assertEquals(List.of(false, true), handler.writability);

        received.writeBytes(channel.readOutbound());
        received.writeBytes(channel.readOutbound());
        assertEquals(TEN + "abcdefghi\n", received.toString(UTF_8));
        assertEquals(List.of(false, true), handler.writability);
    }

    @Test
    void lastWritesAndCloseFromOnWritabilityChangedAllReachThePeer() {
        // A streaming writer: when told it may write again, it writes its last part and closes.
        var handler = new Recorder<String, String>((connection, line) -> { }) {
            @Override
            public void onWritabilityChanged(Connection<String> connection, boolean writable) {
                super.onWritabilityChanged(connection, writable);
                if (writable) {
                    connection.write("last");
                    connection.close();
                }
            }
        };
        var options = ConnectionOptions.defaults().withWaterMarks(4, 8);
        var channel = TestChannel.of(new LineCodec(), handler, options).peerReceiveWindow(6);

        channel.write(TEN);                             // 11 bytes: over the high mark
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int reads = 0; reads < 10 && !channel.isTransportClosed(); reads++) {
            received.writeBytes(channel.readOutbound());    // the slow peer takes 6 at a time
        }
        received.writeBytes(channel.readOutbound());

        assertEquals(TEN + "\nlast\n", received.toString(UTF_8));
        assertEquals(Kind.LOCAL_CLOSE, channel.closeReason().kind());
    }

    @Test
    void becomesWritableAgainOnceDrainedWhenTheLowWaterMarkIsZero() {
        var handler = new Recorder<String, String>((connection, line) -> { });
        var options = ConnectionOptions.defaults().withWaterMarks(0, 4);
        var channel = TestChannel.of(new LineCodec(), handler, options).peerReceiveWindow(6);

        channel.write(TEN);
        assertFalse(channel.isWritable());
        channel.readOutbound();
        channel.readOutbound();
        assertEquals(0, channel.pendingOutboundBytes());
        assertTrue(channel.isWritable());
        assertEquals(List.of(false, true), handler.writability);
    }

    @Test
    void writingPastMaxOutboundBytesClosesWithOverflowAndFailsTheWrite() {
        var handler = new Recorder<String, String>((connection, line) -> { });
        var options = ConnectionOptions.defaults().withWaterMarks(8, 16).withMaxOutboundBytes(32);
        var channel = TestChannel.of(new LineCodec(), handler, options).peerReceiveWindow(0);
        List<Throwable> failures = new ArrayList<>();

        channel.write(TEN, failures::add);      // 11 bytes
        channel.write(TEN, failures::add);      // 22
        assertTrue(channel.isOpen());
        channel.write(TEN, failures::add);      // 33: over the limit

        assertEquals(Kind.OUTBOUND_OVERFLOW, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("maxOutboundBytes"), channel.closeReason().detail());
        assertTrue(channel.wasReset());
        assertEquals(3, failures.size());
        failures.forEach(failure -> assertInstanceOf(ClosedConnectionException.class, failure));
        assertEquals(0, channel.readOutbound().length);
        assertEquals(List.of(channel.closeReason()), handler.closes);
    }

    @Test
    void takesBackWhatAFailingEncoderWroteSoEarlierMessagesArriveWhole() {
        // An encoder that writes half a message and then gives up, as a buggy user encoder might.
        Codec<String, String> codec = Codec.of(new LineCodec(), (String text, ByteSink out) -> {
            out.write(text.getBytes(UTF_8));
            if (text.startsWith("bad")) {
                throw new IllegalArgumentException("cannot encode " + text);
            }
            out.write((byte) '\n');
        });
        var channel = TestChannel.of(codec).peerReceiveWindow(0);
        List<Throwable> failures = new ArrayList<>();

        channel.write("first", failures::add);
        channel.write("bad, and long enough to fill more than one chunk: ".repeat(400), failures::add);

        assertFalse(channel.isOpen());                   // closing, "first" still queued
        assertEquals(1, failures.size());
        assertInstanceOf(IllegalArgumentException.class, failures.get(0));

        channel.peerReceiveWindow(Integer.MAX_VALUE);
        assertEquals("first\n", channel.readOutboundString());
        assertEquals(Kind.ENCODE_ERROR, channel.closeReason().kind());
        assertEquals(2, failures.size());
        assertNull(failures.get(1));                     // "first" left whole
    }

    @Test
    void aListenerThatRefillsTheQueueCannotHoldTheLoopInOneFlush() {
        // Streaming by write listener: each completed chunk writes the next. A fast peer takes
        // everything, so without a budget one flush would run until the whole stream was sent.
        var channel = TestChannel.of(new LineCodec());
        int chunks = 1000;
        int[] written = {0};
        WriteListener next = new WriteListener() {
            @Override
            public void onWriteComplete(Throwable failure) {
                if (failure == null && ++written[0] < chunks) {
                    channel.write("chunk " + written[0], this);
                }
            }
        };

        channel.write("chunk 0", next);
        channel.runPending();                       // one flush
        assertTrue(written[0] < chunks, "one flush sent all " + written[0] + " chunks");

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        for (int flushes = 0; flushes < chunks && written[0] < chunks; flushes++) {
            received.writeBytes(channel.readOutbound());  // the loop comes back: the next flush
        }
        received.writeBytes(channel.readOutbound());
        assertEquals(chunks, written[0]);
        assertEquals(chunks, received.toString(UTF_8).lines().count());
    }

    @Test
    void reportsWriteSuccessOnlyOnceTheBytesHaveLeft() {
        var channel = TestChannel.of(new LineCodec()).peerReceiveWindow(3);
        List<Throwable> completions = new ArrayList<>();
        channel.write("hello", completions::add);       // 6 bytes
        assertEquals(List.of(), completions);

        channel.runPending();                           // 3 bytes left, 3 still queued
        assertEquals(List.of(), completions);

        assertEquals("hel", channel.readOutboundString()); // the rest leaves too
        assertEquals(1, completions.size());
        assertNull(completions.get(0));
        assertEquals("lo\n", channel.readOutboundString());
        assertEquals(1, completions.size());
    }

    @Test
    void reportsEachWriteWhenItsOwnLastByteHasLeft() {
        var channel = TestChannel.of(new LineCodec()).peerReceiveWindow(4);
        List<String> done = new ArrayList<>();
        channel.write("ab", failure -> done.add("ab"));    // bytes 0..2
        channel.write("cd", failure -> done.add("cd"));    // bytes 3..5
        channel.runPending();                               // 4 bytes left
        assertEquals(List.of("ab"), done);
        channel.readOutbound();
        assertEquals(List.of("ab", "cd"), done);
    }

    @Test
    void writeAfterCloseFailsTheListenerWithClosedConnectionException() {
        var channel = TestChannel.of(new LineCodec());
        channel.close();
        List<Throwable> failures = new ArrayList<>();
        channel.write("late", failures::add);
        assertEquals(1, failures.size());
        assertInstanceOf(ClosedConnectionException.class, failures.get(0));
        assertEquals(0, channel.readOutbound().length);
    }

    @Test
    void writeWhileClosingFailsTheListener() {
        var channel = TestChannel.of(new LineCodec()).peerReceiveWindow(0);
        channel.write("queued");
        channel.close();
        List<Throwable> failures = new ArrayList<>();
        channel.write("late", failures::add);
        assertEquals(1, failures.size());
        assertInstanceOf(ClosedConnectionException.class, failures.get(0));
        channel.peerReceiveWindow(1000);
        assertEquals("queued\n", channel.readOutboundString());
        assertEquals(Kind.LOCAL_CLOSE, channel.closeReason().kind());
    }

    @Test
    void abortDropsQueuedBytesAndResets() {
        var channel = TestChannel.of(new LineCodec()).peerReceiveWindow(0);
        List<Throwable> failures = new ArrayList<>();
        channel.write("dropped", failures::add);
        channel.abort();
        assertEquals(Kind.ABORTED, channel.closeReason().kind());
        assertTrue(channel.wasReset());
        assertInstanceOf(ClosedConnectionException.class, failures.get(0));
    }

    @Test
    void pauseReadingInOnMessageHoldsTheRestOfTheReadUntilResumed() {
        var handler = new Recorder<String, String>((connection, line) -> {
            if (line.equals("b")) {
                connection.pauseReading();
            }
        });
        var channel = TestChannel.of(new LineCodec(), handler);
        channel.feed("a\nb\nc\nd\n");
        assertEquals(List.of("a", "b"), handler.messages);
        assertFalse(channel.isReading());

        channel.resumeReading();
        assertEquals(List.of("a", "b", "c", "d"), handler.messages);
        assertTrue(channel.isReading());
    }

    @Test
    void bytesArrivingWhilePausedWaitForResume() {
        var handler = new Recorder<String, String>((connection, line) -> {
            if (line.equals("b")) {
                connection.pauseReading();
            }
        });
        var channel = TestChannel.of(new LineCodec(), handler);
        channel.feed("a\nb\nc\npart");
        channel.feedInChunks("ial\ne\n".getBytes(UTF_8), 2);
        channel.feedEnd();
        assertEquals(List.of("a", "b"), handler.messages);
        assertTrue(channel.isOpen());

        channel.resumeReading();
        channel.runPending();
        assertEquals(List.of("a", "b", "c", "partial", "e"), handler.messages);
        assertEquals(Kind.PEER_CLOSED, channel.closeReason().kind());
    }

    @Test
    void pausingAgainWhileResumedStopsAgain() {
        var handler = new Recorder<String, String>((connection, line) -> {
            if (line.startsWith("stop")) {
                connection.pauseReading();
            }
        });
        var channel = TestChannel.of(new LineCodec(), handler);
        channel.feed("stop1\na\nstop2\nb\n");
        assertEquals(List.of("stop1"), handler.messages);
        channel.resumeReading();
        assertEquals(List.of("stop1", "a", "stop2"), handler.messages);
        channel.resumeReading();
        assertEquals(List.of("stop1", "a", "stop2", "b"), handler.messages);
    }

    @Test
    void shutdownOutputSendsFinAfterQueuedBytesAndKeepsReading() {
        var handler = new Recorder<String, String>((connection, line) -> { });
        var channel = TestChannel.of(new LineCodec(), handler).peerReceiveWindow(4);
        channel.write("bye");
        channel.shutdownOutput();
        assertFalse(channel.isOutputShutdown(), "FIN before the queued bytes");

        assertEquals("bye\n", channel.readOutboundString());
        assertTrue(channel.isOutputShutdown());
        assertTrue(channel.isOpen());

        List<Throwable> failures = new ArrayList<>();
        channel.write("more", failures::add);
        assertInstanceOf(ClosedConnectionException.class, failures.get(0));

        channel.feed("still reading\n");
        assertEquals(List.of("still reading"), handler.messages);
        channel.feedEnd();
        assertEquals(Kind.PEER_CLOSED, channel.closeReason().kind());
    }

    @Test
    void replyWrittenWhenThePeerHalfClosesIsSentBeforeTheClose() {
        var handler = new Recorder<String, String>((connection, line) -> { }) {
            @Override
            public void onInputClosed(Connection<String> connection) {
                connection.write("count " + messages.size());
                connection.close();
            }
        };
        var channel = TestChannel.of(new LineCodec(), handler);
        channel.feed("a\nb");
        channel.feedEnd();
        assertEquals(List.of("a", "b"), handler.messages);
        assertEquals("count 2\n", channel.readOutboundString());
        assertEquals(Kind.PEER_CLOSED, channel.closeReason().kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100, 3000})
    void closesWhenAnIncompleteMessagePassesMaxInboundBytes(int chunk) {
        Codec<String, String> neverWhole = Codec.of(in -> null, (message, out) -> { });
        var options = ConnectionOptions.defaults().withMaxInboundBytes(1000);
        var channel = TestChannel.of(neverWhole, options);

        channel.feedInChunks(new byte[1000], chunk);
        assertTrue(channel.isOpen());
        channel.feedInChunks(new byte[2000], chunk);
        assertFalse(channel.isOpen());
        assertEquals(Kind.DECODE_ERROR, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("maxInboundBytes"), channel.closeReason().detail());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000, 64 * 1024})
    void decodesOneMessageLargerThanTheReadBufferArrivingInPieces(int chunk) {
        byte[] payload = new byte[70_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        var channel = TestChannel.of(new LengthFieldCodec(4, 100_000));
        ByteBuffer wire = ByteBuffer.allocate(4 + payload.length + 4 + 3);
        wire.putInt(payload.length).put(payload).putInt(3).put(new byte[] {1, 2, 3});
        channel.feedInChunks(wire.array(), chunk);

        ByteBuffer big = channel.readInbound();
        byte[] received = new byte[big.remaining()];
        big.get(received);
        assertArrayEquals(payload, received);
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 1000})
    void decodesALineLongerThanTheReadBufferArrivingInPieces(int chunk) {
        String line = "q".repeat(70_000);
        var channel = TestChannel.of(new LineCodec(100_000, UTF_8));
        channel.feedInChunks((line + "\r\nnext\n").getBytes(UTF_8), chunk);
        assertEquals(line, channel.readInbound());
        assertEquals("next", channel.readInbound());
    }

    /** A handler that records every call, and runs {@code onMessage} for the test. */
    static class Recorder<I, O> implements Handler<I, O> {
        final List<I> messages = new ArrayList<>();
        final List<Boolean> writability = new ArrayList<>();
        final List<DecodeException> decodeErrors = new ArrayList<>();
        final List<CloseReason> closes = new ArrayList<>();
        private final BiConsumerWithException<Connection<O>, I> onMessage;

        Recorder(BiConsumerWithException<Connection<O>, I> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public void onMessage(Connection<O> connection, I message) throws Exception {
            messages.add(message);
            onMessage.accept(connection, message);
        }

        @Override
        public void onDecodeError(Connection<O> connection, DecodeException error) {
            decodeErrors.add(error);
        }

        @Override
        public void onWritabilityChanged(Connection<O> connection, boolean writable) {
            writability.add(writable);
        }

        @Override
        public void onClose(Connection<O> connection, CloseReason reason) {
            closes.add(reason);
        }
    }

    /** {@link BiConsumer} that may throw, as handler methods may. */
    @FunctionalInterface
    interface BiConsumerWithException<A, B> {
        void accept(A a, B b) throws Exception;
    }
}
