package io.eddy.core.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** LengthFieldCodec with 1-, 2- and 4-byte fields: framing at every split, limits, end of stream, encoding, stacking. */
class LengthFieldCodecTest {

    private static final int MAX = 200;
    private static final List<String> PAYLOADS = List.of("hello", "", "x", "发送数据0", "y".repeat(MAX));

    static Stream<Arguments> fieldSizesAndChunks() {
        return IntStream.of(1, 2, 4).boxed().flatMap(field ->
                IntStream.of(1, 2, 3, 4, 5, 7, 64, 4096).mapToObj(chunk -> Arguments.of(field, chunk)));
    }

    static Stream<Arguments> fieldSizesAndSplitPoints() {
        return IntStream.of(1, 2, 4).boxed().flatMap(field ->
                IntStream.rangeClosed(0, wire(field, PAYLOADS).length).mapToObj(split -> Arguments.of(field, split)));
    }

    @ParameterizedTest(name = "field {0} bytes, chunks of {1}")
    @MethodSource("fieldSizesAndChunks")
    void decodesFramesFedInChunksOfAnySize(int field, int chunk) {
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feedInChunks(wire(field, PAYLOADS), chunk);
        assertEquals(PAYLOADS, drain(channel));
        assertTrue(channel.isOpen());
    }

