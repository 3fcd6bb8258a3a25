package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket rows' generators against Eddy's WebSocket benchmark server in this JVM: echoes
 * come back and are checked, every broadcast reaches every socket, and the server says what its
 * loop allocated.
 */
class WebSocketRowsTest {

    @Test
    void echoesAreCountedAndTheBroadcastReachesEverySocket() throws Exception {
        try (EventLoop loop = EventLoop.start(WebSocketEchoServer.THREADS)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", WebSocketEchoServer.start(loop, 0).port());
            LoadResult echo = new TcpLoad(address, WebSocketWire.echo(), 4, 4).run(Duration.ofMillis(300));
            assertTrue(echo.messages() > 0, echo::toString);

            BroadcastLoad.Result broadcast = new BroadcastLoad(address, 30, 4, WebSocketWire.BROADCAST).run(200);
            assertEquals(6_000, broadcast.delivered());
            assertTrue(broadcast.allocatedBytes() >= 0, broadcast::toString);
        }
    }

    @Test
    void anEchoThatDiffersFails() {
        // A text frame as long as an echo, of other bytes.
        byte[] answer = WebSocketWire.serverText("x".repeat(WebSocketWire.ECHO_BYTES).getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalStateException.class, () -> WebSocketWire.echo().answers(ByteBuffer.wrap(answer)));
    }
}
