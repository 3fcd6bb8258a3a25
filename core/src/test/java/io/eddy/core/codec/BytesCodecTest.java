package io.eddy.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BytesCodec passes bytes through unchanged, in order, in the pieces the network delivered. */
class BytesCodecTest {

    private static final byte[] DATA = random(150_000);

    @ParameterizedTest
    @ValueSource(ints = {1, 13, 1000, 64 * 1024})
    void deliversEveryByteInOrderInThePiecesThatArrived(int chunk) {
        byte[] data = chunk == 1 ? Arrays.copyOf(DATA, 5000) : DATA;
        var channel = TestChannel.of(new BytesCodec());
        channel.feedInChunks(data, chunk);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        ByteBuffer piece;
        while ((piece = channel.readInbound()) != null) {
            assertTrue(piece.remaining() > 0 && piece.remaining() <= chunk, "piece of " + piece.remaining());
            received.writeBytes(bytes(piece));
        }
        assertArrayEquals(data, received.toByteArray());
    }

    @Test
    void handsTheHandlerAReadOnlyView() {
        List<Boolean> readOnly = new ArrayList<>();
        var channel = TestChannel.<ByteBuffer, ByteBuffer>of(new BytesCodec(),
                (connection, bytes) -> readOnly.add(bytes.isReadOnly()));
        channel.feed(new byte[] {1, 2, 3});
        assertEquals(List.of(true), readOnly);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 700, 4096})
    void echoesWhatItReceivesUnchanged(int chunk) {
        byte[] data = Arrays.copyOf(DATA, chunk == 1 ? 3000 : DATA.length);
        var channel = TestChannel.<ByteBuffer, ByteBuffer>of(new BytesCodec(), (connection, bytes) -> connection.write(bytes));
        channel.feedInChunks(data, chunk);
        assertArrayEquals(data, channel.readOutbound());
    }

    @Test
    void writesOnlyTheRemainingBytesOfABuffer() {
        var channel = TestChannel.of(new BytesCodec());
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 9, 1, 2, 3, 9});
        buffer.position(2).limit(5);
        channel.write(buffer);
        assertArrayEquals(new byte[] {1, 2, 3}, channel.readOutbound());
    }

    @Test
    void deliversNothingForNoBytes() {
        var channel = TestChannel.of(new BytesCodec());
        channel.feed(new byte[0]);
        channel.feedEnd();
        assertNull(channel.readInbound());
    }

    @Test
    void writeOfAnEmptyBufferCompletesItsListener() {
        var channel = TestChannel.of(new BytesCodec());
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        channel.write(ByteBuffer.allocate(0), error -> {
            calls.incrementAndGet();
            failure.set(error);
        });
        channel.runPending();
        assertEquals(1, calls.get());
        assertNull(failure.get());
        assertEquals(0, channel.readOutbound().length);
    }

    @Test
    void listenerOfAnEmptyWriteAfterQueuedBytesWaitsForThem() {
        var channel = TestChannel.of(new BytesCodec()).peerReceiveWindow(2);
        List<String> events = new ArrayList<>();
        channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), error -> events.add("bytes " + error));
        channel.write(ByteBuffer.allocate(0), error -> events.add("empty " + error));
        channel.runPending();
        assertEquals(List.of(), events);
        channel.readOutbound();
        assertEquals(List.of("bytes null", "empty null"), events);
    }

    /** The remaining bytes of {@code buffer}, leaving it as it was. */
    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** {@code size} reproducible random bytes. */
    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }
}
