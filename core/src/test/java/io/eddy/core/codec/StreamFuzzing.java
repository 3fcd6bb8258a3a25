package io.eddy.core.codec;

import io.eddy.core.net.CloseReason;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.testing.TestChannel;
import io.eddy.core.testing.TestLoop;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the stream codecs' fuzz targets share: one test loop per thread (a loop is made on and
 * driven from its thread; making one per input would cost more than the input), and feeding a
 * stream to a fresh {@link TestChannel} in given reads, as the connection's pipeline receives it.
 */
final class StreamFuzzing {

    private static final ThreadLocal<TestLoop> LOOPS = ThreadLocal.withInitial(TestLoop::new);

    private StreamFuzzing() {
    }

    /** This thread's loop. */
    static TestLoop loop() {
        return LOOPS.get();
    }

    /**
     * What a connection made of a stream: the messages decoded, whether it was closed after each
     * read (before the end of input), and how it closed once the input ended.
     */
    record Outcome<I>(List<I> messages, boolean[] closedAfterRead, CloseReason.Kind closed) {
    }

    /**
     * Feeds {@code stream} to a new channel of {@code codec} in reads of {@code reads} bytes, then
     * ends its input. The channel is gone afterwards.
     */
    static <I> Outcome<I> feed(Codec<I, ?> codec, byte[] stream, int[] reads) {
        TestChannel<I, ?> channel = TestChannel.of(loop(), codec, ConnectionOptions.defaults());
        boolean[] closed = new boolean[reads.length];
        int at = 0;
        for (int i = 0; i < reads.length; i++) {
            int n = Math.min(reads[i], stream.length - at);
            byte[] read = new byte[n];
            System.arraycopy(stream, at, read, 0, n);
            at += n;
            if (n > 0) {
                channel.feedInChunks(read, n);
            }
            closed[i] = !channel.isOpen();
        }
        channel.feedEnd();
        List<I> messages = new ArrayList<>();
        for (I message = channel.readInbound(); message != null; message = channel.readInbound()) {
            messages.add(message);
        }
        if (channel.isOpen()) {
            channel.abort();
            throw new AssertionError("the connection stayed open after its input ended");
        }
        return new Outcome<>(messages, closed, channel.closeReason().kind());
    }

    /** What {@code codec} writes for {@code messages}, written one after the other on a new channel. */
    static <O> byte[] encode(Supplier<? extends Codec<?, O>> codec, List<? extends O> messages) {
        TestChannel<?, O> channel = TestChannel.of(loop(), codec.get(), ConnectionOptions.defaults());
        for (O message : messages) {
            channel.write(message);
        }
        byte[] written = channel.readOutbound();
        channel.abort();
        return written;
    }

    /** The bytes in hex, for a failure message. */
    static String show(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
