package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.awaitClose;
import static io.eddy.core.net.Loopback.onLoop;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backpressure by default over a real socket: a client sends far more than {@code maxOutboundBytes}
 * of lines to a plain echo handler without reading, then reads; every echo comes back, and the
 * server never queues much more than its high water mark.
 */
@Timeout(120)
class EchoWithoutReadingTest {

    /** The 200 MiB: twelve times the default outbound limit, which an echo used to hit. */
    private static final long STREAM_BYTES = 200L * 1024 * 1024;
    private static final int LINE_BYTES = 100;
    private static final long LINES = STREAM_BYTES / LINE_BYTES;

    private EventLoop loop;
    private ExecutorService writer;

    @BeforeEach
    void start() {
        loop = EventLoop.start("echo-without-reading");
        writer = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() {
        writer.shutdownNow();
        loop.close();
    }

    /** A plain echo, as anyone would write it first; it records the most it ever had queued. */
    private static final class Echo implements Handler<String, String> {
        final CompletableFuture<Connection<String>> opened = new CompletableFuture<>();
        volatile long maxPending;

        @Override
        public void onOpen(Connection<String> connection) {
            opened.complete(connection);
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            connection.write(line);
            long pending = connection.pendingOutboundBytes();
            if (pending > maxPending) {
                maxPending = pending;
            }
        }
    }

    /** Line {@code i}: its number in ten digits, a space, filler, a newline; {@value #LINE_BYTES} bytes. */
    private static void line(long i, byte[] into) {
        long rest = i;
        for (int at = 9; at >= 0; at--, rest /= 10) {
            into[at] = (byte) ('0' + rest % 10);
        }
        into[10] = ' ';
        for (int at = 11; at < LINE_BYTES - 1; at++) {
            into[at] = (byte) ('a' + (i + at) % 26);
        }
        into[LINE_BYTES - 1] = '\n';
    }

    @Test
    void echoesEveryLineInOrderWithTheQueueBoundedByTheWaterMark() throws Exception {
        Echo echo = new Echo();
        ConnectionOptions options = ConnectionOptions.defaults();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .options(options).codec(LineCodec::new).handler(echo).start();
        try (Socket socket = Loopback.connect(server.port())) {
            Connection<String> onServer = echo.opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Future<?> sending = writer.submit(() -> {
                OutputStream out = socket.getOutputStream();
                byte[] batch = new byte[LINE_BYTES * 640];
                byte[] one = new byte[LINE_BYTES];
                for (long i = 0; i < LINES; ) {
                    int n = 0;
                    for (; n < batch.length && i < LINES; n += LINE_BYTES, i++) {
                        line(i, one);
                        System.arraycopy(one, 0, batch, n, LINE_BYTES);
                    }
                    out.write(batch, 0, n);
                }
                socket.shutdownOutput();
                return null;
            });

            // Nothing read yet: the server fills its queue past the mark, then stops reading.
            await().atMost(WAIT).until(() -> onLoop(loop, () -> !onServer.isWritable()));
            assertFalse(sending.isDone(), "the whole stream fit in the socket buffers");
            assertTrue(onServer.isOpen(), "closed: " + onServer.closeReason());

            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            byte[] expected = new byte[LINE_BYTES];
            for (long i = 0; i < LINES; i++) {
                line(i, expected);
                assertArrayEquals(expected, in.readNBytes(LINE_BYTES), "line " + i);
            }
            assertEquals(-1, in.read(), "more than was sent");
            sending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(CloseReason.Kind.PEER_CLOSED, awaitClose(onServer).kind());
        }
        // Reading stops with the write that crosses the mark: one line more at most.
        assertTrue(echo.maxPending <= options.highWaterMark() + LINE_BYTES,
                echo.maxPending + " bytes queued, high water mark " + options.highWaterMark());
    }
}
