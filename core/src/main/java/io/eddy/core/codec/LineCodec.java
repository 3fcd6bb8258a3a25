package io.eddy.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Lines of text: a line ends with {@code \n} or {@code \r\n}, which is not part of it; a line
 * written has the separator appended.
 *
 * <table>
 *   <caption>Limits and settings</caption>
 *   <tr><th>setting</th><th>default</th><th>when broken</th></tr>
 *   <tr><td>{@code maxLineLength}</td><td>8192 bytes</td>
 *       <td>{@link DecodeException} "line length exceeds the limit maxLineLength = 8192 bytes"</td></tr>
 *   <tr><td>charset</td><td>UTF-8</td><td>malformed input is replaced with U+FFFD; a charset
 *       that does not write CR and LF as single ASCII bytes (UTF-16) is refused</td></tr>
 *   <tr><td>separator written</td><td>{@code \n}</td><td></td></tr>
 * </table>
 *
 * <p>When the peer closes with a partial last line (no separator), that line is still delivered,
 * as {@code BufferedReader.readLine} does. A line written is not checked for newlines: one that
 * holds some goes out as several lines. Nor is a line that ends in CR: written with the {@code \n}
 * separator, its CR and the LF make a CRLF, and it reads back without that CR (the {@code \r\n}
 * separator keeps it).
 *
 * <p>Each line is scanned once, even when it arrives byte by byte. Threading: one instance per
 * connection, loop thread only.
 */
public final class LineCodec implements Codec<String, String> {

    /** The default maximum line length, in bytes, without the separator. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

    /** Lines up to this many bytes are copied into the outbound chunk rather than queued alone. */
    private static final int SMALL_LINE = 1024;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[SMALL_LINE]);
    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};

    private final int maxLineLength;
    private final Charset charset;
    /** Whether the charset writes ASCII as ASCII, one byte a character (UTF-8, ISO-8859-1, US-ASCII). */
    private final boolean asciiAsIs;
    private final byte[] separator;
    /** Bytes after the buffer's position already searched for a newline. */
    private int scanned;

    /** UTF-8 lines of at most 8192 bytes, written with {@code \n}. */
    public LineCodec() {
        this(DEFAULT_MAX_LINE_LENGTH, StandardCharsets.UTF_8);
    }

    /** Lines of at most {@code maxLineLength} bytes in {@code charset}, written with {@code \n}. */
    public LineCodec(int maxLineLength, Charset charset) {
        this(maxLineLength, charset, "\n");
    }

    /**
     * Lines of at most {@code maxLineLength} bytes in {@code charset}, written with
     * {@code separator} ({@code "\n"} or {@code "\r\n"}).
     */
    public LineCodec(int maxLineLength, Charset charset, String separator) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive: " + maxLineLength);
        }
        if (!"\n".equals(separator) && !"\r\n".equals(separator)) {
            throw new IllegalArgumentException("separator must be \\n or \\r\\n");
        }
        this.maxLineLength = maxLineLength;
        this.charset = Objects.requireNonNull(charset, "charset");
        this.asciiAsIs = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.ISO_8859_1)
                || charset.equals(StandardCharsets.US_ASCII);
        // Lines are found by searching bytes for LF, which only works where CR and LF are those
        // single bytes and never part of another character (UTF-8, ISO-8859-*; not UTF-16).
        if (!Arrays.equals("\r\n".getBytes(charset), new byte[] {'\r', '\n'})) {
            throw new IllegalArgumentException("charset must write CR and LF as single ASCII bytes: " + charset);
        }
        // Shared, never written: a connection's codec holds no separator of its own.
        this.separator = separator.equals("\n") ? LF : CRLF;
    }

    @Override
    public String decode(ByteBuffer in) throws DecodeException {
        int start = in.position();
        int limit = in.limit();
        int newline = indexOfNewline(in, start + scanned, limit);
        if (newline < 0) {
            scanned = limit - start;
            // One byte of slack: a CR at the end may still be followed by its LF.
            if (scanned - 1 > maxLineLength) {
                throw tooLong();
            }
            return null;
        }
        scanned = 0;
        int end = newline > start && in.get(newline - 1) == '\r' ? newline - 1 : newline;
        if (end - start > maxLineLength) {
            throw tooLong();
        }
        String line = text(in, start, end - start);
        in.position(newline + 1);
        return line;
    }

    @Override
    public String decodeLast(ByteBuffer in) throws DecodeException {
        String line = decode(in);
        if (line != null || !in.hasRemaining()) {
            return line;
        }
        int start = in.position();
        int end = in.limit();
        if (in.get(end - 1) == '\r') {
            end--;
        }
        // decode() keeps one byte of slack for a CR; without a separator to come, none is left.
        if (end - start > maxLineLength) {
            throw tooLong();
        }
        scanned = 0;
        String last = text(in, start, end - start);
        in.position(in.limit());
        return last;
    }

    @Override
    public void encode(String line, ByteSink out) {
        if (asciiAsIs && line.length() <= SMALL_LINE && isAscii(line)) {
            // An ASCII line's characters are its bytes: copied through the thread's scratch, no array of its own.
            byte[] scratch = SCRATCH.get();
            asciiBytes(line, scratch);
            out.write(scratch, 0, line.length());
            out.write(separator);
            return;
        }
        byte[] bytes = line.getBytes(charset);
        if (bytes.length <= SMALL_LINE) {
            out.write(bytes);                        // copied into the shared chunk: no wrapper
        } else {
            out.transfer(ByteBuffer.wrap(bytes));    // a fresh array: queued without a copy
        }
        out.write(separator);
    }

    private static boolean isAscii(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies an ASCII {@code line}'s characters as bytes. {@code String.getBytes(int, int, byte[],
     * int)} is deprecated for text in general, but for ASCII does exactly this, as one array copy
     * for a compact string, without allocating.
     */
    @SuppressWarnings("deprecation")
    private static void asciiBytes(String line, byte[] into) {
        line.getBytes(0, line.length(), into, 0);
    }

    /** The longest line accepted, in bytes, without the separator. */
    public int maxLineLength() {
        return maxLineLength;
    }

    private DecodeException tooLong() {
        return DecodeException.limitExceeded("line length", "maxLineLength", maxLineLength);
    }

    private String text(ByteBuffer in, int start, int length) {
        if (in.hasArray()) {
            return new String(in.array(), in.arrayOffset() + start, length, charset);
        }
        byte[] bytes = new byte[length];
        in.get(start, bytes);
        return new String(bytes, charset);
    }

    private static int indexOfNewline(ByteBuffer in, int from, int limit) {
        if (in.hasArray()) {
            byte[] array = in.array();
            int offset = in.arrayOffset();
            for (int i = from + offset, end = limit + offset; i < end; i++) {
                if (array[i] == '\n') {
                    return i - offset;
                }
            }
            return -1;
        }
        for (int i = from; i < limit; i++) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }
}
