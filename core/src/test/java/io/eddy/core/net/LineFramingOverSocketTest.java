package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.assertEchoes;
import static io.eddy.core.net.Loopback.awaitClose;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The line codec over a real socket: lines in pieces, many lines in one write, a line too long. */
@Timeout(30)
class LineFramingOverSocketTest {

    private static final int MAX_LINE = 64;

    private EventLoop loop;
    private TcpServer<String, String> server;
    private final Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
    private final BlockingQueue<ProbedLineCodec> codecs = new LinkedBlockingQueue<>();

    @BeforeEach
    void startServer() throws Exception {
        loop = EventLoop.start("lines");
        server = TcpServer.on(loop)
                .bind(HOST, 0)
                .codec(() -> {
                    ProbedLineCodec codec = new ProbedLineCodec(new LineCodec(MAX_LINE, UTF_8));
                    codecs.add(codec);
                    return codec;
                })
                .handler(handler)
                .start();
    }

    @AfterEach
    void stopServer() {
        loop.close();
    }

    @Test
    void decodesALineSplitAtEveryByteBoundary() throws Exception {
        // Multi-byte characters, so some splits fall inside a character.
        byte[] line = "héllo wörld ✓ 0123456789\r\n".getBytes(UTF_8);
        try (Socket socket = Loopback.connect(server.port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = Loopback.reader(socket);
            ProbedLineCodec codec = codecs.poll(Loopback.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (int split = 1; split < line.length; split++) {
                out.write(line, 0, split);
                out.flush();
                // The server has decoded the first part on its own before the rest is sent.
                codec.awaitBuffered(split);
                out.write(line, split, line.length - split);
                out.flush();
                assertEquals("héllo wörld ✓ 0123456789", in.readLine(), "split at byte " + split);
            }
        }
    }

    @Test
    void decodesLinesFedOneByteAtATime() throws Exception {
        List<String> lines = List.of("first", "", "ünïcødé ✓", "crlf ends this one", "x".repeat(MAX_LINE));
        try (Socket socket = Loopback.connect(server.port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = Loopback.reader(socket);
            ProbedLineCodec codec = codecs.poll(Loopback.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (int i = 0; i < lines.size(); i++) {
                byte[] bytes = (lines.get(i) + (i % 2 == 0 ? "\n" : "\r\n")).getBytes(UTF_8);
                for (int k = 0; k < bytes.length; k++) {
                    out.write(bytes[k]);
                    out.flush();
                    if (k < bytes.length - 1) {
                        // Each byte reaches the decoder in a read of its own.
                        codec.awaitBuffered(k + 1);
                    }
                }
                assertEquals(lines.get(i), in.readLine());
            }
        }
    }

    @Test
    void decodesManyLinesArrivingInOneWrite() throws Exception {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            all.append("line ").append(i).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        try (Socket socket = Loopback.connect(server.port())) {
            Loopback.send(socket, all.toString());
            BufferedReader in = Loopback.reader(socket);
            for (int i = 0; i < 5000; i++) {
                assertEquals("line " + i, in.readLine());
            }
        }
    }

    @Test
    void closesOnlyTheConnectionWhoseLineIsTooLong() throws Exception {
        try (Socket bystander = Loopback.connect(server.port());
             Socket offender = Loopback.connect(server.port())) {
            BufferedReader bystanderIn = Loopback.reader(bystander);
            Connection<String> bystanderOnServer = handler.nextOpened();
            Connection<String> offenderOnServer = handler.nextOpened();
            assertEchoes(bystander, bystanderIn, "x".repeat(MAX_LINE));

            Loopback.send(offender, "fine\n" + "y".repeat(MAX_LINE + 1) + "\nnever read\n");

            CloseReason reason = awaitClose(offenderOnServer);
            assertEquals(CloseReason.Kind.DECODE_ERROR, reason.kind());
            assertTrue(reason.detail().contains("maxLineLength"), reason.detail());
            assertEquals(List.of("fine"), handler.lines(offenderOnServer));
            // The line before the long one was answered, and that answer flushed before the close.
            BufferedReader offenderIn = Loopback.reader(offender);
            assertEquals("fine", offenderIn.readLine());
            assertNull(offenderIn.readLine());

            assertTrue(bystanderOnServer.isOpen());
            assertEchoes(bystander, bystanderIn, "still here");
            try (Socket newcomer = Loopback.connect(server.port())) {
                assertEchoes(newcomer, Loopback.reader(newcomer), "and a new one too");
            }
        }
    }

    @Test
    void closesTheConnectionWhoseLineNeverEnds() throws Exception {
        try (Socket bystander = Loopback.connect(server.port());
             Socket offender = Loopback.connect(server.port())) {
            BufferedReader bystanderIn = Loopback.reader(bystander);
            handler.nextOpened();
            Connection<String> offenderOnServer = handler.nextOpened();

            // No newline at all: the decoder must give up once the limit is passed, not buffer on.
            Loopback.send(offender, "z".repeat(MAX_LINE + 2));

            CloseReason reason = awaitClose(offenderOnServer);
            assertEquals(CloseReason.Kind.DECODE_ERROR, reason.kind());
            assertTrue(reason.detail().contains("maxLineLength"), reason.detail());
            assertEquals(List.of(), handler.lines(offenderOnServer));
            assertEchoes(bystander, bystanderIn, "unaffected");
            await().atMost(Loopback.WAIT).until(() -> server.connectionCount() == 1);
        }
    }

    /** A line codec that shows how many bytes of an unfinished line the server holds. */
    private static final class ProbedLineCodec implements Codec<String, String> {
        private final LineCodec lines;
        private volatile int buffered;

        ProbedLineCodec(LineCodec lines) {
            this.lines = lines;
        }

        @Override
        public String decode(ByteBuffer in) throws DecodeException {
            buffered = in.remaining();
            return lines.decode(in);
        }

        @Override
        public String decodeLast(ByteBuffer in) throws DecodeException {
            return lines.decodeLast(in);
        }

        @Override
        public void encode(String line, ByteSink out) {
            lines.encode(line, out);
        }

        void awaitBuffered(int bytes) {
            await().atMost(Loopback.WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> buffered == bytes);
        }
    }
}
