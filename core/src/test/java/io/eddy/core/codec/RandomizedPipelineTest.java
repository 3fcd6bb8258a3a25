package io.eddy.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.CloseReason;
import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.TestChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random runs of the whole pipeline in memory, trying to break it. Each seed picks a codec
 * (lines, or frames with a 1-, 2- or 4-byte length), its limits, the water marks, a slow or fast
 * peer, a stream of messages (empty ones, ones at the limit, ones larger than half the loop's read
 * buffer), the sizes of the reads it arrives in (1 byte to more than the read buffer), and when the
 * handler pauses and resumes reading and what it writes back. Then it checks what must hold
 * whatever the schedule:
 *
 * <ul>
 *   <li>every message is delivered once, in order, intact, and none while reading is paused;</li>
 *   <li>every reply reaches the peer, in order, byte for byte;</li>
 *   <li>writability changes alternate (false first) and agree with {@code isWritable()};</li>
 *   <li>a handler that stops at the high water mark never has more queued than the mark plus its
 *       largest single write;</li>
 *   <li>every write listener hears success once, in order;</li>
 *   <li>{@code close()} waits for a slow peer, then closes with {@code LOCAL_CLOSE}; at half-close
 *       the last partial line is still delivered.</li>
 * </ul>
 *
 * <p>Every failure names its seed (and the test, plain or half-close): rerun it with
 * {@code Run.of(seed, halfClose).run()}, as the regression tests below do.
 */
class RandomizedPipelineTest {

