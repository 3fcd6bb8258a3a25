package io.eddy.http.client;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.BodyWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A streamed request body against a server that stops reading: the writer waits for it, nothing is lost. */
class StreamedRequestBodyTest {

    private static final int PIECE = 64 * 1024;
    private static final int PIECES = 512; // 32 MiB: far more than the socket buffers hold

    private EventLoop loop;

    @BeforeEach
    void start() {
        loop = EventLoop.start("backpressure-test");
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    private static byte[] piece(int i) {
        byte[] p = new byte[PIECE];
        for (int j = 0; j < PIECE; j++) {
            p[j] = (byte) (i * 31 + j);
        }
        return p;
    }

    /** Writes the pieces while the writer is writable, then waits for it to be again. */
    private static void writeFrom(BodyWriter writer, int next, AtomicInteger issued, AtomicInteger completed,
                                  AtomicBoolean blocked) {
        int i = next;
        while (i < PIECES && writer.isWritable()) {
            issued.incrementAndGet();
            writer.write(piece(i)).thenRun(completed::incrementAndGet);
            i++;
        }
        if (i == PIECES) {
            writer.end();
            return;
        }
        blocked.set(true);
        int from = i;
        writer.onWritable(() -> writeFrom(writer, from, issued, completed, blocked));
    }

    @Test
    void writesCompleteOnlyAsTheServerDrainsAndEveryByteArrives() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < PIECES; i++) {
            expected.update(piece(i));
        }
        CountDownLatch drain = new CountDownLatch(1);
        CompletableFuture<String> received = new CompletableFuture<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket socket = listener.accept(); InputStream in = socket.getInputStream()) {
                    drain.await(); // reads nothing until told
                    String head = readHead(in);
                    MessageDigest got = MessageDigest.getInstance("SHA-256");
                    got.update(ScriptedServer.dechunk(in).getBytes(StandardCharsets.ISO_8859_1));
                    received.complete(head);
                    String digest = HexFormat.of().formatHex(got.digest());
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + digest.length() + "\r\n\r\n" + digest)
                            .getBytes(StandardCharsets.ISO_8859_1));
                } catch (Exception e) {
                    received.completeExceptionally(e);
                }
            }, "draining-server");
            server.setDaemon(true);
            server.start();

            AtomicInteger issued = new AtomicInteger();
            AtomicInteger completed = new AtomicInteger();
            AtomicBoolean blocked = new AtomicBoolean();
            try (HttpClient client = HttpClient.on(loop).build()) {
                Request upload = Request.builder("POST", "http://127.0.0.1:" + listener.getLocalPort() + "/upload")
                        .streamBody(writer -> writeFrom(writer, 0, issued, completed, blocked)).build();
                CompletableFuture<Response> response = client.send(upload);
                await().atMost(20, SECONDS).untilTrue(blocked);
                // Not writable: what is queued has not reached the socket, so its stages are still open.
                int done = CompletableFuture.supplyAsync(completed::get, loop).join();
                assertTrue(done < issued.get(), done + " of " + issued.get() + " writes complete while the server reads nothing");
                assertFalse(response.isDone());
                drain.countDown();
                Response answer = response.join();
                assertEquals(PIECES, issued.get());
                await().atMost(20, SECONDS).until(() -> completed.get() == PIECES);
                assertTrue(received.join().contains("Transfer-Encoding: chunked"), received.join());
                assertArrayEquals(HexFormat.of().formatHex(expected.digest()).getBytes(StandardCharsets.ISO_8859_1), answer.body());
            }
        }
    }

    private static String readHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