    @ParameterizedTest(name = "field {0} bytes, split at {1}")
    @MethodSource("fieldSizesAndSplitPoints")
    void decodesFramesSplitAtAnyByteBoundary(int field, int split) {
        byte[] wire = wire(field, PAYLOADS);
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feed(Arrays.copyOfRange(wire, 0, split));
        channel.feed(Arrays.copyOfRange(wire, split, wire.length));
        assertEquals(PAYLOADS, drain(channel));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void decodesSeveralFramesInOneRead(int field) {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            payloads.add("frame " + i);
        }
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feed(wire(field, payloads));
        assertEquals(payloads, drain(channel));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void decodesZeroLengthFrame(int field) {
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feed(new byte[field]);
        ByteBuffer frame = channel.readInbound();
        assertEquals(0, frame.remaining());
        assertNull(channel.readInbound());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void rejectsFrameOverMaxFrameLengthBeforeItsBodyArrives(int field) {
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feed(prefix(field, MAX + 1));
        assertDecodeError(channel, "maxFrameLength");
        assertNull(channel.readInbound());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x80, 0xFF})
    void rejectsFourByteLengthWithTheHighBitSet(int firstByte) {
        var channel = TestChannel.of(new LengthFieldCodec(4, Integer.MAX_VALUE));
        channel.feed(new byte[] {(byte) firstByte, 0, 0, 1, 'a', 'b'});
        assertDecodeError(channel, "maxFrameLength");
    }

    @Test
    void acceptsFrameOfExactlyMaxFrameLengthOfAOneByteField() {
        var channel = TestChannel.of(new LengthFieldCodec(1, 255));
        channel.feedInChunks(wire(1, List.of("z".repeat(255))), 10);
        assertEquals(List.of("z".repeat(255)), drain(channel));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void failsWhenTheStreamEndsInsideAFrame(int field) {
        byte[] wire = wire(field, List.of("whole", "partial"));
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feed(Arrays.copyOf(wire, wire.length - 2));
        channel.feedEnd();
        assertEquals(List.of("whole"), drain(channel));
        assertEquals(CloseReason.Kind.DECODE_ERROR, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("stream ended inside a frame"),
                channel.closeReason().detail());
    }

    @Test
    void failsWhenTheStreamEndsInsideTheLengthField() {
        var channel = TestChannel.of(new LengthFieldCodec(4, MAX));
        channel.feed(new byte[] {0, 0});
        channel.feedEnd();
        assertEquals(CloseReason.Kind.DECODE_ERROR, channel.closeReason().kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void closesQuietlyWhenTheStreamEndsBetweenFrames(int field) {
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        channel.feed(wire(field, List.of("a", "b")));
        channel.feedEnd();
        assertEquals(List.of("a", "b"), drain(channel));
        assertEquals(CloseReason.Kind.PEER_CLOSED, channel.closeReason().kind());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void encodeWritesTheBigEndianLengthPrefix(int field) {
        var channel = TestChannel.of(new LengthFieldCodec(field, MAX));
        for (String payload : PAYLOADS) {
            channel.write(ByteBuffer.wrap(payload.getBytes(UTF_8)));
        }
        assertArrayEquals(wire(field, PAYLOADS), channel.readOutbound());
    }

    @Test
    void encodeWritesLargeFrameWithFourBytePrefix() {
        byte[] payload = new byte[70_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        var channel = TestChannel.of(new LengthFieldCodec(4, 100_000));
        channel.write(ByteBuffer.wrap(payload));
        byte[] out = channel.readOutbound();
        assertArrayEquals(new byte[] {0, 1, 0x11, 0x70}, Arrays.copyOf(out, 4));
        assertArrayEquals(payload, Arrays.copyOfRange(out, 4, out.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void encodeRefusesOverLongFrameAndWritesNothingOfIt(int field) {
        int max = field == 1 ? 255 : MAX;
        var channel = TestChannel.of(new LengthFieldCodec(field, max));
        channel.write(ByteBuffer.wrap("before".getBytes(UTF_8)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        channel.write(ByteBuffer.wrap(new byte[max + 1]), failure::set);
        assertInstanceOf(IllegalArgumentException.class, failure.get());
        assertTrue(failure.get().getMessage().contains("maxFrameLength"), failure.get().getMessage());
        assertArrayEquals(wire(field, List.of("before")), channel.readOutbound());
        assertEquals(CloseReason.Kind.ENCODE_ERROR, channel.closeReason().kind());
    }

    @Test
    void refusesLimitsTheFieldCannotExpress() {
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldCodec(1, 256));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldCodec(2, 65_536));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldCodec(3, 10));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldCodec(2, -1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 4096})
    void stackedStringStageRoundTrips(int chunk) {
        var sender = TestChannel.of(text());
        List<String> messages = List.of("hello", "发送数据0", "", "last");
        messages.forEach(sender::write);
        byte[] wire = sender.readOutbound();
        assertArrayEquals(wire(2, messages), wire);

        var receiver = TestChannel.of(text());
        receiver.feedInChunks(wire, chunk);
        List<String> received = new ArrayList<>();
        String message;
        while ((message = receiver.readInbound()) != null) {
            received.add(message);
        }
        assertEquals(messages, received);
    }

    @Test
    void stackedStageDroppingAFrameGoesOnToTheNextInTheSameRead() {
        Codec<String, String> skipEmpty = new LengthFieldCodec(1, MAX).map(
                frame -> frame.hasRemaining() ? UTF_8.decode(frame).toString() : null,
                text -> ByteBuffer.wrap(text.getBytes(UTF_8)));
        var channel = TestChannel.of(skipEmpty);
        channel.feed(wire(1, List.of("", "", "kept", "", "also")));
        assertEquals("kept", channel.readInbound());
        assertEquals("also", channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void stackedStageFailureClosesWithItsDecodeError() {
        Codec<String, String> strict = new LengthFieldCodec(1, MAX).map(
                frame -> {
                    if (frame.remaining() > 3) {
                        throw new DecodeException("message over the stage's rule");
                    }
                    return UTF_8.decode(frame).toString();
                },
                text -> ByteBuffer.wrap(text.getBytes(UTF_8)));
        var channel = TestChannel.of(strict);
        channel.feed(wire(1, List.of("ok", "too long", "never")));
        assertEquals("ok", channel.readInbound());
        assertNull(channel.readInbound());
        assertEquals(CloseReason.Kind.DECODE_ERROR, channel.closeReason().kind());
        assertEquals("message over the stage's rule", channel.closeReason().detail());
    }

    /** Bytes → 2-byte-prefixed frames → UTF-8 strings, as the {@link Codec#map} Javadoc shows. */
    private static Codec<String, String> text() {
        return new LengthFieldCodec(2, 4096).map(
                frame -> UTF_8.decode(frame).toString(),
                text -> ByteBuffer.wrap(text.getBytes(UTF_8)));
    }

    /** {@code length} as a {@code field}-byte big-endian length field. */
    private static byte[] prefix(int field, int length) {
        byte[] prefix = new byte[field];
        for (int i = 0; i < field; i++) {
            prefix[i] = (byte) (length >>> (8 * (field - 1 - i)));
        }
        return prefix;
    }

    /** The wire form of {@code payloads}: each one's UTF-8 bytes after a {@code field}-byte length. */
    private static byte[] wire(int field, List<String> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String payload : payloads) {
            byte[] bytes = payload.getBytes(UTF_8);
            out.writeBytes(prefix(field, bytes.length));
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** The channel closed because the peer broke the limit named {@code limitName}. */
    private static void assertDecodeError(TestChannel<?, ?> channel, String limitName) {
        assertFalse(channel.isOpen());
        CloseReason reason = channel.closeReason();
        assertEquals(CloseReason.Kind.DECODE_ERROR, reason.kind(), reason.toString());
        assertTrue(reason.detail().contains(limitName), reason.detail());
    }

    /** Every frame decoded so far, as UTF-8 text, in order. */
    private static List<String> drain(TestChannel<ByteBuffer, ByteBuffer> channel) {
        List<String> frames = new ArrayList<>();
        ByteBuffer frame;
        while ((frame = channel.readInbound()) != null) {
            frames.add(UTF_8.decode(frame).toString());
        }
        return frames;
    }
}