    private static final int SEEDS = 200;
    private static final int HALF_CLOSE_SEEDS = 100;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    static LongStream halfCloseSeeds() {
        return LongStream.rangeClosed(1, HALF_CLOSE_SEEDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void deliversEveryMessageAndEveryReplyOnceInOrderWhateverTheReadsPausesAndBackpressure(long seed) {
        Run.of(seed, false).run();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("halfCloseSeeds")
    void deliversThePartialLastMessageAtHalfCloseThenClosesOnceTheRepliesHaveLeft(long seed) {
        Run.of(seed, true).run();
    }

    // ---- seeds that found bugs, kept as they failed ----

    /**
     * A handler that paused reading in {@code onMessage} left the rest of the read (whole messages)
     * waiting, and those bytes were held to maxInboundBytes as if they were one incomplete message:
     * a valid stream closed with DECODE_ERROR.
     */
    @Test
    void seed2WholeMessagesWaitingWhileReadingIsPausedAreNotHeldToMaxInboundBytes() {
        Run.of(2, false).run();
    }

    /** The same, made small: ten-byte limit, a read of many short lines, a pause after the first. */
    @Test
    void pausingWithManyWholeLinesReadDoesNotBreakMaxInboundBytes() {
        List<String> lines = new ArrayList<>();
        var channel = TestChannel.of(new LineCodec(), (connection, line) -> {
            lines.add(line);
            if (lines.size() == 1) {
                connection.pauseReading();
            }
        }, ConnectionOptions.defaults().withMaxInboundBytes(10));
        channel.feed("line 1\n".repeat(100));
        assertTrue(channel.isOpen(), () -> "closed: " + channel.closeReason());
        assertEquals(1, lines.size());

        channel.resumeReading();
        channel.feed("partial");
        assertEquals(100, lines.size());
        channel.feed(", and more than ten bytes without a newline");
        assertEquals(Kind.DECODE_ERROR, channel.closeReason().kind(), "the limit still holds for one incomplete line");
    }

    /**
     * A test channel whose peer window was narrowed below what the peer had already taken since
     * its last read computed a negative size and threw NegativeArraySizeException from the flush.
     */
    @Test
    void seed5APeerWindowNarrowedBelowWhatThePeerTookTakesNothingMore() {
        Run.of(5, false).run();
    }

    /** The same, made small. */
    @Test
    void aPeerWindowNarrowedBelowWhatThePeerTookTakesNothingMoreUntilItReads() {
        var channel = TestChannel.of(new LineCodec()).peerReceiveWindow(10);
        channel.write("0123456789abcdefghi");           // 20 bytes: the peer takes 10
        channel.runPending();
        channel.peerReceiveWindow(4);                   // already past it
        channel.write("more");
        channel.runPending();
        assertEquals(15, channel.pendingOutboundBytes());
        StringBuilder received = new StringBuilder();
        for (int reads = 0; reads < 10 && channel.pendingOutboundBytes() > 0; reads++) {
            received.append(channel.readOutboundString());
        }
        received.append(channel.readOutboundString());
        assertEquals("0123456789abcdefghi\nmore\n", received.toString());
    }

    /**
     * One seeded run: the generated stream, the handler under test (it is the handler), the peer's
     * side, and the invariants. A handler that writes while not writable would make the outbound
     * bound meaningless, so this one behaves: it pauses reading when the queue passes the high water
     * mark and resumes once it is writable again (and no random pause holds it).
     *
     * @param <M> the codec's messages
     */
    abstract static class Run<M> implements Handler<M, M> {

        private static final int LOOP_BUFFER = 64 * 1024;

        final long seed;
        final boolean halfClose;
        final Random random;

        private TestChannel<M, M> channel;
        private ConnectionOptions options;
        /** The contents of the messages the peer sends, in order, as the handler must see them. */
        private final List<byte[]> expected = new ArrayList<>();
        /** All bytes the peer sends. */
        private byte[] wire;
        /** Whether the stream ends inside a frame, which must close with a decode error. */
        private boolean endsInsideAFrame;
        private int delivered;
        private final ByteLog written = new ByteLog();
        private long peerReceived;
        private int largestWrite;
        private int listenersIssued;
        private int listenersCompleted;
        private Boolean lastWritability;
        private int writabilityChanges;
        /** Whether this handler has paused reading and not resumed it. */
        private boolean paused;
        /** Whether a random pause (as opposed to backpressure) is holding reading. */
        private boolean randomPaused;
        private boolean endFed;
        private int inputClosedCalls;
        private int decodeErrors;
        private final List<CloseReason> closes = new ArrayList<>();
        private int step;
        private AssertionError failure;

        Run(long seed, boolean halfClose, Random random) {
            this.seed = seed;
            this.halfClose = halfClose;
            this.random = random;
        }

        /** The run for {@code seed}: with half-close, three in four runs use lines. */
        static Run<?> of(long seed, boolean halfClose) {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + (halfClose ? 1 : 0));
            boolean lines = halfClose ? random.nextInt(4) != 0 : random.nextBoolean();
            return lines ? new LineRun(seed, halfClose, random) : new FrameRun(seed, halfClose, random);
        }

        // ---- what a codec flavour supplies ----

        /** The codec of this run's one connection. */
        abstract Codec<M, M> codec();

        abstract String describeCodec();

        /** The largest message content the codec accepts, in bytes. */
        abstract int maxContent();

        /** Random content of exactly {@code length} bytes that the codec carries unchanged. */
        abstract byte[] randomContent(int length);

        /** The bytes the peer sends for {@code content}. */
        abstract byte[] inboundWire(byte[] content);

        /** The bytes the codec writes for {@code content}. */
        abstract byte[] outboundWire(byte[] content);

        /** A copy of a decoded message's content (a frame is only valid during the call). */
        abstract byte[] content(M message);

        abstract M message(byte[] content);

        /** A partial last message for half-close: its wire bytes, and what must be delivered (or null). */
        abstract byte[][] partialLast();

        /** The largest extra reply, in bytes. */
        int maxExtra() {
            return maxContent();
        }

        // ---- setting up ----

        private void prepare() {
            options = randomOptions();
            List<byte[]> wires = new ArrayList<>();
            int budget = budget();
            int total = 0;
            int largestWire = 1;
            while (total < budget && expected.size() < 5000) {
                byte[] content = randomContent(randomLength(maxContent()));
                byte[] bytes = inboundWire(content);
                expected.add(content);
                wires.add(bytes);
                total += bytes.length;
                largestWire = Math.max(largestWire, bytes.length);
            }
            if (halfClose) {
                byte[][] partial = partialLast();
                wires.add(partial[0]);
                total += partial[0].length;
                largestWire = Math.max(largestWire, partial[0].length);
                if (partial[1] != null) {
                    expected.add(partial[1]);
                } else {
                    endsInsideAFrame = partial[0].length > 0;
                }
            }
            wire = new byte[total];
            int at = 0;
            for (byte[] bytes : wires) {
                System.arraycopy(bytes, 0, wire, at, bytes.length);
                at += bytes.length;
            }
            if (random.nextBoolean()) {
                // As tight as the stream allows: no incomplete message is ever longer than this.
                options = options.withMaxInboundBytes(largestWire + random.nextInt(64));
            }
            channel = TestChannel.of(codec(), this, options);
            if (random.nextInt(3) != 0) {
                channel.peerReceiveWindow(randomWindow());
            }
        }

        private int budget() {
            return switch (random.nextInt(4)) {
                case 0 -> 16 * 1024;
                case 1 -> 128 * 1024;
                case 2 -> 384 * 1024;
                default -> 1024 * 1024;
            };
        }

        private ConnectionOptions randomOptions() {
            ConnectionOptions defaults = ConnectionOptions.defaults();
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3:
                    return defaults;
                case 4:
                    return defaults.withWaterMarks(0, random.nextInt(2));
                case 5, 6, 7: {
                    int high = 1 + random.nextInt(4096);
                    return defaults.withWaterMarks(random.nextInt(high + 1), high);
                }
                default: {
                    int high = 1 + random.nextInt(200_000);
                    return defaults.withWaterMarks(random.nextInt(high + 1), high);
                }
            }
        }

        /** Any length from 0 to {@code max}, every order of magnitude alike, the edges often. */
        int randomLength(int max) {
            int pick = random.nextInt(20);
            if (pick == 0) {
                return 0;
            }
            if (pick == 1) {
                return max - random.nextInt(Math.min(max, 2) + 1);
            }
            if (pick == 2 && max > LOOP_BUFFER / 2) {
                // Around half the loop's read buffer, where a pending message stops moving.
                return Math.min(max, LOOP_BUFFER / 2 - 2 + random.nextInt(5));
            }
            if (pick == 3 && max > LOOP_BUFFER) {
                return Math.min(max, LOOP_BUFFER - 2 + random.nextInt(5));
            }
            int bits = 32 - Integer.numberOfLeadingZeros(max);
            return random.nextInt(Math.min(max, 1 << random.nextInt(bits + 1)) + 1);
        }

        private int randomWindow() {
            if (random.nextInt(4) == 0) {
                return Integer.MAX_VALUE;
            }
            return 1 + random.nextInt(1 << random.nextInt(18));
        }

        /** A read size: from a byte at a time to more than the loop's read buffer. */
        private int randomChunk() {
            return switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(16);
                case 1 -> 17 + random.nextInt(4096 - 16);
                case 2 -> 4097 + random.nextInt(LOOP_BUFFER - 4096);
                default -> LOOP_BUFFER + 1 + random.nextInt(70_000 - LOOP_BUFFER);
            };
        }

        // ---- the run ----

        void run() {
            prepare();
            int offset = 0;
            while (offset < wire.length) {
                offset = randomStep(offset);
            }
            if (halfClose) {
                for (int i = random.nextInt(8); i > 0; i--) {
                    randomStep(offset);
                }
                step++;
                endFed = true;
                channel.feedEnd();
                checkState();
                for (int i = random.nextInt(8); i > 0; i--) {
                    randomStep(offset);
                }
            }
            catchUp();
            if (halfClose) {
                finishHalfClosed();
            } else {
                closeAndDrain();
            }
            checkEnd();
        }

        private int randomStep(int offset) {
            step++;
            int action = random.nextInt(100);
            if (action < 40) {
                offset = feedSome(offset);
            } else if (action < 62) {
                drain();
            } else if (action < 70) {
                channel.peerReceiveWindow(randomWindow());
            } else if (action < 78) {
                randomPaused = true;
                pause();
            } else if (action < 94) {
                randomPaused = false;
                maybeResume();
                if (random.nextBoolean()) {
                    channel.runPending();
                }
            } else {
                channel.runPending();
            }
            checkState();
            return offset;
        }

        private int feedSome(int offset) {
            if (offset >= wire.length) {
                channel.runPending();
                return offset;
            }
            int chunk = randomChunk();
            // A few hundred reads at most, however small they are.
            int reads = 1 + random.nextInt(chunk < 64 ? 512 : 4);
            int length = (int) Math.min(wire.length - offset, (long) chunk * reads);
            channel.feedInChunks(Arrays.copyOfRange(wire, offset, offset + length), chunk);
            return offset + length;
        }

        /** Reading resumed for good: every message is delivered (and, at half-close, the end seen). */
        private void catchUp() {
            channel.peerReceiveWindow(random.nextBoolean() ? Integer.MAX_VALUE : 1024 + random.nextInt(100_000));
            for (int i = 0; delivered < expected.size() || endFed && inputClosedCalls + decodeErrors == 0; i++) {
                int round = i;
                check(round < 2000 + expected.size() + written.size() / 1024, () -> "stuck after " + round
                        + " rounds: " + delivered + " of " + expected.size() + " messages delivered, paused "
                        + paused + ", writable " + channel.isWritable() + ", " + channel.pendingOutboundBytes()
                        + " bytes queued");
                step++;
                randomPaused = false;
                maybeResume();
                channel.runPending();
                drain();
                checkState();
            }
        }

        /** The handler closed when the input ended (or a decode error did): drain until closed. */
        private void finishHalfClosed() {
            check(!channel.isOpen(), () -> "still open after the end of input");
            drainUntilClosed();
            Kind kind = endsInsideAFrame ? Kind.DECODE_ERROR : Kind.PEER_CLOSED;
            check(channel.closeReason().kind() == kind, () -> "closed with " + channel.closeReason() + ", not " + kind);
            check(inputClosedCalls == (endsInsideAFrame ? 0 : 1), () -> "onInputClosed called " + inputClosedCalls + " times");
            check(decodeErrors == (endsInsideAFrame ? 1 : 0), () -> "onDecodeError called " + decodeErrors + " times");
        }

        private void closeAndDrain() {
            step++;
            if (random.nextBoolean() && mayWrite()) {
                write(randomContent(randomLength(maxExtra())));
            }
            // Slow enough that the close must wait, fast enough to finish in a few thousand reads.
            long queued = channel.pendingOutboundBytes();
            channel.peerReceiveWindow((int) Math.max(1 + queued / 2000, 1 + random.nextInt(8192)));
            channel.close();
            check(!channel.isOpen(), () -> "open after close()");
            if (queued > 0) {
                check(!channel.isTransportClosed() && channel.closeReason() == null,
                        () -> "closed before its " + queued + " queued bytes left");
            }
            drainUntilClosed();
            check(channel.closeReason().kind() == Kind.LOCAL_CLOSE, () -> "closed with " + channel.closeReason());
            check(!channel.wasReset(), () -> "a graceful close reset the peer");

            // Closed is closed: more bytes from the peer are not read.
            channel.feed(inboundWire(randomContent(1)));
            check(delivered == expected.size(), () -> "a message delivered after the close");
        }

        private void drainUntilClosed() {
            for (int i = 0; !channel.isTransportClosed(); i++) {
                int round = i;
                check(round < 5000, () -> "not closed after " + round + " reads by the peer; "
                        + channel.pendingOutboundBytes() + " bytes queued");
                check(channel.closeReason() == null && !channel.closeFuture().isDone(),
                        () -> "closed (" + channel.closeReason() + ") with the transport still open");
                step++;
                drain();
            }
            check(channel.closeFuture().isDone() && channel.closeFuture().getNow(null) == channel.closeReason(),
                    () -> "close future: " + channel.closeFuture());
            drain();
        }

        private void checkEnd() {
            rethrowFailure();
            check(delivered == expected.size(), () -> delivered + " of " + expected.size() + " messages delivered");
            check(peerReceived == written.size(), () -> "the peer got " + peerReceived + " of "
                    + written.size() + " bytes written");
            check(listenersCompleted == listenersIssued, () -> listenersCompleted + " of " + listenersIssued
                    + " write listeners told");
            check(closes.size() == 1 && closes.get(0) == channel.closeReason(), () -> "onClose calls: " + closes);
            check(lastWritability == null || lastWritability, () -> "ends not writable after "
                    + writabilityChanges + " changes");
            check(channel.pendingOutboundBytes() == 0, () -> channel.pendingOutboundBytes() + " bytes still queued");
        }

        // ---- the peer ----

        /** The peer reads what reached it: it must be exactly what was written next. */
        private void drain() {
            byte[] got = channel.readOutbound();
            check(peerReceived + got.length <= written.size(), () -> "the peer got " + (peerReceived + got.length)
                    + " bytes, more than the " + written.size() + " written");
            int mismatch = Arrays.mismatch(got, 0, got.length, written.bytes, (int) peerReceived,
                    (int) peerReceived + got.length);
            check(mismatch < 0, () -> "the peer's byte " + (peerReceived + mismatch) + " differs from what was written ("
                    + describe(Arrays.copyOfRange(got, mismatch, got.length)) + " from there)");
            peerReceived += got.length;
        }

        // ---- the handler ----

        @Override
        public void onMessage(Connection<M> connection, M message) {
            check(!paused, () -> "message " + delivered + " delivered while reading is paused");
            check(delivered < expected.size(), () -> "message " + delivered + " delivered; only "
                    + expected.size() + " were sent");
            byte[] content = content(message);
            byte[] want = expected.get(delivered);
            check(Arrays.equals(content, want), () -> "message " + delivered + " of " + expected.size() + " is "
                    + describe(content) + ", not " + describe(want));
            delivered++;
            if (random.nextInt(100) < 85) {
                write(content);
            }
            if (random.nextInt(100) < 8 && mayWrite()) {
                write(randomContent(randomLength(maxExtra())));
            }
            int pick = random.nextInt(100);
            if (pick < 6) {
                randomPaused = true;
                pause();
                if (random.nextBoolean()) {
                    // Changed its mind within the same call: the decode loop must go on.
                    randomPaused = false;
                    maybeResume();
                }
            } else if (pick < 9) {
                connection.flush();
            }
        }

        @Override
        public void onWritabilityChanged(Connection<M> connection, boolean writable) {
            check(lastWritability == null ? !writable : writable != lastWritability, () -> "writability "
                    + writable + " after " + lastWritability + " (change " + writabilityChanges + ")");
            check(writable == connection.isWritable(), () -> "told writable " + writable + " while isWritable() is "
                    + connection.isWritable());
            lastWritability = writable;
            writabilityChanges++;
            if (!writable) {
                pause();
                return;
            }
            if (random.nextInt(4) == 0 && mayWrite()) {
                write(randomContent(randomLength(Math.min(maxExtra(), 4096))));
            }
            maybeResume();
        }

        @Override
        public void onInputClosed(Connection<M> connection) {
            check(halfClose && endFed, () -> "onInputClosed without an end of input");
            check(delivered == expected.size(), () -> "onInputClosed after " + delivered + " of "
                    + expected.size() + " messages");
            inputClosedCalls++;
            if (random.nextBoolean() && mayWrite()) {
                write(randomContent(randomLength(Math.min(maxExtra(), 4096))));
            }
            connection.close();
        }

        @Override
        public void onDecodeError(Connection<M> connection, DecodeException error) {
            check(endsInsideAFrame && endFed && error.getMessage().contains("stream ended inside a frame"),
                    () -> "decode error: " + error.getMessage());
            decodeErrors++;
        }

        @Override
        public void onClose(Connection<M> connection, CloseReason reason) {
            closes.add(reason);
        }

        private void onWriteComplete(int sequence, Throwable writeFailure) {
            check(writeFailure == null, () -> "write " + sequence + " failed: " + writeFailure);
            check(sequence == listenersCompleted, () -> "write listener " + sequence + " told after "
                    + listenersCompleted + " others");
            listenersCompleted++;
            int pick = random.nextInt(100);
            if (pick < 20) {
                maybeResume();
            } else if (pick < 25 && mayWrite()) {
                // Writing from inside the flush that completed the last write.
                write(randomContent(randomLength(Math.min(maxExtra(), 2048))));
            }
        }

        private boolean mayWrite() {
            return channel.isOpen() && channel.isWritable();
        }

        private void write(byte[] content) {
            byte[] bytes = outboundWire(content);
            written.append(bytes);
            largestWrite = Math.max(largestWrite, bytes.length);
            if (random.nextInt(5) == 0) {
                int sequence = listenersIssued++;
                channel.write(message(content), writeFailure -> onWriteComplete(sequence, writeFailure));
            } else {
                channel.write(message(content));
            }
            checkQueueBound();
        }

        private void pause() {
            if (!paused) {
                paused = true;
                channel.pauseReading();
            } else if (random.nextInt(4) == 0) {
                channel.pauseReading();
            }
        }

        private void maybeResume() {
            if (paused && !randomPaused && channel.isWritable() && channel.isOpen()) {
                paused = false;
                channel.resumeReading();
            } else if (!paused && random.nextInt(8) == 0) {
                channel.resumeReading();    // not paused: nothing to do
            }
        }

        // ---- invariants ----

        private void checkState() {
            rethrowFailure();
            boolean mayHaveClosed = endFed;
            if (!mayHaveClosed) {
                check(channel.isOpen(), () -> "closed: " + channel.closeReason());
            }
            checkQueueBound();
            check(channel.isWritable() == (lastWritability == null || lastWritability), () -> "isWritable() "
                    + channel.isWritable() + " but the handler was last told " + lastWritability);
            if (channel.isOpen() && inputClosedCalls == 0 && !endFed) {
                check(channel.isReading() == !paused, () -> "reading " + channel.isReading() + " while paused " + paused);
            }
        }

        private void checkQueueBound() {
            long queued = channel.pendingOutboundBytes();
            check(queued <= (long) options.highWaterMark() + largestWrite, () -> queued + " bytes queued, over the high "
                    + "water mark " + options.highWaterMark() + " plus the largest write " + largestWrite);
        }

        /** Fails the run, naming its seed; a failure inside a handler call is also kept for the driver. */
        void check(boolean ok, Supplier<String> what) {
            if (ok) {
                return;
            }
            AssertionError error = new AssertionError(where() + what.get());
            if (failure == null) {
                failure = error;
            }
            throw error;
        }

        private void rethrowFailure() {
            if (failure != null) {
                throw failure;
            }
            if (channel.closeReason() != null && channel.closeReason().cause() != null && !endFed) {
                throw new AssertionError(where() + "closed: " + channel.closeReason(), channel.closeReason().cause());
            }
        }

        private String where() {
            return "seed " + seed + (halfClose ? " (half-close)" : "") + ", " + getClass().getSimpleName()
                    + " " + describeSetup() + ", step " + step + ": ";
        }

        private String describeSetup() {
            return describeCodec() + ", water marks " + options.lowWaterMark() + "/" + options.highWaterMark()
                    + ", maxInboundBytes " + options.maxInboundBytes() + ", " + expected.size() + " messages";
        }

        static String describe(byte[] bytes) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return bytes.length + " bytes, CRC32 " + Long.toHexString(crc.getValue());
        }
    }

    /** Lines of UTF-8 text, sent with {@code \n} or {@code \r\n}, up to 100 KB long. */
    static final class LineRun extends Run<String> {

        private final int maxLineLength;
        private final LineCodec codec;

        LineRun(long seed, boolean halfClose, Random random) {
            super(seed, halfClose, random);
            maxLineLength = switch (random.nextInt(3)) {
                case 0 -> 1 + random.nextInt(300);
                case 1 -> LineCodec.DEFAULT_MAX_LINE_LENGTH;
                default -> 100_000 + random.nextInt(20_000);
            };
            codec = maxLineLength == LineCodec.DEFAULT_MAX_LINE_LENGTH && random.nextBoolean()
                    ? new LineCodec() : new LineCodec(maxLineLength, UTF_8);
        }

        @Override
        Codec<String, String> codec() {
            return codec;
        }

        @Override
        String describeCodec() {
            return "LineCodec(" + maxLineLength + ")";
        }

        @Override
        int maxContent() {
            return maxLineLength;
        }

        @Override
        int maxExtra() {
            // Longer than any line read: a reply over 256 KiB leaves in slices.
            return maxLineLength > 50_000 ? 300_000 : maxLineLength;
        }

        /**
         * Valid UTF-8 of one to four bytes a character, with tabs and lone CRs, never LF, never a CR
         * last (a CR before the newline is part of the separator).
         */
        @Override
        byte[] randomContent(int length) {
            byte[] out = new byte[length];
            int i = 0;
            while (i < length) {
                int left = length - i;
                int pick = random.nextInt(10);
                if (pick < 6 || left < 2) {
                    int ascii = random.nextInt(100);
                    out[i++] = (byte) (ascii == 0 ? '\r' : ascii == 1 ? '\t' : 0x20 + random.nextInt(0x5F));
                } else if (pick < 8 || left < 3) {
                    int c = 0x80 + random.nextInt(0x800 - 0x80);
                    out[i++] = (byte) (0xC0 | c >> 6);
                    out[i++] = (byte) (0x80 | c & 0x3F);
                } else if (pick < 9 || left < 4) {
                    int c = 0x800 + random.nextInt(0x10000 - 0x800);
                    if (c >= 0xD800 && c <= 0xDFFF) {
                        c = 0x4E2D;
                    }
                    out[i++] = (byte) (0xE0 | c >> 12);
                    out[i++] = (byte) (0x80 | c >> 6 & 0x3F);
                    out[i++] = (byte) (0x80 | c & 0x3F);
                } else {
                    int c = 0x10000 + random.nextInt(0x110000 - 0x10000);
                    out[i++] = (byte) (0xF0 | c >> 18);
                    out[i++] = (byte) (0x80 | c >> 12 & 0x3F);
                    out[i++] = (byte) (0x80 | c >> 6 & 0x3F);
                    out[i++] = (byte) (0x80 | c & 0x3F);
                }
            }
            if (length > 0 && out[length - 1] == '\r') {
                out[length - 1] = 'r';
            }
            return out;
        }

        @Override
        byte[] inboundWire(byte[] content) {
            boolean crlf = random.nextBoolean();
            byte[] bytes = Arrays.copyOf(content, content.length + (crlf ? 2 : 1));
            if (crlf) {
                bytes[content.length] = '\r';
            }
            bytes[bytes.length - 1] = '\n';
            return bytes;
        }

        @Override
        byte[] outboundWire(byte[] content) {
            byte[] bytes = Arrays.copyOf(content, content.length + 1);
            bytes[content.length] = '\n';
            return bytes;
        }

        @Override
        byte[] content(String message) {
            return message.getBytes(UTF_8);
        }

        @Override
        String message(byte[] content) {
            return new String(content, UTF_8);
        }

        /** A last line without its newline, maybe empty, maybe ending with the CR of a CRLF. */
        @Override
        byte[][] partialLast() {
            byte[] content = randomContent(randomLength(maxLineLength));
            boolean cr = random.nextInt(4) == 0;
            byte[] bytes = cr ? Arrays.copyOf(content, content.length + 1) : content;
            if (cr) {
                bytes[content.length] = '\r';
            }
            // Nothing after the last newline: no message.
            return new byte[][] {bytes, bytes.length == 0 ? null : content};
        }
    }

    /** Frames with a 1-, 2- or 4-byte length field, up to 300 KB. */
    static final class FrameRun extends Run<ByteBuffer> {

        private final int fieldBytes;
        private final int maxFrameLength;
        private final LengthFieldCodec codec;

        FrameRun(long seed, boolean halfClose, Random random) {
            super(seed, halfClose, random);
            fieldBytes = new int[] {1, 2, 4}[random.nextInt(3)];
            maxFrameLength = switch (fieldBytes) {
                case 1 -> random.nextBoolean() ? 255 : 1 + random.nextInt(255);
                case 2 -> random.nextBoolean() ? 65_535 : 1 + random.nextInt(65_535);
                default -> switch (random.nextInt(4)) {
                    case 0 -> 1 + random.nextInt(20_000);
                    // A frame that outgrows the pending buffer twice, which then shrinks.
                    case 1 -> 300_000;
                    default -> 120_000;
                };
            };
            codec = new LengthFieldCodec(fieldBytes, maxFrameLength);
        }

        @Override
        Codec<ByteBuffer, ByteBuffer> codec() {
            return codec;
        }

        @Override
        String describeCodec() {
            return "LengthFieldCodec(" + fieldBytes + ", " + maxFrameLength + ")";
        }

        @Override
        int maxContent() {
            return maxFrameLength;
        }

        @Override
        byte[] randomContent(int length) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return bytes;
        }

        @Override
        byte[] inboundWire(byte[] content) {
            return outboundWire(content);
        }

        @Override
        byte[] outboundWire(byte[] content) {
            byte[] bytes = new byte[fieldBytes + content.length];
            for (int i = 0; i < fieldBytes; i++) {
                bytes[i] = (byte) (content.length >>> 8 * (fieldBytes - 1 - i));
            }
            System.arraycopy(content, 0, bytes, fieldBytes, content.length);
            return bytes;
        }

        @Override
        byte[] content(ByteBuffer message) {
            byte[] bytes = new byte[message.remaining()];
            message.duplicate().get(bytes);
            return bytes;
        }

        @Override
        ByteBuffer message(byte[] content) {
            return ByteBuffer.wrap(content);
        }

        /** The stream ends at a frame boundary, or inside a frame (its length field included). */
        @Override
        byte[][] partialLast() {
            if (random.nextBoolean()) {
                return new byte[][] {new byte[0], null};
            }
            byte[] whole = outboundWire(randomContent(Math.max(1, randomLength(maxFrameLength))));
            return new byte[][] {Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1)), null};
        }
    }

    /** A growable byte array: what the handler wrote, for comparing with what the peer got. */
    private static final class ByteLog {
        byte[] bytes = new byte[4096];
        private int size;

        void append(byte[] more) {
            if (size + more.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more.length));
            }
            System.arraycopy(more, 0, bytes, size, more.length);
            size += more.length;
        }

        int size() {
            return size;
        }
    }
}
