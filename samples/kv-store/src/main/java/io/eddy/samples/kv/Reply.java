package io.eddy.samples.kv;

import java.nio.charset.StandardCharsets;

/**
 * An answer of the key-value server, as {@link KvCodec} encodes it.
 *
 * <pre>
 * {@link Value}     VALUE length\r\nvalue\r\n
 * {@link Status}    STORED\r\n, DELETED\r\n or NOT_FOUND\r\n
 * {@link Error}     ERROR text\r\n
 * </pre>
 */
public sealed interface Reply {

    /** The value of a key. */
    record Value(byte[] value) implements Reply {
    }

    /** An answer without data; each knows its line, encoded once. */
    enum Status implements Reply {
        STORED, DELETED, NOT_FOUND;

        private final byte[] line = (name() + "\r\n").getBytes(StandardCharsets.US_ASCII);

        /** The encoded line; the encoder copies it into the outbound queue, never changes it. */
        byte[] line() {
            return line;
        }
    }

    /** What went wrong, on one line. */
    record Error(String text) implements Reply {
    }
}
