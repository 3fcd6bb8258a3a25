package io.eddy.http.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.http.BodyWriter;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpMethod;
import io.eddy.http.ResponseLimits;
import io.eddy.http.client.HttpClient;
import io.eddy.http.client.Request;
import io.eddy.http.client.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS under load over loopback, Eddy's client against Eddy's server: 100 MiB down (a file, read
 * through TLS a few kilobytes at a time) and 100 MiB up (streamed by the client, taken piece by
 * piece by the server), each checked with SHA-256; and a client that reads a streamed download
 * slowly, which must cost the server a bounded amount however much it has to send. The deadlines
 * guard against hangs only; the rates are printed, not judged.
 */
@Timeout(600)
class HttpsStressTest {

    private static final String HOST = "127.0.0.1";
    private static final int MiB = 1024 * 1024;
    private static final long SIZE = 100L * MiB;
    private static final Duration PATIENT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private EventLoop serverLoop;
    private EventLoop clientLoop;
    private HttpClient client;

    @BeforeEach
    void start() {
        serverLoop = EventLoop.start("https-stress-server");
        clientLoop = EventLoop.start("https-stress-client");
        client = HttpClient.on(clientLoop).tls(TestCertificates.get().clientTls()).responseTimeout(PATIENT)
                .limits(ResponseLimits.defaults().withMaxBodySize(SIZE)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        clientLoop.close();
        serverLoop.close();
    }

    /** Writes {@code size} bytes of a seeded random stream to {@code file} a mebibyte at a time; returns their SHA-256. */
    private static byte[] writeRandomFile(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(100);
        byte[] block = new byte[MiB];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += block.length) {
                fill(random, block);
                digest.update(block);
                out.write(block);
            }
        }
        return digest.digest();
    }

    private static void fill(SplittableRandom random, byte[] block) {
        for (int i = 0; i < block.length; i += 8) {
            long bits = random.nextLong();
            for (int b = 0; b < 8; b++) {
                block[i + b] = (byte) (bits >>> (8 * b));
            }
        }
    }

    private static String rate(long bytes, long nanos) {
        return String.format("%.1f MiB/s (%d MiB in %.1f s)", bytes / (double) MiB / (nanos / 1e9), bytes / MiB, nanos / 1e9);
    }

    @Test
    void aHundredMebibyteDownloadArrivesWhole() throws Exception {
        Path file = dir.resolve("download.bin");
        byte[] expected = writeRandomFile(file, SIZE);
        try (HttpServer server = HttpServer.on(serverLoop).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .get("/download", request -> HttpResponse.file(file, 0, SIZE, "application/octet-stream")).start()) {
            long started = System.nanoTime();
            Response response = client.send(Request.get("https://localhost:" + server.tlsPort() + "/download"))
                    .get(PATIENT.toMillis(), TimeUnit.MILLISECONDS);
            long took = System.nanoTime() - started;

            assertEquals(200, response.status());
            assertEquals(SIZE, response.body().length);
            assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(response.body()));
            System.out.println("https download, a file region through TLS: " + rate(SIZE, took));
        }
    }

    @Test
    void aHundredMebibyteStreamedUploadArrivesWhole() throws Exception {
        try (HttpServer server = HttpServer.on(serverLoop).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .routeStreaming(HttpMethod.POST, "/upload", request -> new Digesting()).start()) {
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(200);
            // The client writes while its connection takes more, and waits for onWritable otherwise:
            // one 256 KiB piece at a time is all it holds beyond what is queued.
            Request upload = Request.builder(HttpMethod.POST, "https://localhost:" + server.tlsPort() + "/upload")
                    .streamBody(writer -> pump(writer, random, sent, new long[] {0}))
                    .build();
            long started = System.nanoTime();
            Response response = client.send(upload).get(PATIENT.toMillis(), TimeUnit.MILLISECONDS);
            long took = System.nanoTime() - started;

            assertEquals("bytes=" + SIZE + " sha256=" + HexFormat.of().formatHex(sent.digest()), response.text());
            System.out.println("https upload, streamed both ends: " + rate(SIZE, took));
        }
    }

    private static void pump(BodyWriter writer, SplittableRandom random, MessageDigest sent, long[] written) {
        while (written[0] < SIZE && writer.isWritable()) {
            byte[] piece = new byte[256 * 1024];
            fill(random, piece);
            sent.update(piece);
            written[0] += piece.length;
            writer.write(ByteBuffer.wrap(piece));
        }
        if (written[0] < SIZE) {
            writer.onWritable(() -> pump(writer, random, sent, written));
        } else {
            writer.end();
        }
    }

    /** Hashes a streamed request body as it comes, keeping none of it. */
    private static final class Digesting implements BodyReceiver {
        private final MessageDigest digest;
        private long bytes;

        Digesting() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void onData(ByteBuffer data) {
            bytes += data.remaining();
            digest.update(data);
        }

        @Override
        public CompletionStage<HttpResponse> onEnd(HttpHeaders trailers) {
            return BodyReceiver.respond(HttpResponse.text("bytes=" + bytes + " sha256=" + HexFormat.of().formatHex(digest.digest())));
        }
    }

    @Test
    void aSlowReaderOverHttpsCostsTheServerABoundedAmount() throws Exception {
        // The server writes a download of no end, 64 KiB a piece, only while the connection takes
        // more. The reader takes 32 MiB of it in 1 MiB bursts, letting the server fill every buffer
        // in between; what the server has written and the reader not yet read must stay within
        // the buffers of the way (the kernel's, kept small here, TLS's records, the queue to the
        // high water mark), never grow with what is left to send.
        AtomicLong written = new AtomicLong();
        AtomicBoolean waiting = new AtomicBoolean();
        int socketBuffer = 64 * 1024;
        byte[] piece = new byte[64 * 1024];
        try (HttpServer server = HttpServer.on(serverLoop).bindTls(HOST, 0, TestCertificates.get().serverTls())
                .option(StandardSocketOptions.SO_SNDBUF, socketBuffer)
                .get("/endless", request -> HttpResponse.stream("application/octet-stream", writer ->
                        endless(writer, piece, written, waiting)))
                .start();
             SSLSocket reader = slowReader(server.tlsPort(), socketBuffer)) {
            OutputStream out = reader.getOutputStream();
            out.write("GET /endless HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = reader.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            long mostAhead = 0;
            for (int burst = 0; burst < 32; burst++) {
                await().atMost(PATIENT).until(waiting::get); // every buffer on the way is full
                mostAhead = Math.max(mostAhead, written.get() - read);
                for (long end = read + MiB; read < end; ) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - read));
                    assertTrue(n > 0, "the download goes on");
                    read += n;
                }
            }
            System.out.println("https slow reader: the server was at most " + mostAhead / 1024
                    + " KiB ahead of a reader that took " + read / MiB + " MiB in 1 MiB bursts");
            // Kernel buffers (each side's, which Linux may double), TLS's held records and the queue
            // above the high water mark: a few hundred KiB, a far cry from the 32 MiB read.
            assertTrue(mostAhead < 2 * MiB, "the server ran " + mostAhead + " bytes ahead of its reader");
            reader.close();
            // The pump's waiting onWritable is dropped with the connection: nothing is left running.
            await().atMost(PATIENT).until(() -> server.connectionCount() == 0);
        }
    }

    /**
     * Writes {@code piece} while the connection takes more, and waits for onWritable otherwise
     * (which the connection drops, never runs, once it has closed).
     */
    private static void endless(BodyWriter writer, byte[] piece, AtomicLong written, AtomicBoolean waiting) {
        waiting.set(false);
        while (writer.isWritable()) {
            writer.write(ByteBuffer.wrap(piece));
            written.addAndGet(piece.length);
        }
        waiting.set(true);
        writer.onWritable(() -> endless(writer, piece, written, waiting));
    }

    /** A JDK TLS socket with a small receive buffer (set before connecting, as the window scale needs). */
    private static SSLSocket slowReader(int port, int receiveBuffer) throws Exception {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(receiveBuffer);
        plain.setSoTimeout((int) PATIENT.toMillis());
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        SSLSocket socket = (SSLSocket) WireClient.trustingTestCa().getSocketFactory()
                .createSocket(plain, "localhost", port, true);
        socket.startHandshake();
        return socket;
    }
}
