package io.eddy.samples.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.net.CloseReason;
import io.eddy.core.testing.TestChannel;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The codec and the handler in memory, through a {@link TestChannel}: no socket, no thread, no waiting. */
class KvCodecTest {

    private static final String SESSION = "SET greeting 10\r\nhello\r\nkv!\r\nGET greeting\r\nDEL greeting\r\nGET greeting\r\n";

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void decodesCommandsSplitAtAnySize(int chunk) {
        var channel = TestChannel.of(new KvCodec());
        channel.feedInChunks(SESSION.getBytes(UTF_8), chunk);

        Command.Set set = (Command.Set) channel.readInbound();
        assertEquals("greeting", set.key());
        assertArrayEquals("hello\r\nkv!".getBytes(UTF_8), set.value());   // a value may hold a newline
        assertEquals(new Command.Get("greeting"), channel.readInbound());
        assertEquals(new Command.Delete("greeting"), channel.readInbound());
        assertEquals(new Command.Get("greeting"), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void encodesEveryKindOfReply() {
        var channel = TestChannel.of(new KvCodec());
        channel.write(new Reply.Value("hi".getBytes(UTF_8)));
        channel.write(Reply.Status.STORED);
        channel.write(new Reply.Error("two\nlines"));
        assertEquals("VALUE 2\r\nhi\r\nSTORED\r\nERROR two lines\r\n", channel.readOutboundString());
    }

    @Test
    void answersASessionThroughTheHandler() {
        Map<String, byte[]> store = new HashMap<>();
        var channel = TestChannel.of(new KvCodec(), new KvHandler(store));
        channel.feed(SESSION);
        assertEquals("STORED\r\nVALUE 10\r\nhello\r\nkv!\r\nDELETED\r\nNOT_FOUND\r\n", channel.readOutboundString());
        assertTrue(store.isEmpty());
    }

    @Test
    void refusesAValueOverTheLimitBeforeReadingIt() {
        var channel = TestChannel.of(new KvCodec(4), new KvHandler(new HashMap<>()));
        channel.feed("SET k 5\r\n");                              // the value has not come yet
        assertEquals("ERROR value length exceeds the limit maxValueLength = 4 bytes\r\n", channel.readOutboundString());
        assertFalse(channel.isOpen());
        assertEquals(CloseReason.Kind.DECODE_ERROR, channel.closeReason().kind());
    }

    @Test
    void refusesAnUnknownCommandAndAValueOfTheWrongLength() {
        var unknown = TestChannel.of(new KvCodec(), new KvHandler(new HashMap<>()));
        unknown.feed("PUT k v\r\n");
        assertEquals("ERROR unknown command 'PUT': GET, SET or DEL expected\r\n", unknown.readOutboundString());

        var wrongLength = TestChannel.of(new KvCodec(), new KvHandler(new HashMap<>()));
        wrongLength.feed("SET k 2\r\nabc\r\n");
        assertEquals("ERROR the value is not followed by CRLF: is its length right?\r\n", wrongLength.readOutboundString());
        assertFalse(wrongLength.isOpen());
    }

    @Test
    void refusesALineThatNeverEnds() {
        var channel = TestChannel.of(new KvCodec(), new KvHandler(new HashMap<>()));
        channel.feed("GET " + "k".repeat(KvCodec.MAX_LINE_LENGTH));
        assertEquals("ERROR command line exceeds the limit MAX_LINE_LENGTH = 267 bytes\r\n", channel.readOutboundString());
    }
}
