package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Eddy's and Netty's plaintext servers answer with the same bytes but for the server's name and
 * the date: the same status line, header fields in the same order with the same values, the same
 * body. Otherwise one server would be measured sending more than the other. The hand-written
 * ceiling answers Eddy's very bytes, its name and the date aside (both as long as Eddy's).
 */
class PlaintextParityTest {

    @Test
    void bothServersAnswerTheSameFieldsAndBody() throws Exception {
        byte[] request = PlaintextRequest.bytes("127.0.0.1:8080");
        List<String> netty = normalised(nettyAnswer(request));
        try (EventLoop loop = EventLoop.start("parity-test")) {
            int port = PlaintextServer.start(loop, 0).port();
            List<String> eddy = normalised(eddyAnswer(new InetSocketAddress("127.0.0.1", port), request));
            assertEquals(eddy, netty);
        }
    }

    @Test
    void theCeilingAnswersEddysBytesButForNameAndDate() throws Exception {
        byte[] request = PlaintextRequest.bytes("127.0.0.1:8080");
        try (EventLoop loop = EventLoop.start("parity-test"); NioCeilingServer ceiling = NioCeilingServer.open(0)) {
            startServing(ceiling::run);
            String eddy = eddyAnswer(new InetSocketAddress("127.0.0.1", PlaintextServer.start(loop, 0).port()), request);
            String answer = eddyAnswer(new InetSocketAddress("127.0.0.1", ceiling.port()), request);
            assertEquals(eddy.length(), answer.length());
            assertEquals(withoutNameAndDate(eddy), withoutNameAndDate(answer));
        }
    }

    @Test
    void theCeilingAnswersEveryPipelinedRequestHoweverTheHeadsAreCut() throws Exception {
        byte[] three = PlaintextRequest.pipelined("127.0.0.1:8080", 3);
        try (NioCeilingServer ceiling = NioCeilingServer.open(0); Socket socket = new Socket()) {
            startServing(ceiling::run);
            socket.connect(new InetSocketAddress("127.0.0.1", ceiling.port()), 10_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            // Cut inside the first head's blank line, then inside the third request.
            int firstEnd = three.length / 3 - 2;
            socket.getOutputStream().write(three, 0, firstEnd);
            socket.getOutputStream().flush();
            socket.getOutputStream().write(three, firstEnd, three.length - 100 - firstEnd);
            socket.getOutputStream().flush();
            socket.getOutputStream().write(three, three.length - 100, 100);
            Protocol plaintext = Protocol.plaintext("x");
            ByteBuffer answers = ByteBuffer.allocate(4096);
            int count = 0;
            while (count < 3) {
                int read = socket.getInputStream().read(answers.array(), answers.position(), answers.remaining());
                assertTrue(read > 0, "closed after " + count + " answers");
                answers.position(answers.position() + read).flip();
                count += plaintext.answers(answers);
                answers.compact();
            }
            assertEquals(3, count);
            assertEquals(0, answers.position(), "more bytes than three answers");
        }
    }

    /** A ceiling server's serving loop, which returns once the server is closed. */
    @FunctionalInterface
    interface Serving {
        void run() throws java.io.IOException;
    }

    /** Runs {@code serving} on a thread of its own, until the test closes its server. */
    static void startServing(Serving serving) {
        Thread thread = new Thread(() -> {
            try {
                serving.run();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "ceiling");
        thread.setDaemon(true);
        thread.start();
    }

    /** The answer with the values of {@code Server} and {@code Date} blanked, each character by one. */
    private static String withoutNameAndDate(String answer) {
        StringBuilder blanked = new StringBuilder();
        for (String line : answer.split("\r\n", -1)) {
            int colon = line.indexOf(':');
            String name = colon < 0 ? "" : line.substring(0, colon).toLowerCase(Locale.ROOT);
            blanked.append(name.equals("server") || name.equals("date")
                    ? line.substring(0, colon + 1) + "x".repeat(line.length() - colon - 1) : line).append("\r\n");
        }
        return blanked.toString();
    }

    @Test
    void bothServersAnswerTheBulkPathWithTheSameHeadAndBody() throws Exception {
        byte[] request = new String(PlaintextRequest.bytes("127.0.0.1:8080"), StandardCharsets.US_ASCII)
                .replace(PlaintextRequest.PATH, BulkBody.PATH).getBytes(StandardCharsets.US_ASCII);
        String netty = nettyAnswer(request);
        try (EventLoop loop = EventLoop.start("parity-test")) {
            int port = PlaintextServer.start(loop, 0).port();
            String eddy = eddyBulkAnswer(new InetSocketAddress("127.0.0.1", port), request);
            int nettyHead = netty.indexOf("\r\n\r\n") + 4;
            int eddyHead = eddy.indexOf("\r\n\r\n") + 4;
            assertEquals(normalised(eddy.substring(0, eddyHead)), normalised(netty.substring(0, nettyHead)));
            assertEquals(eddy.substring(eddyHead), netty.substring(nettyHead));
            assertArrayEquals(BulkBody.BYTES, netty.substring(nettyHead).getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void nettyAnswersOtherPaths404AsEddyDoes() {
        byte[] request = new String(PlaintextRequest.bytes("x"), StandardCharsets.US_ASCII)
                .replace(PlaintextRequest.PATH, "/other").getBytes(StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 404 Not Found", normalised(nettyAnswer(request)).get(0));
    }

    /** The answer's lines, header names in lower case, the values of {@code Server} and {@code Date} left out. */
    private static List<String> normalised(String answer) {
        List<String> lines = new ArrayList<>();
        for (String line : answer.split("\r\n", -1)) {
            int colon = line.indexOf(':');
            if (lines.isEmpty() || colon < 0) {
                lines.add(line);
                continue;
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            lines.add(name.equals("server") || name.equals("date") ? name : name + line.substring(colon));
        }
        return lines;
    }

    private static String nettyAnswer(byte[] request) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
                new NettyPlaintextServer.PlaintextHandler(new NettyPlaintextServer.DateValue()));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(request));
            StringBuilder answer = new StringBuilder();
            ByteBuf out;
            while ((out = channel.readOutbound()) != null) {
                answer.append(out.toString(StandardCharsets.ISO_8859_1));
                out.release();
            }
            return answer.toString();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The bulk answer: its head, then the 1 MiB body, as ISO-8859-1 text (a char per byte). */
    private static String eddyBulkAnswer(InetSocketAddress address, byte[] request) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            while (!answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IllegalStateException("closed in the head: " + answer);
                }
                answer.write(b);
            }
            answer.write(in.readNBytes(BulkBody.LENGTH));
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** One exchange, read until the body is in (the answer is framed by its Content-Length). */
    private static String eddyAnswer(InetSocketAddress address, byte[] request) throws Exception {
        Protocol plaintext = Protocol.plaintext("x");
        try (Socket socket = new Socket()) {
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] chunk = new byte[1024];
            while (plaintext.answers(ByteBuffer.wrap(answer.toByteArray())) == 0) {
                int read = in.read(chunk);
                if (read < 0) {
                    throw new IllegalStateException("closed before answering: " + answer);
                }
                answer.write(chunk, 0, read);
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }
}
