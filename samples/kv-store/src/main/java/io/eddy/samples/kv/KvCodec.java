package io.eddy.samples.kv;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The key-value protocol, both ways: bytes in become {@link Command}s, {@link Reply}s out become
 * bytes. A command is a line; a {@code SET} line says how many bytes of value follow it, so a value
 * may hold anything, newlines included. Lines end with {@code \r\n} (a bare {@code \n} is taken
 * too, for people typing into {@code nc}).
 *
 * <p>The decoder follows the one rule every Eddy decoder follows: consume what makes a whole
 * command and return it, or return {@code null} and consume nothing until more bytes arrive. Eddy
 * keeps the bytes not consumed and calls again when more come, so a command split over many reads
 * and many commands in one read both work.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>default</th><th>when broken</th></tr>
 *   <tr><td>key length</td><td>{@value #MAX_KEY_LENGTH} bytes</td><td>{@link DecodeException}</td></tr>
 *   <tr><td>value length</td><td>1 MiB</td><td>{@link DecodeException}, before the value is read</td></tr>
 *   <tr><td>command line</td><td>{@value #MAX_LINE_LENGTH} bytes</td><td>{@link DecodeException}</td></tr>
 * </table>
 *
 * <p>Threading: one per connection (a server gets a factory, {@code KvCodec::new}), loop thread only.
 */
public final class KvCodec implements Codec<Command, Reply> {

    /** The longest key, in bytes. */
    public static final int MAX_KEY_LENGTH = 250;
    /** The longest command line: {@code SET}, a key, a length of up to 10 digits, the spaces and CRLF. */
    public static final int MAX_LINE_LENGTH = 4 + MAX_KEY_LENGTH + 1 + 10 + 2;
    /** The default longest value, in bytes. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 1024 * 1024;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] VALUE = "VALUE ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "ERROR ".getBytes(StandardCharsets.US_ASCII);

    private final int maxValueLength;

    /** Values of up to 1 MiB. */
    public KvCodec() {
        this(DEFAULT_MAX_VALUE_LENGTH);
    }

    /** Values of up to {@code maxValueLength} bytes. */
    public KvCodec(int maxValueLength) {
        if (maxValueLength < 0) {
            throw new IllegalArgumentException("maxValueLength must not be negative: " + maxValueLength);
        }
        this.maxValueLength = maxValueLength;
    }

    @Override
    public Command decode(ByteBuffer in) throws DecodeException {
        int start = in.position();
        int newline = indexOf(in, start, in.limit(), (byte) '\n');
        if (newline < 0) {
            if (in.remaining() > MAX_LINE_LENGTH) {
                throw DecodeException.limitExceeded("command line", "MAX_LINE_LENGTH", MAX_LINE_LENGTH);
            }
            return null;                                   // not a whole line yet: consume nothing
        }
        if (newline + 1 - start > MAX_LINE_LENGTH) {
            throw DecodeException.limitExceeded("command line", "MAX_LINE_LENGTH", MAX_LINE_LENGTH);
        }
        String[] words = line(in, start, newline).split(" ", -1);
        switch (words[0]) {
            case "GET":
                expectWords(words, 2, "GET key");
                in.position(newline + 1);
                return new Command.Get(key(words[1]));
            case "DEL":
                expectWords(words, 2, "DEL key");
                in.position(newline + 1);
                return new Command.Delete(key(words[1]));
            case "SET":
                expectWords(words, 3, "SET key length");
                return set(in, key(words[1]), length(words[2]), newline + 1);
            default:
                throw new DecodeException("unknown command '" + words[0] + "': GET, SET or DEL expected");
        }
    }

    /** A SET whose value starts at {@code valueStart}: whole, or null (and nothing consumed) until it is. */
    private Command set(ByteBuffer in, String key, int length, int valueStart) throws DecodeException {
        int valueEnd = valueStart + length;
        if (in.limit() <= valueEnd) {
            return null;                                   // the value, or its line end, is still coming
        }
        int next;
        if (in.get(valueEnd) == '\n') {
            next = valueEnd + 1;
        } else if (in.get(valueEnd) == '\r') {
            if (in.limit() <= valueEnd + 1) {
                return null;
            }
            if (in.get(valueEnd + 1) != '\n') {
                throw new DecodeException("the value is not followed by CRLF: is its length right?");
            }
            next = valueEnd + 2;
        } else {
            throw new DecodeException("the value is not followed by CRLF: is its length right?");
        }
        byte[] value = new byte[length];
        in.get(valueStart, value);                         // a copy: the buffer is reused after this call
        in.position(next);
        return new Command.Set(key, value);
    }

    @Override
    public void encode(Reply reply, ByteSink out) {
        if (reply instanceof Reply.Value value) {
            out.write(VALUE);
            out.write(Integer.toString(value.value().length).getBytes(StandardCharsets.US_ASCII));
            out.write(CRLF);
            out.write(value.value());
            out.write(CRLF);
        } else if (reply instanceof Reply.Status status) {
            out.write(status.line());
        } else if (reply instanceof Reply.Error error) {
            // One line, whatever the text: a newline in it would start a reply of its own.
            String text = error.text().replace('\r', ' ').replace('\n', ' ');
            out.write(ERROR);
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write(CRLF);
        }
    }

    /** The longest value accepted, in bytes. */
    public int maxValueLength() {
        return maxValueLength;
    }

    private static String line(ByteBuffer in, int start, int newline) {
        int end = newline > start && in.get(newline - 1) == '\r' ? newline - 1 : newline;
        byte[] bytes = new byte[end - start];
        in.get(start, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void expectWords(String[] words, int count, String form) throws DecodeException {
        if (words.length != count) {
            throw new DecodeException("malformed command: " + form + " expected");
        }
    }

    private static String key(String key) throws DecodeException {
        if (key.isEmpty()) {
            throw new DecodeException("empty key");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw DecodeException.limitExceeded("key length", "MAX_KEY_LENGTH", MAX_KEY_LENGTH);
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c >= 127) {
                throw new DecodeException("a key is printable ASCII without spaces");
            }
        }
        return key;
    }

    private int length(String digits) throws DecodeException {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DecodeException("malformed length '" + digits + "': digits expected");
        }
        long length = Long.parseLong(digits);
        if (length > maxValueLength) {
            throw DecodeException.limitExceeded("value length", "maxValueLength", maxValueLength);
        }
        return (int) length;
    }

    private static int indexOf(ByteBuffer in, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (in.get(i) == b) {
                return i;
            }
        }
        return -1;
    }
}
