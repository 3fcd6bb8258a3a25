package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The broadcast generator against Eddy's broadcast server in this JVM, on one loop and on two:
 * every message must reach every receiver, and the server must say what its loops allocated.
 */
class BroadcastLoadTest {

    @Test
    void everyReceiverGetsEveryMessageFromOneLoop() throws Exception {
        try (EventLoop loop = EventLoop.start(BroadcastServer.THREADS)) {
            check(new InetSocketAddress("127.0.0.1", BroadcastServer.start(loop, 0).port()));
        }
    }

    @Test
    void everyReceiverGetsEveryMessageFromTwoLoops() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start(BroadcastServer.THREADS, 2)) {
            check(new InetSocketAddress("127.0.0.1", BroadcastServer.start(group, 0).port()));
        }
    }

    private static void check(InetSocketAddress address) throws Exception {
        BroadcastLoad.Result result = new BroadcastLoad(address, 30, 4).run(200);
        assertEquals(6_000, result.delivered());
        assertTrue(result.allocatedBytes() >= 0, result::toString);
        assertTrue(result.asLoadResult().p99Micros() >= result.asLoadResult().p50Micros(), result::toString);
    }

    @Test
    void messagesAreCheckedByteForByte() {
        byte[] message = BroadcastWire.message(42);
        BroadcastWire.check(message, 42);
        assertThrows(IllegalStateException.class, () -> BroadcastWire.check(message, 41));
        message[30] = 'X';
        assertThrows(IllegalStateException.class, () -> BroadcastWire.check(message, 42));
        assertEquals(1234, BroadcastWire.allocatedBytes(BroadcastWire.allocatedAnswer(1234)));
    }
}
