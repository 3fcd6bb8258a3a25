package io.eddy.http.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Messages from frames: fragments, UTF-8 checked as it arrives, compression and its bomb, the size limit. */
class MessageAssemblerTest {

    private static Frame frame(boolean fin, boolean rsv1, int opcode, byte[] payload) {
        return new Frame(fin, rsv1, opcode, ByteBuffer.wrap(payload));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void joinsFragmentsAndSplitsNoCharacter() throws Exception {
        MessageAssembler assembler = new MessageAssembler(1000, null);
        byte[] earth = utf8("\uD83C\uDF0D"); // four bytes, split over three fragments
        assertNull(assembler.accept(frame(false, false, Frame.TEXT, new byte[] {'a', earth[0]})));
        assertNull(assembler.accept(frame(false, false, Frame.CONTINUATION, new byte[] {earth[1], earth[2]})));
        assertEquals("a\uD83C\uDF0Db", assembler.accept(frame(true, false, Frame.CONTINUATION, new byte[] {earth[3], 'b'})));
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), assembler.accept(frame(true, false, Frame.BINARY, new byte[] {1, 2})));
    }

    @Test
    void failsFastOnTheFirstBadByteOfAFragmentedText() throws Exception {
        MessageAssembler assembler = new MessageAssembler(1000, null);
        assertNull(assembler.accept(frame(false, false, Frame.TEXT, utf8("fine so far"))));
        WebSocketException bad = assertThrows(WebSocketException.class,
                () -> assembler.accept(frame(false, false, Frame.CONTINUATION, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})));
        assertEquals(CloseCodes.INVALID_PAYLOAD, bad.closeCode(), "a surrogate, refused before the message ends");
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e080af", "f08f8080", "f4908080", "ff", "80", "eda080"})
    void refusesWhatIsNotUtf8(String hex) {
        byte[] bytes = java.util.HexFormat.of().parseHex(hex);
        Utf8Validator validator = new Utf8Validator();
        assertFalse(validator.accept(bytes, 0, bytes.length) && validator.complete(), hex);
    }

    @Test
    void aTextEndingInsideACharacterIsInvalid() throws Exception {
        MessageAssembler assembler = new MessageAssembler(1000, null);
        WebSocketException cut = assertThrows(WebSocketException.class,
                () -> assembler.accept(frame(true, false, Frame.TEXT, new byte[] {'a', (byte) 0xe2, (byte) 0x82})));
        assertEquals(CloseCodes.INVALID_PAYLOAD, cut.closeCode());
    }

    @Test
    void enforcesTheMessageSizeAcrossFragments() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10, null);
        assertNull(assembler.accept(frame(false, false, Frame.BINARY, new byte[6])));
        assertEquals(CloseCodes.TOO_BIG, assertThrows(WebSocketException.class,
                () -> assembler.accept(frame(true, false, Frame.CONTINUATION, new byte[5]))).closeCode());
    }

    @Test
    void refusesFragmentsOutOfOrder() throws Exception {
        MessageAssembler assembler = new MessageAssembler(100, null);
        assertEquals(CloseCodes.PROTOCOL_ERROR, assertThrows(WebSocketException.class,
                () -> assembler.accept(frame(true, false, Frame.CONTINUATION, new byte[1]))).closeCode());
        MessageAssembler other = new MessageAssembler(100, null);
        other.accept(frame(false, false, Frame.TEXT, utf8("a")));
        assertEquals(CloseCodes.PROTOCOL_ERROR, assertThrows(WebSocketException.class,
                () -> other.accept(frame(true, false, Frame.TEXT, utf8("b")))).closeCode());
    }

    @Test
    void inflatesWhatDeflationCompressedWithAndWithoutContext() throws Exception {
        for (boolean context : new boolean[] {true, false}) {
            Deflation deflation = new Deflation(context);
            MessageAssembler assembler = new MessageAssembler(1 << 20, new Inflation(context));
            for (int i = 0; i < 3; i++) {
                String text = "repeat after me " .repeat(100) + i;
                ByteBuffer compressed = deflation.compress(ByteBuffer.wrap(utf8(text)));
                assertTrue(compressed.remaining() < 200);
                byte[] bytes = new byte[compressed.remaining()];
                compressed.get(bytes);
                // Split into two fragments, to inflate piece by piece.
                int half = bytes.length / 2;
                assertNull(assembler.accept(frame(false, true, Frame.TEXT, java.util.Arrays.copyOf(bytes, half))));
                assertEquals(text, assembler.accept(frame(true, false, Frame.CONTINUATION,
                        java.util.Arrays.copyOfRange(bytes, half, bytes.length))));
            }
            deflation.close();
            assembler.close();
        }
    }

    @Test
    void aCompressionBombStopsAtTheLimitWith1009() throws Exception {
        // 64 MiB of zeros compress to about 64 KiB; the limit is 1 MiB.
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(new byte[64 << 20]);
        byte[] bomb = new byte[1 << 20];
        int length = deflater.deflate(bomb, 0, bomb.length, Deflater.SYNC_FLUSH);
        deflater.end();
        assertTrue(length < 200_000, "small on the wire: " + length);
        MessageAssembler assembler = new MessageAssembler(1 << 20, new Inflation(true));
        WebSocketException tooBig = assertThrows(WebSocketException.class,
                () -> assembler.accept(frame(true, true, Frame.BINARY, java.util.Arrays.copyOf(bomb, length))));
        assertEquals(CloseCodes.TOO_BIG, tooBig.closeCode());
    }

    @Test
    void garbageThatDoesNotInflateIsInvalidPayload() {
        MessageAssembler assembler = new MessageAssembler(1000, new Inflation(true));
        WebSocketException bad = assertThrows(WebSocketException.class,
                () -> assembler.accept(frame(true, true, Frame.TEXT, new byte[] {(byte) 0xff, (byte) 0xff, 0x00})));
        assertEquals(CloseCodes.INVALID_PAYLOAD, bad.closeCode());
    }
}
