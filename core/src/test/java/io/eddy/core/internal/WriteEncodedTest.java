package io.eddy.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.testing.TestChannel;
import io.eddy.core.testing.TestLoop;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bytes encoded once and queued on many connections: shared when large, copied when small. */
class WriteEncodedTest {

    private final TestLoop loop = new TestLoop();

    private TestChannel<String, String> slowPeer() {
        TestChannel<String, String> channel = TestChannel.of(loop, new LineCodec(), (c, line) -> { },
                ConnectionOptions.defaults());
        channel.peerReceiveWindow(0);
        return channel;
    }

    /** Opens the peer's window and takes what was queued: the first read lets the connection write again. */
    private static byte[] drain(TestChannel<String, String> channel) {
        channel.peerReceiveWindow(Integer.MAX_VALUE);
        channel.readOutbound();
        return channel.readOutbound();
    }

    @Test
    void aLargeBufferIsQueuedByEveryConnectionWithoutACopy() {
        byte[] payload = new byte[64 * 1024];
        ByteBuffer shared = ByteBuffer.wrap(payload).asReadOnlyBuffer();
        TestChannel<String, String> a = slowPeer();
        TestChannel<String, String> b = slowPeer();

        ConnectionAccess.pipeline(a).writeEncoded(shared);
        ConnectionAccess.pipeline(b).writeEncoded(shared);
        loop.runPendingTasks();
        // Changed after both queued it: a queue that had copied it would send the old bytes.
        Arrays.fill(payload, (byte) 7);

        assertArrayEquals(payload, drain(a));
        assertArrayEquals(payload, drain(b));
        assertEquals(0, shared.position(), "the shared buffer's position moved");
    }

    @Test
    void aSmallBufferIsCopiedIntoTheQueue() {
        byte[] payload = "small\n".getBytes();
        TestChannel<String, String> a = slowPeer();

        ConnectionAccess.pipeline(a).writeEncoded(ByteBuffer.wrap(payload).asReadOnlyBuffer());
        loop.runPendingTasks();
        Arrays.fill(payload, (byte) 'x');

        assertEquals("small\n", new String(drain(a)));
    }

    @Test
    void aSmallSharedBufferIsCopiedByEveryConnectionAndKeepsItsPosition() {
        ByteBuffer shared = ByteBuffer.wrap("xxsmall\n".getBytes()).position(2).asReadOnlyBuffer();
        TestChannel<String, String> a = slowPeer();
        TestChannel<String, String> b = slowPeer();

        ConnectionAccess.pipeline(a).writeEncoded(shared);
        ConnectionAccess.pipeline(b).writeEncoded(shared);
        loop.runPendingTasks();

        assertEquals("small\n", new String(drain(a)));
        assertEquals("small\n", new String(drain(b)));
        assertEquals(2, shared.position(), "the shared buffer's position moved");
    }

    @Test
    void aLargeMessageEncodedOnceIsDirectAndReadOnly() {
        ByteBuffer large = SharedBytes.encode(new LineCodec(), "y".repeat(5_000));
        ByteBuffer small = SharedBytes.encode(new LineCodec(), "y");

        assertEquals(5_001, large.remaining());
        assertEquals(true, large.isDirect() && large.isReadOnly());
        assertEquals(true, !small.isDirect() && small.isReadOnly());
    }
}
