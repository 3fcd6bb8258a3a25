package io.eddy.http.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.Codec;
import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.TestChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame decoder alone, through the in-memory test channel: frames split at every size, and every rule a frame can break. */
class FrameDecoderTest {

    private static TestChannel<Frame, Frame> server(int maxFrameSize, int pieceSize) {
        return TestChannel.of(Codec.of(new FrameDecoder(true, maxFrameSize, false, pieceSize), FrameEncoder.server(1 << 20)));
    }

    private static String payload(Frame frame) {
        return WireFrames.text(frame);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void decodesFramesOfEveryLengthEncodingSplitAtAnySize(int chunk) {
        TestChannel<Frame, Frame> channel = server(1 << 20, 1 << 20);
        String medium = "m".repeat(300);
        String large = "L".repeat(70_000);
        channel.feedInChunks(WireFrames.concat(WireFrames.text("hi"), WireFrames.text(medium), WireFrames.text(large),
                WireFrames.masked(0x80 | Frame.PING, new byte[0])), chunk);
        assertEquals("hi", payload(channel.readInbound()));
        assertEquals(medium, payload(channel.readInbound()));
        assertEquals(large, payload(channel.readInbound()));
        Frame ping = channel.readInbound();
        assertEquals(Frame.PING, ping.opcode());
        assertTrue(ping.fin());
        assertNull(channel.readInbound());
    }

    @Test
    void handsALongFrameOnInPiecesShapedAsFragments() {
        TestChannel<Frame, Frame> channel = server(1 << 20, 1000);
        channel.feed(WireFrames.masked(0x80 | Frame.BINARY, new byte[2500]));
        List<Frame> pieces = new ArrayList<>();
        for (Frame piece = channel.readInbound(); piece != null; piece = channel.readInbound()) {
            pieces.add(piece);
        }
        assertEquals(List.of(Frame.BINARY, Frame.CONTINUATION, Frame.CONTINUATION), pieces.stream().map(Frame::opcode).toList());
        assertEquals(List.of(false, false, true), pieces.stream().map(Frame::fin).toList());
        assertEquals(List.of(1000, 1000, 500), pieces.stream().map(p -> p.payload().remaining()).toList());
    }

    @Test
    void refusesAFrameOverTheLimitFromItsHeaderBeforeThePayloadArrives() {
        TestChannel<Frame, Frame> channel = server(1000, 1000);
        byte[] frame = WireFrames.masked(0x82, new byte[1001]);
        channel.feed(java.util.Arrays.copyOf(frame, 8)); // the header and mask only
        CloseReason reason = channel.closeFuture().getNow(null);
        assertEquals(CloseReason.Kind.DECODE_ERROR, reason.kind());
        assertEquals(CloseCodes.TOO_BIG, assertInstanceOf(WebSocketException.class, reason.cause()).closeCode());
    }

    static Stream<Arguments> brokenFrames() {
        byte[] eightByteLength = {(byte) 0x82, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        return Stream.of(
                Arguments.of("unmasked from a client", WireFrames.frame(0x81, new byte[] {'a'}, false)),
                Arguments.of("RSV1 without compression", WireFrames.masked(0xC1, new byte[] {'a'})),
                Arguments.of("RSV2", WireFrames.masked(0xA1, new byte[] {'a'})),
                Arguments.of("RSV3", WireFrames.masked(0x91, new byte[] {'a'})),
                Arguments.of("opcode 3", WireFrames.masked(0x83, new byte[0])),
                Arguments.of("opcode 11", WireFrames.masked(0x8B, new byte[0])),
                Arguments.of("fragmented close", WireFrames.masked(Frame.CLOSE, new byte[0])),
                Arguments.of("ping of 126 bytes", WireFrames.masked(0x80 | Frame.PING, new byte[126])),
                Arguments.of("64-bit length with its top bit set", eightByteLength));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFrames")
    void refusesWithAProtocolError(String name, byte[] frame) {
        TestChannel<Frame, Frame> channel = server(1 << 20, 1 << 20);
        channel.feed(frame);
        CloseReason reason = channel.closeFuture().getNow(null);
        assertEquals(CloseCodes.PROTOCOL_ERROR, assertInstanceOf(WebSocketException.class, reason.cause()).closeCode(), name);
        assertFalse(channel.isOpen());
    }

    @Test
    void aClientRefusesMaskedFramesAndTakesCompressedOnesWhenAgreed() throws Exception {
        FrameDecoder client = new FrameDecoder(false, 1 << 20, true);
        WebSocketException masked = assertThrows(WebSocketException.class,
                () -> client.decode(ByteBuffer.wrap(WireFrames.masked(0x81, new byte[] {'a'}))));
        assertTrue(masked.getMessage().contains("must not be masked"));
        Frame compressed = new FrameDecoder(false, 1 << 20, true)
                .decode(ByteBuffer.wrap(WireFrames.frame(0xC1, "x".getBytes(StandardCharsets.UTF_8), false)));
        assertTrue(compressed.rsv1());
    }

    @Test
    void theEncoderFragmentsMasksAndRoundTrips() throws Exception {
        TestChannel<Frame, Frame> client = TestChannel.of(Codec.of(new FrameDecoder(false, 1 << 20, false),
                new FrameEncoder(true, 100, null)));
        client.write(Frame.text("z".repeat(250)));
        byte[] wire = client.readOutbound();
        assertEquals(0x80, wire[1] & 0x80, "masked");
        TestChannel<Frame, Frame> server = server(1 << 20, 1 << 20);
        server.feed(wire);
        List<Frame> frames = new ArrayList<>();
        for (Frame frame = server.readInbound(); frame != null; frame = server.readInbound()) {
            frames.add(frame);
        }
        assertEquals(List.of(Frame.TEXT, Frame.CONTINUATION, Frame.CONTINUATION), frames.stream().map(Frame::opcode).toList());
        assertEquals("z".repeat(250), frames.stream().map(WireFrames::text).reduce("", String::concat));
    }
}
