package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the chat server's loop allocates per line while one client floods the room and another
 * never reads: the garbage that sizes the collector's young generation, and so the server's
 * resident memory under a flood.
 */
class ChatGarbageTest {

    private static final String HOST = "127.0.0.1";
    private static final int LINE_BYTES = 100;
    /** Enough for the silent member's queue and socket buffers to fill, and for the JIT to settle. */
    private static final int WARM_UP_LINES = 100_000;
    private static final int MEASURED_LINES = 200_000;
    /** Before the relay worked from the received bytes, a line cost about 760 bytes. */
    private static final int MAX_BYTES_PER_LINE = 64;

    private EventLoop loop;
    private ChatServer chat;

    @BeforeEach
    void start() throws IOException {
        loop = EventLoop.start("chat-garbage-test");
        chat = ChatServer.start(loop, HOST, 0, new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void relayingAFloodPastAMemberThatNeverReadsMakesLittleGarbagePerLine() throws Exception {
        try (Socket silent = new Socket(); Socket flooder = new Socket()) {
            silent.setReceiveBufferSize(8 * 1024);
            silent.connect(new InetSocketAddress(HOST, chat.port()));
            flooder.connect(new InetSocketAddress(HOST, chat.port()));
            await().atMost(20, SECONDS).until(() -> chat.server().connectionCount() == 2);
            AtomicLong answers = new AtomicLong();
            Thread drain = new Thread(() -> countLines(flooder, answers), "chat-garbage-answers");
            drain.setDaemon(true);
            drain.start();
            OutputStream out = flooder.getOutputStream();

            send(out, WARM_UP_LINES);
            await().atMost(60, SECONDS).until(() -> answers.get() >= WARM_UP_LINES);
            long before = LoopAllocations.of(loop);
            send(out, MEASURED_LINES);
            await().atMost(60, SECONDS).until(() -> answers.get() >= WARM_UP_LINES + MEASURED_LINES);
            long perLine = (LoopAllocations.of(loop) - before) / MEASURED_LINES;

            System.out.println("chat relay: " + perLine + " bytes allocated per line");
            assertTrue(perLine <= MAX_BYTES_PER_LINE, perLine + " bytes allocated per line");
        }
    }

    /** Lines of {@value #LINE_BYTES} bytes, newline included, sent in large writes as a flooder would. */
    private static void send(OutputStream out, int lines) throws IOException {
        byte[] line = ("x".repeat(LINE_BYTES - 1) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] batch = new byte[line.length * 500];
        for (int i = 0; i < 500; i++) {
            System.arraycopy(line, 0, batch, i * line.length, line.length);
        }
        for (int sent = 0; sent < lines; sent += 500) {
            out.write(batch, 0, Math.min(500, lines - sent) * line.length);
        }
    }

    /** Counts the newlines the server sends until it closes. */
    private static void countLines(Socket socket, AtomicLong count) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = socket.getInputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        count.incrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            // The test ended and closed the socket.
        }
    }
}
