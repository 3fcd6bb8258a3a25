package io.eddy.http.websocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Makes messages of frames (pieces from {@link FrameDecoder}): checks that fragments follow the
 * rules (a continuation only inside a message, no new message inside one, RSV1 only on a
 * message's first frame), inflates compressed messages, checks text as UTF-8 as each fragment
 * arrives, and holds at most {@code maxMessageSize} bytes.
 *
 * <p>Threading: one per connection, on its loop thread.
 */
final class MessageAssembler implements AutoCloseable {

    private final MessageBuffer buffer;
    private final Inflation inflation;
    private final Utf8Validator utf8 = new Utf8Validator();
    private boolean inMessage;
    private boolean text;
    private boolean compressed;
    /** How much of the buffer the validator has seen. */
    private int checked;

    /** @param inflation the receiving half of permessage-deflate, or null when it was not agreed */
    MessageAssembler(int maxMessageSize, Inflation inflation) {
        this.buffer = new MessageBuffer(maxMessageSize);
        this.inflation = inflation;
    }

    /** Takes a data frame; returns the message it ends (a {@code String} or a {@code ByteBuffer}), or null. */
    Object accept(Frame frame) throws WebSocketException {
        if (frame.opcode() == Frame.CONTINUATION) {
            if (!inMessage) {
                throw WebSocketException.protocol("a continuation frame with no message begun");
            }
            if (frame.rsv1()) {
                throw WebSocketException.protocol("RSV1 set on a continuation frame");
            }
        } else {
            if (inMessage) {
                throw WebSocketException.protocol("a new message began before the fragmented one ended");
            }
            if (frame.rsv1() && inflation == null) {
                throw WebSocketException.protocol("RSV1 set without permessage-deflate");
            }
            inMessage = true;
            text = frame.opcode() == Frame.TEXT;
            compressed = frame.rsv1();
        }
        if (compressed) {
            inflation.inflate(frame.payload(), buffer);
            if (frame.fin()) {
                inflation.endMessage(buffer);
            }
        } else {
            buffer.append(frame.payload());
        }
        if (text) {
            if (!utf8.accept(buffer.array(), checked, buffer.length() - checked)) {
                throw WebSocketException.invalidPayload("text message is not valid UTF-8");
            }
            checked = buffer.length();
        }
        if (!frame.fin()) {
            return null;
        }
        if (text && !utf8.complete()) {
            throw WebSocketException.invalidPayload("text message ends inside a UTF-8 character");
        }
        inMessage = false;
        checked = 0;
        utf8.reset();
        byte[] message = buffer.take();
        return text ? new String(message, StandardCharsets.UTF_8) : ByteBuffer.wrap(message);
    }

    /** Frees the inflater's native memory. */
    @Override
    public void close() {
        if (inflation != null) {
            inflation.close();
        }
    }
}
