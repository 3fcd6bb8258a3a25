package io.eddy.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.eddy.udp.DatagramTooLargeException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PayloadSinkTest {

    @Test
    void collectsEveryKindOfWriteInOrder() {
        PayloadSink sink = new PayloadSink(100);

        sink.write((byte) 1);
        sink.write(new byte[] {2, 3});
        sink.write(new byte[] {9, 4, 9}, 1, 1);
        sink.write(ByteBuffer.wrap(new byte[] {5}));
        sink.transfer(ByteBuffer.wrap(new byte[] {6, 7}));

        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}), sink.view());
        assertEquals(7, sink.size());
    }

    @Test
    void growsToExactlyTheLimitAndRefusesOneByteMore() {
        PayloadSink sink = new PayloadSink(65_507);
        for (int i = 0; i < 65_507; i += 1000) {
            sink.write(new byte[Math.min(1000, 65_507 - i)]);
        }
        assertEquals(65_507, sink.size());

        DatagramTooLargeException e = assertThrows(DatagramTooLargeException.class, () -> sink.write((byte) 0));
        assertEquals(65_508, e.size());
        assertEquals(65_507, sink.size());
    }

    @Test
    void refusesAWriteThatCrossesTheLimitWithoutTakingAnyOfIt() {
        PayloadSink sink = new PayloadSink(10);
        sink.write(new byte[6]);
        ByteBuffer tooMuch = ByteBuffer.allocate(5);

        DatagramTooLargeException e = assertThrows(DatagramTooLargeException.class, () -> sink.write(tooMuch));
        assertEquals(11, e.size());
        assertEquals(10, e.limit());
        assertEquals(0, tooMuch.position());
        assertEquals(6, sink.size());
    }

    @Test
    void aCopyIsItsOwnAndAResetSinkStartsEmpty() {
        PayloadSink sink = new PayloadSink(10);
        sink.write(new byte[] {1, 2});
        ByteBuffer copy = sink.copy();

        sink.reset();
        sink.write(new byte[] {3});

        assertEquals(ByteBuffer.wrap(new byte[] {1, 2}), copy);
        assertEquals(ByteBuffer.wrap(new byte[] {3}), sink.view());
        sink.reset();
        assertEquals(0, sink.view().remaining());
        assertEquals(0, sink.copy().remaining());
    }

    @Test
    void checksTheBoundsOfAnArrayWrite() {
        PayloadSink sink = new PayloadSink(10);
        assertThrows(IndexOutOfBoundsException.class, () -> sink.write(new byte[2], 1, 2));
    }
}
