package io.eddy.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a TCP load client sends and how it recognises the answers: one request's bytes, and a
 * parser that consumes every whole, correct answer in a buffer and fails on a wrong one.
 *
 * <p>Threading: stateless; one instance serves every connection of a run.
 */
interface Protocol {

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
                int count = 0;
                byte[] bytes = in.array();
                while (in.remaining() >= line.length) {
                    int at = in.arrayOffset() + in.position();
                    if (!Arrays.equals(bytes, at, at + line.length, line, 0, line.length)) {
                        throw new IllegalStateException("echo differs from the line sent: "
                                + new String(bytes, at, line.length, StandardCharsets.ISO_8859_1));
                    }
                    in.position(in.position() + line.length);
                    count++;
                }
                return count;
            }
        };
    }
}
