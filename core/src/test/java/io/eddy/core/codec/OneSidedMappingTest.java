package io.eddy.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.CloseReason.Kind;
import io.eddy.core.testing.TestChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Decoder#map} and {@link Encoder#compose}: one side of a codec mapped to a typed message,
 * the other left alone or mapped apart, joined with {@link Codec#of}.
 */
class OneSidedMappingTest {

    /** A typed inbound message: a command and its argument. */
    record Command(String name, String argument) {
        static Command parse(String line) throws DecodeException {
            int space = line.indexOf(' ');
            if (space < 1) {
                throw new DecodeException("a command needs a name and an argument: " + line);
            }
            return new Command(line.substring(0, space), line.substring(space + 1));
        }
    }

    /** A typed outbound message. */
    record Reply(int code, String text) {
        String toLine() {
            return code + " " + text;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void decoderMapTypesTheInboundSideAtAnySplit(int chunk) {
        var lines = new LineCodec();
        Codec<Command, String> codec = Codec.of(lines.map(Command::parse), lines);
        var channel = TestChannel.of(codec);

        channel.feedInChunks("GET a\nPUT b c\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), chunk);

        assertEquals(new Command("GET", "a"), channel.readInbound());
        assertEquals(new Command("PUT", "b c"), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void encoderComposeTypesTheOutboundSideOnly() {
        var lines = new LineCodec();
        Codec<String, Reply> codec = Codec.of(lines, lines.compose(Reply::toLine));
        var channel = TestChannel.of(codec);

        channel.write(new Reply(200, "ok"));
        channel.write(new Reply(404, "no such key"));
        channel.runPending();

        assertEquals("200 ok\n404 no such key\n", channel.readOutboundString());
    }

    @Test
    void bothSidesMappedApartMakeATypedPipeline() {
        var lines = new LineCodec();
        var channel = TestChannel.of(Codec.of(lines.map(Command::parse), lines.compose(Reply::toLine)),
                (connection, command) -> connection.write(new Reply(200, command.name() + " " + command.argument())));

        channel.feed("SET k v\n");
        channel.runPending();

        assertEquals("200 SET k v\n", channel.readOutboundString());
    }

    @Test
    void aStageThatReturnsNullDropsTheMessageAndTheNextIsDecodedAtOnce() {
        Decoder<Integer> numbers = new LineCodec().map(line -> line.isBlank() ? null : Integer.parseInt(line));
        var channel = TestChannel.of(Codec.of(numbers, new LineCodec()));

        channel.feed("1\n\n \n2\n");

        assertEquals(1, (int) channel.readInbound());
        assertEquals(2, (int) channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void aPartialLastLineIsStillMappedWhenThePeerCloses() {
        var channel = TestChannel.of(Codec.of(new LineCodec().map(Command::parse), new LineCodec()));

        channel.feed("GET a\nGET last");
        channel.feedEnd();

        assertEquals(new Command("GET", "a"), channel.readInbound());
        assertEquals(new Command("GET", "last"), channel.readInbound());
    }

    @Test
    void aStageThatThrowsADecodeExceptionClosesWithDecodeError() {
        var channel = TestChannel.of(Codec.of(new LineCodec().map(Command::parse), new LineCodec()));

        channel.feed("GET a\nnonsense\n");

        assertEquals(new Command("GET", "a"), channel.readInbound());
        assertEquals(Kind.DECODE_ERROR, channel.closeReason().kind());
        assertTrue(channel.closeReason().detail().contains("needs a name and an argument"), channel.closeReason().detail());
    }

    @Test
    void codecMapIsBothOneSidedMappingsJoined() {
        Codec<Integer, Integer> numbers = new LineCodec().map(Integer::parseInt, String::valueOf);
        var channel = TestChannel.of(numbers, (connection, n) -> connection.write(n * 2));

        channel.feed("21\n");
        channel.runPending();

        assertEquals("42\n", channel.readOutboundString());
    }
}
