package io.eddy.core.net;

import static java.net.StandardSocketOptions.SO_SNDBUF;
import static java.net.StandardSocketOptions.SO_RCVBUF;
import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.assertEchoes;
import static io.eddy.core.net.Loopback.awaitClose;
import static io.eddy.core.net.Loopback.onLoop;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.BytesCodec;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Flow control over real sockets: a slow reader, paused reading, write listeners, writes from other threads. */
@Timeout(30)
class BackpressureTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("backpressure");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    // ---- a slow reader ----

    private static final long STREAM_BYTES = 100L * 1024 * 1024;
    private static final int WRITE_SIZE = 16 * 1024;

    /** Byte {@code offset} of the stream: a pattern that does not repeat with any short period. */
    private static byte streamByte(long offset) {
        return (byte) ((offset * 0x9E3779B97F4A7C15L) >>> 56);
    }

    /** Writes the stream while the connection is writable, resumes when it is again, closes at the end. */
    private static final class Streamer implements Handler<ByteBuffer, ByteBuffer> {
        final CompletableFuture<Connection<ByteBuffer>> opened = new CompletableFuture<>();
        private final ByteBuffer chunk = ByteBuffer.allocate(WRITE_SIZE);
        volatile long queued;
        volatile long maxPending;
        volatile int timesNotWritable;

        @Override
        public void onOpen(Connection<ByteBuffer> connection) {
            opened.complete(connection);
            pump(connection);
        }

        @Override
        public void onMessage(Connection<ByteBuffer> connection, ByteBuffer message) {
        }

        @Override
        public void onWritabilityChanged(Connection<ByteBuffer> connection, boolean writable) {
            if (writable) {
                pump(connection);
            } else {
                timesNotWritable++;
            }
        }

        private void pump(Connection<ByteBuffer> connection) {
            while (connection.isWritable() && queued < STREAM_BYTES) {
                int n = (int) Math.min(WRITE_SIZE, STREAM_BYTES - queued);
                chunk.clear();
                for (int i = 0; i < n; i++) {
                    chunk.put(i, streamByte(queued + i));
                }
                chunk.limit(n);
                connection.write(chunk);
                queued += n;
                maxPending = Math.max(maxPending, connection.pendingOutboundBytes());
                if (queued == STREAM_BYTES) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void boundsTheQueueForASlowReaderAndDeliversEveryByteOnceItReads() throws Exception {
        ConnectionOptions options = ConnectionOptions.defaults();
        Streamer streamer = new Streamer();
        TcpServer<ByteBuffer, ByteBuffer> server = TcpServer.on(loop).bind(HOST, 0)
                .options(options).codec(BytesCodec::new).handler(streamer).start();
        try (Socket socket = Loopback.connect(server.port())) {
            Connection<ByteBuffer> onServer = streamer.opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // Not reading yet. Between cycles the queue is non-empty only when the last flush found
            // the socket full: from then on the server can only wait for us.
            Loopback.awaitCycle(loop);
            await().atMost(WAIT).until(() -> onLoop(loop, onServer::pendingOutboundBytes) > 0);
            assertTrue(streamer.queued < STREAM_BYTES, "the whole stream fit in the socket buffers");

            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long offset = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (int i = 0; i < n; i++, offset++) {
                    if (buffer[i] != streamByte(offset)) {
                        throw new AssertionError("byte " + offset + " differs");
                    }
                }
            }
            assertEquals(STREAM_BYTES, offset, "bytes received");
            assertEquals(CloseReason.Kind.LOCAL_CLOSE, awaitClose(onServer).kind());
        }
        assertTrue(streamer.timesNotWritable > 0, "the queue never crossed the high water mark");
        // The handler writes only while writable, and writability turns false as soon as a write
        // lifts the queue past the high water mark; so the queue exceeds the mark by at most that
        // one write. (Queued bytes are counted exactly, not in 8 KiB chunks.)
        assertTrue(streamer.maxPending <= options.highWaterMark() + WRITE_SIZE,
                "at most " + streamer.maxPending + " bytes queued, high water mark " + options.highWaterMark());
    }

    // ---- pausing reads ----

    @Test
    void pausedConnectionReceivesNothingUntilResumedThenEverythingInOrder() throws Exception {
        int lines = 100_000;
        CompletableFuture<Connection<String>> paused = new CompletableFuture<>();
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            void reply(Connection<String> connection, String line) {
                if (line.equals("pause")) {
                    connection.pauseReading();
                    paused.complete(connection);
                } else if (line.startsWith("echo ")) {
                    connection.write(line);
                }
            }
        };
        // A tiny inbound limit: a connection that went on reading from its socket while paused
        // would have to keep what it read, and close with DECODE_ERROR at once. Small socket
        // buffers: the rest below cannot fit in them, so the writer blocks until reading resumes.
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .options(ConnectionOptions.defaults().withMaxInboundBytes(16)).option(SO_RCVBUF, 16 * 1024)
                .codec(LineCodec::new).handler(handler).start();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            all.append(i).append('\n');
        }
        byte[] rest = all.toString().getBytes(UTF_8);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Socket bystander = Loopback.connect(server.port());
             Socket client = Loopback.connect(server.port())) {
            BufferedReader bystanderIn = Loopback.reader(bystander);
            handler.nextOpened();
            Connection<String> onServer = handler.nextOpened();
            client.setSendBufferSize(16 * 1024);

            // "c" and "d" arrive in the same read as "pause": they must wait too.
            Loopback.send(client, "a\nb\npause\nc\nd\n");
            paused.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            AtomicLong sent = new AtomicLong();
            Future<?> writing = writer.submit(() -> {
                for (int at = 0; at < rest.length; at += 1024) {
                    client.getOutputStream().write(rest, at, Math.min(1024, rest.length - at));
                    sent.addAndGet(Math.min(1024, rest.length - at));
                }
                return null;
            });
            // Bytes are waiting at the server's socket; the loop goes round and must leave them there.
            await().atMost(WAIT).until(() -> sent.get() >= 1024);
            for (int i = 0; i < 3; i++) {
                assertEchoes(bystander, bystanderIn, "echo " + i);
            }
            assertEquals(List.of("a", "b", "pause"), handler.lines(onServer));
            assertTrue(onServer.isOpen(), "read while paused: " + onServer.closeReason());
            assertFalse(writing.isDone(), "the writer was not held back");

            onServer.resumeReading();
            writing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> handler.lines(onServer).size() == lines + 5);
            List<String> received = handler.lines(onServer);
            assertEquals(List.of("a", "b", "pause", "c", "d"), received.subList(0, 5));
            for (int i = 0; i < lines; i++) {
                assertEquals(Integer.toString(i), received.get(i + 5));
            }
            assertTrue(onServer.isOpen());
        } finally {
            writer.shutdownNow();
        }
    }

    // ---- write listeners and writes from other threads ----

    @Test
    void writeListenerFiresOnlyAfterTheBytesHaveLeft() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .option(SO_SNDBUF, 16 * 1024)
                .codec(() -> new LineCodec(Integer.MAX_VALUE - 16, UTF_8)).handler(handler).start();
        String big = "x".repeat(4 * 1024 * 1024);
        try (Socket socket = Loopback.connect(server.port(), 16 * 1024)) {
            Connection<String> onServer = handler.nextOpened();
            CompletableFuture<Throwable> written = new CompletableFuture<>();
            CompletableFuture<Long> pendingWhenTold = new CompletableFuture<>();
            onServer.write(big, failure -> {
                pendingWhenTold.complete(onServer.pendingOutboundBytes());
                written.complete(failure);
            });
            // The peer is not reading, so most of the message is still queued: no news yet.
            Loopback.awaitCycle(loop);
            await().atMost(WAIT).until(() -> onLoop(loop, onServer::pendingOutboundBytes) > 0);
            assertFalse(onLoop(loop, written::isDone), "listener told before the bytes left");

            BufferedReader in = Loopback.reader(socket);
            assertEquals(big, in.readLine());
            assertNull(written.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(0L, pendingWhenTold.get());
        }
    }

    @Test
    void writeListenerIsToldWhenAnAbortDropsItsBytes() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .option(SO_SNDBUF, 16 * 1024)
                .codec(() -> new LineCodec(Integer.MAX_VALUE - 16, UTF_8)).handler(handler).start();
        try (Socket socket = Loopback.connect(server.port(), 16 * 1024)) {
            Connection<String> onServer = handler.nextOpened();
            CompletableFuture<Throwable> written = new CompletableFuture<>();
            onServer.write("y".repeat(4 * 1024 * 1024), written::complete);
            Loopback.awaitCycle(loop);
            await().atMost(WAIT).until(() -> onLoop(loop, onServer::pendingOutboundBytes) > 0);
            onServer.abort();
            assertInstanceOf(ClosedConnectionException.class, written.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(CloseReason.Kind.ABORTED, awaitClose(onServer).kind());
            assertTrue(Loopback.readToEndWasReset(socket), "an abort resets the peer");
        }
    }

    @Test
    void writesFromAnotherThreadArriveInOrder() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .codec(LineCodec::new).handler(handler).start();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (Socket socket = Loopback.connect(server.port())) {
            Connection<String> onServer = handler.nextOpened();
            CompletableFuture<Throwable> lastWritten = new CompletableFuture<>();
            Future<String> writerThread = executor.submit(() -> {
                for (int i = 0; i < 999; i++) {
                    onServer.write("from the executor " + i);
                }
                onServer.write("from the executor 999", lastWritten::complete);
                return Thread.currentThread().getName();
            });
            assertNotEquals(loop.name(), writerThread.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));

            BufferedReader in = Loopback.reader(socket);
            for (int i = 0; i < 1000; i++) {
                assertEquals("from the executor " + i, in.readLine());
            }
            assertNull(lastWritten.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            executor.shutdownNow();
        }
    }
}
