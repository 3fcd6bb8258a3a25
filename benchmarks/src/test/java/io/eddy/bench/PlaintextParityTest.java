package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * body. Otherwise one server would be measured sending more than the other.
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
