package io.eddy.udp.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.LengthFieldCodec;
import io.eddy.core.codec.LineCodec;
import io.eddy.udp.internal.PayloadSink;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FramedDatagramCodecTest {

    private final FramedDatagramCodec<String, String> lines = new FramedDatagramCodec<>(LineCodec::new);
    private final FramedDatagramCodec<String, String> frames = new FramedDatagramCodec<>(() -> new LengthFieldCodec(2, 64)
            .map(frame -> UTF_8.decode(frame).toString(), (String text) -> ByteBuffer.wrap(text.getBytes(UTF_8))));

    @Test
    void aLineWithOrWithoutItsNewlineIsOneMessage() throws DecodeException {
        assertEquals("hello", lines.decode(wrap("hello\n")));
        assertEquals("hello", lines.decode(wrap("hello\r\n")));
        assertEquals("hello", lines.decode(wrap("hello")));
    }

    @Test
    void encodesWithTheCoreEncoder() {
        PayloadSink sink = new PayloadSink(100);
        lines.encode("hello", sink);
        assertEquals(wrap("hello\n"), sink.view());

        sink.reset();
        frames.encode("hi", sink);
        assertEquals(ByteBuffer.wrap(new byte[] {0, 2, 'h', 'i'}), sink.view());
    }

    @Test
    void decodesALengthPrefixedFrame() throws DecodeException {
        assertEquals("hi", frames.decode(ByteBuffer.wrap(new byte[] {0, 2, 'h', 'i'})));
        assertEquals("", frames.decode(ByteBuffer.wrap(new byte[] {0, 0})));
    }

    @Test
    void aFrameCutShortIsMalformed() {
        DecodeException e = assertThrows(DecodeException.class, () -> frames.decode(ByteBuffer.wrap(new byte[] {0, 5, 'h'})));
        assertEquals("stream ended inside a frame: 3 bytes of an incomplete frame were left", e.getMessage());
    }

    @Test
    void aFrameOverTheCoreCodecsLimitIsMalformed() {
        DecodeException e = assertThrows(DecodeException.class, () -> frames.decode(ByteBuffer.wrap(new byte[] {0, 65})));
        assertEquals("frame length 65 exceeds the limit maxFrameLength = 64 bytes", e.getMessage());
    }

    @Test
    void bytesAfterTheMessageAreMalformed() {
        DecodeException e = assertThrows(DecodeException.class, () -> lines.decode(wrap("one\ntwo\n")));
        assertEquals("4 bytes follow the message; a datagram carries one", e.getMessage());
    }

    /**
     * Found by fuzzing: the core encoder moved the message's position to its limit, so the same
     * frame sent to a second peer went out as an empty frame.
     */
    @Test
    void aFrameSentTwiceIsEncodedWholeBothTimesAndLeftAsItWas() {
        FramedDatagramCodec<ByteBuffer, ByteBuffer> raw = new FramedDatagramCodec<>(() -> new LengthFieldCodec(2, 64));
        ByteBuffer frame = ByteBuffer.wrap(new byte[] {'h', 'i'});
        for (int i = 0; i < 2; i++) {
            PayloadSink sink = new PayloadSink(100);
            raw.encode(frame, sink);
            assertEquals(ByteBuffer.wrap(new byte[] {0, 2, 'h', 'i'}), sink.view(), "send #" + (i + 1));
        }
        assertEquals(0, frame.position());
    }

    @Test
    void anEmptyPayloadHoldsNoLine() {
        DecodeException e = assertThrows(DecodeException.class, () -> lines.decode(ByteBuffer.allocate(0)));
        assertEquals("payload of 0 bytes holds no whole message", e.getMessage());
    }

    @Test
    void aFailedDatagramLeavesNothingBehindForTheNext() throws DecodeException {
        FramedDatagramCodec<String, String> shortLines = new FramedDatagramCodec<>(() -> new LineCodec(4, UTF_8));

        assertThrows(DecodeException.class, () -> shortLines.decode(wrap("far too long")));
        assertEquals("ok", shortLines.decode(wrap("ok\n")));
    }

    @Test
    void takesASeparateDecoderAndEncoder() throws DecodeException {
        Codec<String, String> line = new LineCodec();
        FramedDatagramCodec<String, String> codec = new FramedDatagramCodec<>(LineCodec::new, line);

        assertEquals("x", codec.decode(wrap("x")));
    }

    @Test
    void aFrameIsACopyThatOutlivesThePayloadItCameIn() throws DecodeException {
        FramedDatagramCodec<ByteBuffer, ByteBuffer> raw = new FramedDatagramCodec<>(() -> new LengthFieldCodec(1, 64));
        byte[] received = {2, 'h', 'i'};

        ByteBuffer frame = raw.decode(ByteBuffer.wrap(received));
        received[1] = 'X';                          // the next datagram lands in the same buffer

        assertEquals(ByteBuffer.wrap(new byte[] {'h', 'i'}), frame);
    }

    private static ByteBuffer wrap(String text) {
        return ByteBuffer.wrap(text.getBytes(UTF_8));
    }
}
