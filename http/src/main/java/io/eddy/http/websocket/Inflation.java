package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate (RFC 7692): inflates a compressed message piece by
 * piece into a {@link MessageBuffer} that stops at the message size limit, so a few kilobytes that
 * inflate to gigabytes (a compression bomb) close the connection with 1009 after at most that
 * limit, never more. The JDK's {@link Inflater} reads windows of any size up to 15 bits, so any
 * {@code client_max_window_bits} the peer uses is fine.
 *
 * <p>Threading: one per connection, on its loop thread.
 */
final class Inflation implements AutoCloseable {

    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
    private static final int STEP = 16 * 1024;

    private final boolean contextTakeover;
    private Inflater inflater;

    /** @param contextTakeover whether the peer's messages may refer to the ones before them */
    Inflation(boolean contextTakeover) {
        this.contextTakeover = contextTakeover;
    }

    /** Inflates {@code compressed} into {@code out}. */
    void inflate(ByteBuffer compressed, MessageBuffer out) throws WebSocketException {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        inflater.setInput(compressed);
        drain(out);
    }

    /** The message's last piece was inflated: adds the tail the sender left out, and finishes. */
    void endMessage(MessageBuffer out) throws WebSocketException {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        inflater.setInput(TAIL);
        drain(out);
        if (!contextTakeover) {
            inflater.reset();
        }
    }

    private void drain(MessageBuffer out) throws WebSocketException {
        try {
            while (!inflater.needsInput()) {
                if (inflater.finished()) {
                    // The sender ended its stream with a final block: the next message starts a new one.
                    inflater.reset();
                    return;
                }
                int n = inflater.inflate(out.room(STEP), out.length(), out.roomLeft());
                if (n == 0 && !inflater.needsInput() && !inflater.finished()) {
                    throw WebSocketException.invalidPayload(inflater.needsDictionary()
                            ? "compressed data asks for a dictionary" : "compressed data does not inflate");
                }
                out.added(n);
            }
        } catch (DataFormatException e) {
            throw WebSocketException.invalidPayload("compressed data does not inflate: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }
}
