package io.eddy.core.net;

import static java.net.StandardSocketOptions.SO_SNDBUF;
import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.awaitClose;
import static io.eddy.core.net.Loopback.onLoop;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.FileRegion;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.Outgoing;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** File regions over real loopback sockets: sendfile between text, a slow reader, a large file, a short file. */
@Timeout(60)
class FileRegionOverSocketTest {

    private static final int MiB = 1024 * 1024;

    @TempDir
    Path dir;

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("file-region");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Writes its messages to the first connection as it opens, and records how that went. */
    private static final class Sender implements Handler<String, Outgoing> {
        final CompletableFuture<Connection<Outgoing>> opened = new CompletableFuture<>();
        /** Completes with the last write's failure, or null once its last byte has left. */
        final CompletableFuture<Throwable> lastWritten = new CompletableFuture<>();
        final List<Boolean> writability = Collections.synchronizedList(new ArrayList<>());
        private final Callable<List<Outgoing>> messages;
        private final boolean waitForLine;

        Sender(Callable<List<Outgoing>> messages) {
            this(messages, false);
        }

        /**
         * A sender that, if {@code waitForLine}, sends only once the client has sent a line: for a
         * connection the server resets, so the reset cannot reach the client before its connect
         * has returned (which then fails with "connection reset").
         */
        Sender(Callable<List<Outgoing>> messages, boolean waitForLine) {
            this.messages = messages;
            this.waitForLine = waitForLine;
        }

        @Override
        public void onOpen(Connection<Outgoing> connection) throws Exception {
            opened.complete(connection);
            if (!waitForLine) {
                send(connection);
            }
        }

        private void send(Connection<Outgoing> connection) throws Exception {
            List<Outgoing> all = messages.call();
            for (int i = 0; i < all.size(); i++) {
                connection.write(all.get(i), i == all.size() - 1 ? lastWritten::complete : null);
            }
        }

        @Override
        public void onMessage(Connection<Outgoing> connection, String line) throws Exception {
            if (waitForLine) {
                send(connection);
            }
        }

        @Override
        public void onWritabilityChanged(Connection<Outgoing> connection, boolean writable) {
            writability.add(writable);
        }

        Connection<Outgoing> connection() throws Exception {
            return opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        Throwable awaitLastWrite() throws Exception {
            return lastWritten.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A server whose sockets send through a buffer of {@code sendBuffer} bytes (0: the system's). */
    private TcpServer<String, Outgoing> serve(Sender sender, int sendBuffer) throws IOException {
        TcpServer.Builder<String, Outgoing> server = TcpServer.on(loop).bind(HOST, 0).codec(Outgoing::codec).handler(sender);
        return (sendBuffer > 0 ? server.option(SO_SNDBUF, sendBuffer) : server).start();
    }

    /** A file of {@code size} bytes that do not repeat with any short period. */
    private Path randomFile(String name, int size) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(size);
        byte[] chunk = new byte[MiB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(chunk.length, left));
            }
        }
        return file;
    }

    private static long crc(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return crcOfNext(in, Files.size(file), 64 * 1024);
        }
    }

