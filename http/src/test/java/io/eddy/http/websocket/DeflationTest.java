package io.eddy.http.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What Deflation writes, read back by Inflation as a peer reads it: message after message, the empty one included. */
class DeflationTest {

    /** Found by WebSocketFrameFuzzTarget: with context takeover an empty message came out as nothing at all. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anEmptyMessageBetweenOthersIsSentAsOneZeroByteAndInflatesToNothing(boolean contextTakeover) throws Exception {
        String[] messages = {"first", "", "", "third", ""};
        try (Deflation deflation = new Deflation(contextTakeover); Inflation inflation = new Inflation(contextTakeover)) {
            for (String message : messages) {
                ByteBuffer compressed = deflation.compress(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
                if (message.isEmpty() && contextTakeover) {
                    assertEquals(ByteBuffer.wrap(new byte[] {0}), compressed, "RFC 7692 section 7.2.3.6");
                }
                MessageBuffer out = new MessageBuffer(1000);
                inflation.inflate(compressed, out);
                inflation.endMessage(out);
                assertArrayEquals(message.getBytes(StandardCharsets.UTF_8), out.take(), "after " + message);
            }
        }
    }
}
