package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LengthFieldCodec;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.core.testing.TestChannel;
import io.eddy.core.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Connection#upgrade}: a line protocol that switches to length-prefixed frames when a line
 * says {@code SWITCH}, with the first frames sent in the same write as that line, so that any byte
 * the line decoder kept, or any frame it read as a line, would show.
 */
@Timeout(60)
class ProtocolSwitchTest {

    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("switch");
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Answers lines with {@code ok: line}; on {@code SWITCH} answers {@code switching} and switches to frames, echoed reversed. */
    static final class Switcher implements Handler<String, String> {
        final List<String> framesSeen = new CopyOnWriteArrayList<>();
        volatile boolean lineHandlerHeardClose;

        @Override
        public void onMessage(Connection<String> connection, String line) {
            if (!line.equals("SWITCH")) {
                connection.write("ok: " + line);
                return;
            }
            connection.write("switching");
            connection.pauseReading(); // released by the switch: a pause belongs to its protocol
            connection.upgrade(new LengthFieldCodec(2, 1024), new Handler<ByteBuffer, ByteBuffer>() {
                @Override
                public void onMessage(Connection<ByteBuffer> framed, ByteBuffer frame) {
                    byte[] bytes = new byte[frame.remaining()];
                    frame.get(bytes);
                    framesSeen.add(new String(bytes, US_ASCII));
                    byte[] reversed = new byte[bytes.length];
                    for (int i = 0; i < bytes.length; i++) {
                        reversed[i] = bytes[bytes.length - 1 - i];
                    }
                    framed.write(ByteBuffer.wrap(reversed));
                }
            });
        }

        @Override
        public void onClose(Connection<String> connection, CloseReason reason) {
            lineHandlerHeardClose = true;
        }
    }

    /** Lines, the switch, then two frames whose bytes hold newlines, all in one piece. */
    static byte[] conversation() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("hello\nSWITCH\n".getBytes(US_ASCII));
        out.writeBytes(frame("a\nb"));
        out.writeBytes(frame("SWITCH\n"));
        return out.toByteArray();
    }

    static byte[] frame(String text) {
        byte[] bytes = text.getBytes(US_ASCII);
        ByteBuffer frame = ByteBuffer.allocate(2 + bytes.length).putShort((short) bytes.length).put(bytes);
        return frame.array();
    }

    static byte[] expectedAnswer() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("ok: hello\nswitching\n".getBytes(US_ASCII));
        out.writeBytes(frame("b\na"));
        out.writeBytes(frame("\nHCTIWS"));
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 64})
    void bytesBehindTheSwitchGoToTheNewCodecAtAnySplit(int chunk) {
        Switcher switcher = new Switcher();
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), switcher);
        channel.feedInChunks(conversation(), chunk);
        assertArrayEquals(expectedAnswer(), channel.readOutbound());
        assertEquals(List.of("a\nb", "SWITCH\n"), switcher.framesSeen);
        assertTrue(channel.isReading(), "the old handler's pause is released");
        channel.close();
        channel.runPending();
        assertFalse(switcher.lineHandlerHeardClose, "the old handler hears nothing after the switch");
    }

    @Test
    void switchesOnlyOnTheLoopThreadAndWhileOpen() throws Exception {
        TestChannel<String, String> channel = TestChannel.of(new LineCodec(), new Switcher());
        java.util.concurrent.atomic.AtomicReference<Throwable> offLoop = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                channel.upgrade(new LengthFieldCodec(2, 16), (c, m) -> { });
            } catch (Throwable t) {
                offLoop.set(t);
            }
        });
        other.start();
        other.join();
        assertTrue(offLoop.get() instanceof IllegalStateException, "refused off the loop: " + offLoop.get());
        channel.close();
        channel.runPending();
        assertThrows(IllegalStateException.class, () -> channel.upgrade(new LengthFieldCodec(2, 16), (c, m) -> { }));
    }

    @Test
    void switchesOverAPlainSocket() throws Exception {
        try (TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new)
                .handler(new Switcher()).start();
             Socket socket = Loopback.connect(server.port())) {
            assertArrayEquals(expectedAnswer(), exchange(socket.getOutputStream(), socket.getInputStream(), conversation()));
        }
    }

    @Test
    void switchesOverTls() throws Exception {
        try (TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .codec(LineCodec::new).handler(new Switcher()).start();
             Socket socket = TlsPeers.connect(server.port())) {
            assertArrayEquals(expectedAnswer(), exchange(socket.getOutputStream(), socket.getInputStream(), conversation()));
        }
    }

    @Test
    void switchesBehindAProxyHeaderSentInTheSameWrite() throws Exception {
        byte[] header = ProxyHeader.v1(new InetSocketAddress("192.0.2.7", 5000), new InetSocketAddress("192.0.2.1", 80))
                .encode();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(header);
        all.writeBytes(conversation());
        try (TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).proxyProtocol(ProxyProtocol.required())
                .codec(LineCodec::new).handler(new Switcher()).start();
             Socket socket = Loopback.connect(server.port())) {
            assertArrayEquals(expectedAnswer(), exchange(socket.getOutputStream(), socket.getInputStream(), all.toByteArray()));
        }
    }

    private static byte[] exchange(OutputStream out, InputStream in, byte[] sent) throws IOException {
        out.write(sent);
        out.flush();
        byte[] answer = new byte[expectedAnswer().length];
        new DataInputStream(in).readFully(answer);
        return answer;
    }

}
