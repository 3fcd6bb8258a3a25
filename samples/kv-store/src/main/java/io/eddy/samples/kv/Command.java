package io.eddy.samples.kv;

/**
 * A request to the key-value server, as {@link KvCodec} decodes it.
 *
 * <pre>
 * GET key\r\n                  → {@link Get}
 * SET key length\r\nvalue\r\n  → {@link Set}
 * DEL key\r\n                  → {@link Delete}
 * </pre>
 */
public sealed interface Command {

    /** The key the command is about. */
    String key();

    /** Asks for the value of {@code key}. */
    record Get(String key) implements Command {
    }

    /** Stores {@code value} under {@code key}, replacing what was there. */
    record Set(String key, byte[] value) implements Command {
    }

    /** Removes {@code key}. */
    record Delete(String key) implements Command {
    }
}
