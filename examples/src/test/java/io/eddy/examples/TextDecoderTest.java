package io.eddy.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.TestChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chat framing through an in-memory connection: lines, newline-less text, cut characters, limits. */
class TextDecoderTest {

    private static final String TUTORIAL_MESSAGE = "正在连接主机";

    @Test
    void refillsOneTextPerMessageAndStringsAreCopiesToKeep() throws DecodeException {
        TextDecoder decoder = new TextDecoder();
        ByteBuffer in = ByteBuffer.wrap("first line\n2nd\n".getBytes(StandardCharsets.UTF_8));

        Text first = decoder.decode(in);
        String kept = first.toString();
        Text second = decoder.decode(in);

        assertSame(first, second, "one text, refilled");
        assertEquals("2nd", second.toString());
        assertEquals(3, second.length());
        assertEquals("first line", kept);
        assertEquals(List.of("first line", "2nd"), feedStrings("first line\n2nd\n"));
    }

    @Test
    void splitsLinesAtLfAndCrLf() throws DecodeException {
        assertEquals(List.of("one", "two", "", "three"), feed(new TextDecoder(), false, "one\ntwo\r\n\nthree\n"));
    }

    @Test
    void deliversTextWithoutNewlineThatEndsOnAWholeCharacter() throws DecodeException {
        assertEquals(List.of(TUTORIAL_MESSAGE), feed(new TextDecoder(), false, TUTORIAL_MESSAGE));
    }

    @Test
    void deliversLinesAndTheWholeTextAfterThemFromOneRead() throws DecodeException {
        assertEquals(List.of("a", "b", "c"), feed(new TextDecoder(), false, "a\nb\r\nc"));
    }

    static IntStream splitPoints() {
        return IntStream.range(1, TUTORIAL_MESSAGE.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @MethodSource("splitPoints")
    void waitsForTheRestOfACharacterTheNetworkCut(int split) throws DecodeException {
        byte[] bytes = TUTORIAL_MESSAGE.getBytes(StandardCharsets.UTF_8);
        List<String> messages = feed(new TextDecoder(), false,
                Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length));

        assertEquals(TUTORIAL_MESSAGE, String.join("", messages));
        assertFalse(String.join("", messages).contains("\uFFFD"));
        // Every character here is 3 bytes: a cut inside one holds the text back until it is whole.
        assertEquals(split % 3 == 0 ? 2 : 1, messages.size());
    }

    @Test
    void aNewlineRightAfterATextWithoutOneEndsThatText() throws DecodeException {
        assertEquals(List.of("hello", "world", "hi", "there"),
                feed(new TextDecoder(), false, "hello", "\n", "world\r", "\n", "hi", "\r\nthere\n"));
    }

    @Test
    void aSenderWithoutNewlinesCannotBeToldFromASlowOne() throws DecodeException {
        assertEquals(List.of("h", "i"), feed(new TextDecoder(), false, "h", "i", "\n"));
    }

    @Test
    void deliversALastCharacterCutShortAtEndOfStream() throws DecodeException {
        byte[] cut = Arrays.copyOf("ab正".getBytes(StandardCharsets.UTF_8), 4);
        List<String> messages = feed(new TextDecoder(), true, cut);

        assertEquals(1, messages.size());
        assertTrue(messages.get(0).startsWith("ab\uFFFD"), messages.get(0));
    }

    @Test
    void rejectsALineOverTheLimit() {
        DecodeException e = assertThrows(DecodeException.class, () -> feed(new TextDecoder(8), false, "123456789\n"));
        assertEquals("message length exceeds the limit maxLength = 8 bytes", e.getMessage());
    }

    @Test
    void rejectsATextWithoutNewlineOverTheLimit() {
        assertThrows(DecodeException.class, () -> feed(new TextDecoder(8), false, "123456789"));
    }

    @Test
    void rejectsAnUnfinishedCharacterRunOverTheLimit() {
        byte[] cut = Arrays.copyOf("正".getBytes(StandardCharsets.UTF_8), 2);
        byte[] tooLong = new byte[20];
        Arrays.fill(tooLong, (byte) 'x');
        System.arraycopy(cut, 0, tooLong, tooLong.length - 2, 2);

        assertThrows(DecodeException.class, () -> feed(new TextDecoder(8), false, tooLong));
    }

    @Test
    void acceptsAMessageOfExactlyTheLimit() throws DecodeException {
        assertEquals(List.of("12345678", "12345678"), feed(new TextDecoder(8), false, "12345678\n12345678"));
    }

    private static List<String> feedStrings(String input) {
        var channel = TestChannel.of(Codec.of(TextDecoder.strings(), new LineCodec()));
        channel.feed(input.getBytes(StandardCharsets.UTF_8));
        List<String> messages = new ArrayList<>();
        for (String m = channel.readInbound(); m != null; m = channel.readInbound()) {
            messages.add(m);
        }
        return messages;
    }

    private static List<String> feed(TextDecoder decoder, boolean endOfStream, String... chunks) throws DecodeException {
        return feed(decoder, endOfStream,
                Arrays.stream(chunks).map(c -> c.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new));
    }

    /**
     * Feeds each chunk as one read of an in-memory connection (the pipeline real connections run)
     * and returns the messages decoded; a decode error is rethrown as the connection saw it.
     */
    private static List<String> feed(TextDecoder decoder, boolean endOfStream, byte[]... chunks) throws DecodeException {
        var channel = TestChannel.of(Codec.of(decoder.map(Text::toString), new LineCodec()));
        for (byte[] chunk : chunks) {
            channel.feed(chunk);
        }
        if (endOfStream) {
            channel.feedEnd();
        }
        CloseReason reason = channel.closeReason();
        if (reason != null && reason.kind() == CloseReason.Kind.DECODE_ERROR) {
            throw (DecodeException) reason.cause();
        }
        List<String> messages = new ArrayList<>();
        for (String m = channel.readInbound(); m != null; m = channel.readInbound()) {
            messages.add(m);
        }
        return messages;
    }
}
