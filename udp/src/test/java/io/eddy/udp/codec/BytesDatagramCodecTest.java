package io.eddy.udp.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.udp.internal.PayloadSink;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BytesDatagramCodecTest {

    private final BytesDatagramCodec codec = new BytesDatagramCodec();

    @Test
    void decodesACopyThatOutlivesTheLoopsBuffer() {
        ByteBuffer loopBuffer = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9});
        loopBuffer.position(1).limit(4);

        ByteBuffer decoded = codec.decode(loopBuffer);
        assertEquals(4, loopBuffer.position());
        loopBuffer.clear().put(new byte[] {0, 0, 0, 0, 0});   // the next datagram

        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), decoded);
        assertEquals(0, decoded.position());
    }

    @Test
    void decodesAnEmptyPayloadAsAnEmptyBuffer() {
        assertEquals(0, codec.decode(ByteBuffer.allocate(0)).remaining());
    }

    @Test
    void encodesFromPositionToLimitAndLeavesThePositionAlone() {
        ByteBuffer message = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
        message.position(1);
        PayloadSink sink = new PayloadSink(100);

        codec.encode(message, sink);
        codec.encode(message, sink);

        assertEquals(ByteBuffer.wrap(new byte[] {2, 3, 4, 2, 3, 4}), sink.view());
        assertEquals(1, message.position());
    }
}
