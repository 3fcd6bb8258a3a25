package io.eddy.udp.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.core.codec.DecodeException;
import io.eddy.udp.internal.PayloadSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextDatagramCodecTest {

    private final TextDatagramCodec codec = new TextDatagramCodec();

    @ParameterizedTest
    @ValueSource(strings = {"", "over", "发送数据0", "tab\tnewline\n and emoji \uD83D\uDE00"})
    void roundTripsUtf8Text(String text) throws DecodeException {
        PayloadSink sink = new PayloadSink(1000);
        codec.encode(text, sink);

        assertEquals(ByteBuffer.wrap(text.getBytes(UTF_8)), sink.view());
        assertEquals(text, codec.decode(sink.view()));
    }

    @Test
    void decodesFromThePayloadsPositionToItsLimit() throws DecodeException {
        ByteBuffer payload = ByteBuffer.wrap("xxover!".getBytes(UTF_8));
        payload.position(2).limit(6);

        assertEquals("over", codec.decode(payload));
    }

    @Test
    void rejectsBytesThatAreNotUtf8SayingWhere() {
        byte[] cut = Arrays.copyOf("ab发".getBytes(UTF_8), 4);

        DecodeException e = assertThrows(DecodeException.class, () -> codec.decode(ByteBuffer.wrap(cut)));
        assertEquals("payload is not valid UTF-8 text (at byte 2)", e.getMessage());
    }

    @Test
    void rejectsAByteNoUtf8TextHolds() {
        assertThrows(DecodeException.class, () -> codec.decode(ByteBuffer.wrap(new byte[] {'o', 'k', (byte) 0xFF})));
    }

    @Test
    void speaksOtherCharsetsWhenAsked() throws DecodeException {
        TextDatagramCodec latin1 = new TextDatagramCodec(StandardCharsets.ISO_8859_1);
        PayloadSink sink = new PayloadSink(10);
        latin1.encode("façade", sink);

        assertEquals(6, sink.size());
        assertEquals("façade", latin1.decode(sink.view()));
        assertEquals(StandardCharsets.ISO_8859_1, latin1.charset());
    }
}
