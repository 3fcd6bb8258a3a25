package io.eddy.core.codec;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.CloseReason;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.testing.TestChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** LineCodec driven through the connection pipeline: separators, every split, limits, EOF, charsets, encoding. */
class LineCodecTest {

    /** Mixed separators, an empty line, a lone CR inside a line, and non-ASCII text. */
    private static final String TEXT = """
            first\r
            second
            \r
            lone\rcr
            发送数据0\r
            tab\there
            """;
    private static final List<String> LINES = List.of("first", "second", "", "lone\rcr", "发送数据0", "tab\there");
    private static final byte[] WIRE = TEXT.getBytes(UTF_8);

    private static final int MAX = 16;

    static IntStream everySplitPoint() {
        return IntStream.rangeClosed(0, WIRE.length);
    }

    @Test
    void splitsOnLineFeedAndStripsIt() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("a\nb\n");
        assertEquals(List.of("a", "b"), drain(channel));
    }

    @Test
    void splitsOnCrLfAndStripsBoth() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("a\r\nb\r\n");
        assertEquals(List.of("a", "b"), drain(channel));
    }

    @ParameterizedTest
    @MethodSource("everySplitPoint")
    void decodesTextSplitAtAnyByteBoundary(int split) {
        var channel = TestChannel.of(new LineCodec());
        channel.feed(Arrays.copyOfRange(WIRE, 0, split));
        channel.feed(Arrays.copyOfRange(WIRE, split, WIRE.length));
        assertEquals(LINES, drain(channel));
        assertTrue(channel.isOpen());
    }

    @Test
    void decodesTextSplitAtEveryPairOfBoundaries() {
        for (int i = 0; i <= WIRE.length; i++) {
            for (int j = i; j <= WIRE.length; j++) {
                var channel = TestChannel.of(new LineCodec());
                channel.feed(Arrays.copyOfRange(WIRE, 0, i));
                channel.feed(Arrays.copyOfRange(WIRE, i, j));
                channel.feed(Arrays.copyOfRange(WIRE, j, WIRE.length));
                assertEquals(LINES, drain(channel), "split at " + i + " and " + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 64, 4096})
    void decodesTextFedInChunksOfAnySize(int chunk) {
        var channel = TestChannel.of(new LineCodec());
        channel.feedInChunks(WIRE, chunk);
        assertEquals(LINES, drain(channel));
    }

    @Test
    void decodesManyLinesArrivingInOneRead() {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("line " + i);
            text.append("line ").append(i).append(i % 2 == 0 ? "\n" : "\r\n");
        }
        byte[] bytes = text.toString().getBytes(UTF_8);
        assertTrue(bytes.length < 64 * 1024, "must fit in one read");
        var channel = TestChannel.of(new LineCodec());
        channel.feed(bytes);
        assertEquals(expected, drain(channel));
    }

    @Test
    void decodesLinesSpanningSeveralFullReads() {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            expected.add("line number " + i);
            text.append("line number ").append(i).append('\n');
        }
        var channel = TestChannel.of(new LineCodec());
        channel.feed(text.toString());
        assertEquals(expected, drain(channel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void acceptsLineOfExactlyMaxLineLength(String separator) {
        String line = "x".repeat(MAX);
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        channel.feedInChunks((line + separator).getBytes(UTF_8), 1);
        assertEquals(line, channel.readInbound());
        assertTrue(channel.isOpen());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void rejectsLineOneByteOverTheLimit(String separator) {
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        channel.feed("ok\n" + "x".repeat(MAX + 1) + separator + "never\n");
        assertEquals("ok", channel.readInbound());
        assertNull(channel.readInbound());
        assertDecodeError(channel, "maxLineLength");
    }

    @Test
    void rejectsOverLongLineArrivingByteByByteWithoutNewlineOnceTheLimitIsPassed() {
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        // The limit plus one byte of slack for a CR whose LF is still to come: still undecided.
        channel.feedInChunks("x".repeat(MAX + 1).getBytes(UTF_8), 1);
        assertTrue(channel.isOpen());
        channel.feedInChunks(new byte[] {'x'}, 1);
        assertDecodeError(channel, "maxLineLength");
        assertFalse(channel.isReading());
    }

    @Test
    void stopsReadingAnEndlessLineAtTheLimit() {
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        channel.feedInChunks("y".repeat(100_000).getBytes(UTF_8), 1);
        assertDecodeError(channel, "maxLineLength");
        assertNull(channel.readInbound());
    }

    @Test
    void acceptsMaxLengthLineWhoseCrArrivesBeforeItsLf() {
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        channel.feedInChunks(("z".repeat(MAX) + "\r").getBytes(UTF_8), 1);
        assertTrue(channel.isOpen());
        channel.feed("\n");
        assertEquals("z".repeat(MAX), channel.readInbound());
    }

    @Test
    void deliversPartialLastLineAtEndOfStream() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("a\nlast");
        channel.feedEnd();
        assertEquals(List.of("a", "last"), drain(channel));
        assertEquals(CloseReason.Kind.PEER_CLOSED, channel.closeReason().kind());
    }

    @Test
    void stripsCrOfPartialLastLineAtEndOfStream() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("last\r");
        channel.feedEnd();
        assertEquals(List.of("last"), drain(channel));
    }

    @Test
    void deliversNothingMoreAtEndOfStreamAfterAWholeLine() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("only\n");
        channel.feedEnd();
        assertEquals(List.of("only"), drain(channel));
        assertEquals(CloseReason.Kind.PEER_CLOSED, channel.closeReason().kind());
    }

    @Test
    void rejectsOverLongPartialLastLineAtEndOfStream() {
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        channel.feed("x".repeat(MAX + 1));
        channel.feedEnd();
        assertNull(channel.readInbound());
        assertDecodeError(channel, "maxLineLength");
    }

    @Test
    void joinsCrAndLfArrivingInSeparateReads() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("abc\r");
        assertNull(channel.readInbound());
        channel.feed("\ndef\n");
        assertEquals(List.of("abc", "def"), drain(channel));
    }

    @Test
    void keepsCrNotFollowedByLfAcrossReads() {
        var channel = TestChannel.of(new LineCodec());
        channel.feed("abc\r");
        channel.feed("x\n");
        assertEquals(List.of("abc\rx"), drain(channel));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void decodesChineseTextSplitInsideAMultiByteCharacter(int bytesOfFirstChar) {
        byte[] bytes = "发送数据0\n".getBytes(UTF_8);
        var channel = TestChannel.of(new LineCodec());
        channel.feed(Arrays.copyOfRange(bytes, 0, bytesOfFirstChar));
        assertNull(channel.readInbound());
        channel.feed(Arrays.copyOfRange(bytes, bytesOfFirstChar, bytes.length));
        assertEquals("发送数据0", channel.readInbound());
    }

    @Test
    void countsTheLimitInBytesNotCharacters() {
        // Six characters, eighteen bytes in UTF-8.
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8));
        channel.feed("发送数据发送\n");
        assertDecodeError(channel, "maxLineLength");
    }

    @Test
    void decodesAndEncodesInAnotherCharset() {
        var channel = TestChannel.of(new LineCodec(MAX, ISO_8859_1));
        channel.feed(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertEquals("café", channel.readInbound());
        channel.write("naïve");
        assertArrayEquals(new byte[] {'n', 'a', (byte) 0xEF, 'v', 'e', '\n'}, channel.readOutbound());
    }

    @Test
    void refusesACharsetThatDoesNotWriteNewlineAsOneAsciiByte() {
        assertThrows(IllegalArgumentException.class, () -> new LineCodec(MAX, StandardCharsets.UTF_16));
        assertThrows(IllegalArgumentException.class, () -> new LineCodec(MAX, StandardCharsets.UTF_16LE));
    }

    @Test
    void encodeAppendsLineFeedByDefault() {
        var channel = TestChannel.of(new LineCodec());
        channel.write("hello");
        channel.write("发送数据0");
        assertEquals("hello\n发送数据0\n", channel.readOutboundString());
    }

    @Test
    void encodesAsciiAndOtherLinesByTheirCharset() {
        // ASCII, Latin-1 (its bytes are not its chars in UTF-8), and a char whose low byte is ASCII.
        var utf8 = TestChannel.of(new LineCodec());
        utf8.write("plain ascii");
        utf8.write("caf\u00e9");
        utf8.write("\u0141odz");
        assertEquals("plain ascii\ncaf\u00e9\n\u0141odz\n", utf8.readOutboundString());
        var latin1 = TestChannel.of(new LineCodec(MAX, java.nio.charset.StandardCharsets.ISO_8859_1));
        latin1.write("caf\u00e9");
        latin1.write("plain");
        byte[] written = latin1.readOutbound();
        assertEquals("caf\u00e9\nplain\n", new String(written, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void encodeAppendsCrLfWhenAskedTo() {
        var channel = TestChannel.of(new LineCodec(MAX, UTF_8, "\r\n"));
        channel.write("hello");
        channel.write("");
        assertEquals("""
                hello\r
                \r
                """, channel.readOutboundString());
    }

    @Test
    void encodesLongLineFollowedByItsSeparator() {
        String longLine = "L".repeat(5000);
        var channel = TestChannel.of(new LineCodec());
        channel.write("short");
        channel.write(longLine);
        channel.write("after");
        assertEquals("short\n" + longLine + "\nafter\n", channel.readOutboundString());
    }

    @Test
    void refusesAnUnknownSeparator() {
        assertThrows(IllegalArgumentException.class, () -> new LineCodec(MAX, UTF_8, "\r"));
    }

    /** The channel closed because the peer broke the limit named {@code limitName}. */
    @Test
    void theLargestLimitsDoNotOverflow() {
        // Limits of Integer.MAX_VALUE once wrapped to negative numbers and refused every line.
        var options = ConnectionOptions.defaults().withMaxInboundBytes(Integer.MAX_VALUE);
        var channel = TestChannel.of(new LineCodec(Integer.MAX_VALUE, UTF_8), options);
        String longLine = "y".repeat(100_000);

        channel.feed("hello\n" + "x".repeat(3000));
        channel.feed("x".repeat(5000) + "\n");
        channel.feedInChunks((longLine + "\n").getBytes(UTF_8), 7_000);

        List<String> lines = drain(channel);
        assertEquals(3, lines.size());
        assertEquals("hello", lines.get(0));
        assertTrue(lines.get(1).equals("x".repeat(8000)), "the line that spanned two reads");
        assertTrue(lines.get(2).equals(longLine), "the line larger than the loop buffer");
        assertTrue(channel.isOpen());
    }

    private static void assertDecodeError(TestChannel<?, ?> channel, String limitName) {
        assertFalse(channel.isOpen());
        CloseReason reason = channel.closeReason();
        assertEquals(CloseReason.Kind.DECODE_ERROR, reason.kind(), reason.toString());
        assertTrue(reason.detail().contains(limitName), reason.detail());
    }

    /** Every line decoded so far, in order. */
    private static List<String> drain(TestChannel<String, String> channel) {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = channel.readInbound()) != null) {
            lines.add(line);
        }
        return lines;
    }
}
