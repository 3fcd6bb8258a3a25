package io.eddy.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a TCP load client sends and how it recognises the answers: one request's bytes, and a
 * parser that consumes every whole, correct answer in a buffer and fails on a wrong one.
 *
 * <p>Threading: stateless; one instance serves every connection of a run.
 */
interface Protocol {

    /**
     * Runs once on a new connection before its first request, the channel blocking: a handshake
     * the protocol needs (a WebSocket's); none by default.
     */
    default void open(SocketChannel channel) throws IOException {
    }

    /** One request's bytes. */
    byte[] request();

    /**
     * Consumes the whole answers from {@code in} (a heap buffer, read from its position to its
     * limit), leaving a partial one in place; returns how many it consumed.
     *
     * @throws IllegalStateException if an answer is not the one expected
     */
    int answers(ByteBuffer in);

    /** The plaintext request, answered {@code 200} with the body {@code Hello, World!}, framed by {@code Content-Length}. */
    static Protocol plaintext(String host) {
        return new PlaintextResponses(PlaintextRequest.bytes(host));
    }

    /** A 64-byte line, answered by itself. */
    static Protocol lineEcho() {
        byte[] line = new byte[LineCodecBenchmark.LINE_BYTES];
        System.arraycopy(LineCodecBenchmark.lines(), 0, line, 0, line.length);
        return new Protocol() {
            @Override
            public byte[] request() {
                return line;
            }

            @Override
            public int answers(ByteBuffer in) {
                return fixedAnswers(in, line, "echo differs from the line sent: ");
            }
        };
    }

    /**
     * Consumes every whole {@code answer} at the front of {@code in} (a heap buffer); returns how
     * many. Fails, saying {@code wrong} and what came, on anything else.
     */
    static int fixedAnswers(ByteBuffer in, byte[] answer, String wrong) {
        int count = 0;
        byte[] bytes = in.array();
        while (in.remaining() >= answer.length) {
            int at = in.arrayOffset() + in.position();
            if (!Arrays.equals(bytes, at, at + answer.length, answer, 0, answer.length)) {
                throw new IllegalStateException(wrong + new String(bytes, at, answer.length, StandardCharsets.ISO_8859_1));
            }
            in.position(in.position() + answer.length);
            count++;
        }
        return count;
    }
}
