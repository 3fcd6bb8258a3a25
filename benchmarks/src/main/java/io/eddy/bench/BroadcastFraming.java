package io.eddy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * How {@link BroadcastLoad}'s messages travel: the handshake a new connection needs, the bytes of
 * the greeting, of a message as sent and as received, and of the allocation question and its
 * answer. {@link #LINES} for the TCP broadcast rows, {@link WebSocketWire#BROADCAST} for WebSocket's.
 *
 * <p>Threading: stateless.
 */
interface BroadcastFraming {

    /** Lines over TCP: no handshake, no header; each message already ends with its {@code \n}. */
    BroadcastFraming LINES = new BroadcastFraming() {
        private final byte[] welcome = (BroadcastWire.WELCOME + "\n").getBytes(StandardCharsets.US_ASCII);
        private final byte[] question = (BroadcastWire.ALLOCATED + "\n").getBytes(StandardCharsets.US_ASCII);

        @Override
        public byte[] welcome() {
            return welcome;
        }

        @Override
        public byte[] sent(byte[] message) {
            return message;
        }

        @Override
        public byte[] question() {
            return question;
        }

        /** One line, byte by byte: the sender reads two short answers a run. */
        @Override
        public String answer(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the server closed the sender");
                }
                line.append((char) b);
            }
            return line.toString();
        }
    };

    /** A receiver's handshake, on its channel while still blocking; none by default. */
    default void open(SocketChannel receiver) throws IOException {
    }

    /** The sender's handshake; none by default. */
    default void open(Socket sender) throws IOException {
    }

    /** What a receiver gets first, once it is in the group. */
    byte[] welcome();

    /** Bytes in front of each message a receiver gets. */
    default int header() {
        return 0;
    }

    /** Fails unless a received message's first {@link #header()} bytes are right. */
    default void checkHeader(byte[] received) {
    }

    /** A message's bytes as the sender sends them (may be {@code message} itself). */
    byte[] sent(byte[] message);

    /** The sender's question for the server's allocation counter. */
    byte[] question();

    /** The next answer the sender gets (its greeting, an allocation count), as text. */
    String answer(InputStream in) throws IOException;
}
