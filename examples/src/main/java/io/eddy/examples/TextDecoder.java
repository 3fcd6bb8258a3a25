package io.eddy.examples;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.Decoder;
import java.nio.ByteBuffer;

/**
 * UTF-8 text messages from peers that may or may not end them with a newline: the tutorial's
 * clients send {@code sendall("正在连接主机".encode())} with no separator and then wait for an
 * answer, while line-based clients end every message with {@code \n} or {@code \r\n}.
 *
 * <p><b>The rule.</b> A message ends at {@code \n} (a {@code \r} before it is dropped). Bytes left
 * after the last newline are a message too, delivered at once, when they end on a complete UTF-8
 * character; when they end in the middle of one, they wait for the rest. A {@code \n} or
 * {@code \r\n} arriving right after such a message ends that message, so it does not make an empty
 * one.
 *
 * <p>The price: a sender that marks no end cannot be told apart from a slow one, so a message the
 * network splits between two reads (at a character boundary, with no newline) arrives as two
 * messages. Peers that end their messages with a newline never see that.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>setting</th><th>default</th><th>when broken</th></tr>
 *   <tr><td>{@code maxLength}</td><td>8192 bytes</td>
 *       <td>{@link DecodeException} "message length exceeds the limit maxLength = 8192 bytes"</td></tr>
 *   <tr><td>charset</td><td>UTF-8</td><td>malformed input is replaced with U+FFFD</td></tr>
 * </table>
 *
 * <p><b>Messages are {@link Text}s</b>, the bytes as received: one per decoder, refilled with each
 * message, so decoding allocates nothing per message. A text is valid during the handler's call
 * only; {@link #strings()} decodes each message into a {@code String} instead, for handlers that
 * want one and do not mind the copy.
 *
 * <p>Threading: one instance per connection (it remembers how far it has looked, and owns its
 * text), loop thread only.
 */
public final class TextDecoder implements Decoder<Text> {

    /** The default maximum message length, in bytes, without the newline. */
    public static final int DEFAULT_MAX_LENGTH = 8192;

    private final int maxLength;
    /** Bytes after the buffer's position already searched for a newline. */
    private int scanned;
    /** The last message ended with the bytes that had arrived, not at a newline. */
    private boolean endedWithoutNewline;
    /** Every message this decoder returns: refilled, never made anew. */
    private final Text text = Text.refillable();

    /** Messages of at most 8192 bytes. */
    public TextDecoder() {
        this(DEFAULT_MAX_LENGTH);
    }

    /** Messages of at most {@code maxLength} bytes, without the newline. */
    public TextDecoder(int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive: " + maxLength);
        }
        this.maxLength = maxLength;
    }

    /** Messages of at most 8192 bytes, each decoded into a new {@code String}. */
    public static Decoder<String> strings() {
        return new TextDecoder().map(Text::toString);
    }

    @Override
    public Text decode(ByteBuffer in) throws DecodeException {
        if (endedWithoutNewline && in.hasRemaining()) {
            endedWithoutNewline = false;
            skipNewline(in);
        }
        int start = in.position();
        int limit = in.limit();
        if (start == limit) {
            return null;
        }
        int newline = indexOfNewline(in, start + scanned, limit);
        if (newline >= 0) {
            scanned = 0;
            Text line = text(in, start, withoutCr(in, start, newline));
            in.position(newline + 1);
            return line;
        }
        scanned = limit - start;
        if (!endsOnWholeCharacter(in, start, limit)) {
            // One character (at most 3 more bytes) of slack before the limit is certain to be broken.
            if (scanned - 3 > maxLength) {
                throw tooLong();
            }
            return null;
        }
        return rest(in);
    }

    /** At end of stream the rest is a message, even when its last character is cut short. */
    @Override
    public Text decodeLast(ByteBuffer in) throws DecodeException {
        Text message = decode(in);
        if (message != null || !in.hasRemaining()) {
            return message;
        }
        return rest(in);
    }

    /** The longest message accepted, in bytes. */
    public int maxLength() {
        return maxLength;
    }

    private Text rest(ByteBuffer in) throws DecodeException {
        int start = in.position();
        int limit = in.limit();
        Text message = text(in, start, withoutCr(in, start, limit));
        scanned = 0;
        endedWithoutNewline = true;
        in.position(limit);
        return message;
    }

    private static void skipNewline(ByteBuffer in) {
        int p = in.position();
        if (in.get(p) == '\n') {
            in.position(p + 1);
        } else if (in.get(p) == '\r' && p + 1 < in.limit() && in.get(p + 1) == '\n') {
            in.position(p + 2);
        }
    }

    private static int withoutCr(ByteBuffer in, int start, int end) {
        return end > start && in.get(end - 1) == '\r' ? end - 1 : end;
    }

    /**
     * Whether the bytes end on a character boundary: the last byte is ASCII, or the lead byte of the
     * last character has all its continuation bytes. Malformed endings count as whole (they will
     * never be completed; they decode to U+FFFD).
     */
    static boolean endsOnWholeCharacter(ByteBuffer in, int start, int end) {
        int i = end - 1;
        int continuation = 0;
        while (i >= start && continuation < 3 && (in.get(i) & 0xC0) == 0x80) {
            i--;
            continuation++;
        }
        if (i < start) {
            return true;
        }
        int lead = in.get(i) & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return lead < 0x80 || (lead & 0xC0) == 0x80 || continuation + 1 >= length;
    }

    private Text text(ByteBuffer in, int start, int end) throws DecodeException {
        if (end - start > maxLength) {
            throw tooLong();
        }
        text.refill(in, start, end);
        return text;
    }

    private DecodeException tooLong() {
        return DecodeException.limitExceeded("message length", "maxLength", maxLength);
    }

    private static int indexOfNewline(ByteBuffer in, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
