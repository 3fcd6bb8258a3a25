package io.eddy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The WebSocket benchmark's wire, from the load generator's side: the opening handshake, masked
 * text frames out, unmasked text frames in (payloads under 126 bytes, so a frame's header is two
 * bytes), and the {@link #echo() echo protocol} of the echo rows. Every message is text; the
 * greeting and the allocation question are {@link BroadcastWire}'s, as text messages.
 *
 * <p>Threading: stateless; the echo protocol serves every connection of a run.
 */
final class WebSocketWire {

    /** Bytes of an echo message's payload. */
    static final int ECHO_BYTES = 64;
    /** The header of an unmasked text frame of {@code n < 126} bytes is these two bytes. */
    private static final int HEADER = 2;
    private static final byte[] MASK = {0x1b, 0x5a, 0x3c, 0x7e};
    private static final byte[] ECHO_PAYLOAD = "websocket-echo-benchmark-payload".repeat(2).substring(0, ECHO_BYTES)
            .getBytes(StandardCharsets.US_ASCII);

    private WebSocketWire() {
    }

    /** The opening handshake on a blocking channel; fails unless the server switches protocols. */
    static void handshake(SocketChannel channel, String path) throws IOException {
        // Streams over the channel: unbuffered, so nothing after the head is taken from it.
        handshake(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                (InetSocketAddress) channel.getRemoteAddress(), path);
    }

    /** As {@link #handshake(SocketChannel, String)} on a blocking socket. */
    static void handshake(Socket socket, String path) throws IOException {
        handshake(socket.getInputStream(), socket.getOutputStream(), (InetSocketAddress) socket.getRemoteSocketAddress(), path);
    }

    private static void handshake(InputStream in, OutputStream out, InetSocketAddress address, String path) throws IOException {
        out.write(request(address, path));
        // Byte by byte to the blank line: the server's first frame may follow at once.
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("the server did not switch to WebSocket: " + head.toString().strip());
        }
    }

    private static byte[] request(InetSocketAddress address, String path) {
        // A fixed key: the benchmark checks the status, not the accept value.
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + address.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A masked text frame of {@code payload} (under 126 bytes), as a client sends it. */
    static byte[] maskedText(byte[] payload) {
        byte[] frame = new byte[HEADER + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(MASK, 0, frame, HEADER, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[HEADER + 4 + i] = (byte) (payload[i] ^ MASK[i & 3]);
        }
        return frame;
    }

    /** The bytes of an unmasked text frame of {@code payload} (under 126 bytes), as a server sends it. */
    static byte[] serverText(byte[] payload) {
        byte[] frame = new byte[HEADER + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, HEADER, payload.length);
        return frame;
    }

    /** Reads one unmasked text frame of under 126 bytes from a blocking stream: its payload as text. */
    static String readText(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < HEADER || header[0] != (byte) 0x81 || (header[1] & 0xff) > 125) {
            throw new IOException("expected a short unmasked text frame, got " + Arrays.toString(header));
        }
        byte[] payload = in.readNBytes(header[1]);
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Asks a server, over a socket of its own, what its loop threads have allocated; -1 when it cannot say. */
    static long allocated(Socket socket) throws IOException {
        socket.getOutputStream().write(BROADCAST.question());
        return BroadcastWire.allocatedBytes(readText(socket.getInputStream()));
    }

    /** The broadcast rows' messages as text messages on {@code /room}. */
    static final BroadcastFraming BROADCAST = new BroadcastFraming() {
        private final byte[] welcome = serverText(BroadcastWire.WELCOME.getBytes(StandardCharsets.US_ASCII));
        private final byte[] question = maskedText(BroadcastWire.ALLOCATED.getBytes(StandardCharsets.US_ASCII));

        @Override
        public void open(SocketChannel receiver) throws IOException {
            handshake(receiver, "/room");
        }

        @Override
        public void open(Socket sender) throws IOException {
            handshake(sender, "/room");
        }

        @Override
        public byte[] welcome() {
            return welcome;
        }

        @Override
        public int header() {
            return HEADER;
        }

        @Override
        public void checkHeader(byte[] received) {
            if (received[0] != (byte) 0x81 || received[1] != BroadcastWire.MESSAGE_BYTES) {
                throw new IllegalStateException("not a text frame of one message: " + Arrays.toString(Arrays.copyOf(received, HEADER)));
            }
        }

        @Override
        public byte[] sent(byte[] message) {
            return maskedText(message);
        }

        @Override
        public byte[] question() {
            return question;
        }

        @Override
        public String answer(InputStream in) throws IOException {
            return readText(in);
        }
    };

    /** A {@value #ECHO_BYTES}-byte text message on {@code /echo}, answered by itself. */
    static Protocol echo() {
        byte[] request = maskedText(ECHO_PAYLOAD);
        byte[] answer = serverText(ECHO_PAYLOAD);
        return new Protocol() {
            @Override
            public void open(SocketChannel channel) throws IOException {
                handshake(channel, "/echo");
            }

            @Override
            public byte[] request() {
                return request;
            }

            @Override
            public int answers(ByteBuffer in) {
                return Protocol.fixedAnswers(in, answer, "the echo differs from the message sent: ");
            }
        };
    }
}