    /** The CRC-32 of the next {@code n} bytes of {@code in}, read at most {@code chunk} at a time. */
    private static long crcOfNext(InputStream in, long n, int chunk) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[chunk];
        for (long left = n; left > 0; ) {
            int got = in.read(buffer, 0, (int) Math.min(chunk, left));
            if (got < 0) {
                throw new EOFException("stream ended " + left + " bytes early");
            }
            crc.update(buffer, 0, got);
            left -= got;
        }
        return crc.getValue();
    }

    private static void expectText(InputStream in, String text) throws IOException {
        assertEquals(text, new String(in.readNBytes(text.getBytes(UTF_8).length), UTF_8));
    }

    private static FileChannel read(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Test
    void sendsAMultiMegabyteFileBetweenTextMessages() throws Exception {
        Path file = randomFile("body", 8 * MiB + 123);
        long size = Files.size(file);
        FileChannel body = read(file);
        Sender sender = new Sender(() -> List.of(
                Outgoing.text("before\n"),
                Outgoing.textThenFile("size " + size + "\n", FileRegion.of(body, 0, size)),
                Outgoing.text("after\n")));
        TcpServer<String, Outgoing> server = serve(sender, 0);

        try (Socket socket = Loopback.connect(server.port())) {
            InputStream in = socket.getInputStream();
            expectText(in, "before\nsize " + size + "\n");
            assertEquals(crc(file), crcOfNext(in, size, 64 * 1024));
            expectText(in, "after\n");

            assertNull(sender.awaitLastWrite());
            assertFalse(body.isOpen(), "the region's file was left open");
            assertTrue(sender.connection().isOpen());
        }
    }

    @Test
    void aSlowReaderMakesTheServerWaitForTheSocketAndStillGetsEveryByte() throws Exception {
        Path file = randomFile("body", 16 * MiB);
        long size = Files.size(file);
        FileChannel body = read(file);
        Sender sender = new Sender(() -> List.of(
                Outgoing.text("start\n"),
                Outgoing.file(FileRegion.of(body, 0, size)),
                Outgoing.text("end\n")));
        // Small socket buffers on both sides: the file cannot fit in them.
        TcpServer<String, Outgoing> server = serve(sender, 32 * 1024);

        try (Socket socket = Loopback.connect(server.port(), 32 * 1024)) {
            Connection<Outgoing> onServer = sender.connection();
            // Not reading yet: once a flush found the socket full, the server can only wait for us.
            Loopback.awaitCycle(loop);
            await().atMost(WAIT).until(() -> onLoop(loop, onServer::pendingOutboundBytes) > 0);
            assertFalse(sender.lastWritten.isDone(), "told before the bytes left");
            assertFalse(onServer.isWritable(), "a queued file is backpressure");
            assertTrue(body.isOpen());

            InputStream in = socket.getInputStream();
            expectText(in, "start\n");
            assertEquals(crc(file), crcOfNext(in, size, 4 * 1024));
            expectText(in, "end\n");

            assertNull(sender.awaitLastWrite());
            assertFalse(body.isOpen());
            await().atMost(WAIT).until(onServer::isWritable);
            assertEquals(List.of(false, true), sender.writability);
        }
    }

    @Test
    void sendsAHundredMegabyteFileUnderTheDefaultOutboundLimit() throws Exception {
        // Sparse, so it costs no disk; a marker at every MiB, so misplaced bytes change the CRC.
        Path file = dir.resolve("sparse");
        long size = 100L * MiB;
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(size);
            for (long at = 0; at < size; at += MiB) {
                sparse.seek(at);
                sparse.writeLong(at);
            }
        }
        assertTrue(size > ConnectionOptions.defaults().maxOutboundBytes());
        Sender sender = new Sender(() -> List.of(
                Outgoing.file(FileRegion.open(file, 0, size)),
                Outgoing.text("end\n")));
        TcpServer<String, Outgoing> server = serve(sender, 0);

        try (Socket socket = Loopback.connect(server.port())) {
            InputStream in = socket.getInputStream();
            assertEquals(crc(file), crcOfNext(in, size, 64 * 1024));
            expectText(in, "end\n");
            assertNull(sender.awaitLastWrite());
            assertTrue(sender.connection().isOpen(), "closed: " + sender.connection().closeReason());
        }
    }

    @Test
    void aFileShorterThanItsRegionClosesTheConnectionInsteadOfSpinning() throws Exception {
        Path file = randomFile("body", MiB);
        Sender sender = new Sender(() -> List.of(
                Outgoing.file(FileRegion.open(file, 0, 2L * MiB)),
                Outgoing.text("never\n")), true);
        TcpServer<String, Outgoing> server = serve(sender, 0);

        try (Socket socket = Loopback.connect(server.port())) {
            socket.getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            CloseReason reason = awaitClose(sender.connection());
            assertEquals(CloseReason.Kind.IO_ERROR, reason.kind());
            assertInstanceOf(ClosedConnectionException.class, sender.awaitLastWrite());
            // A reset, so the peer cannot take the bytes it got for the whole file.
            assertTrue(Loopback.readToEndWasReset(socket), "the stream ended with a FIN");
        }
    }
}
