package io.eddy.http.codec;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Encoder;
import io.eddy.core.codec.FileRegion;
import io.eddy.core.loop.TimeSource;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes {@link ResponsePart}s: a status line, the handler's headers, then the framing headers
 * the server owns ({@code Content-Length} or {@code Transfer-Encoding: chunked}, {@code Date},
 * {@code Server}, {@code Connection}), and the body. A {@code 101 Switching Protocols} head says
 * {@code Connection: Upgrade} (its {@code Upgrade} field is the handler's): the one answer after
 * which the connection goes on in another protocol.
 *
 * <p>A head is assembled in one per-thread scratch array and copied into the connection's pooled
 * chunk once; a small body is copied right after it into the same chunk, a large one is queued
 * without copying, a file as a file region.
 *
 * <p>Threading: one encoder per connection, used on its loop thread only.
 */
public final class HttpResponseEncoder implements Encoder<ResponsePart> {

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX_DIGITS = ascii("0123456789abcdef");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    private static final byte[][] STATUS_LINES = new byte[600][];
    /** Bodies up to this many bytes are copied into the chunk (as the queue would copy them anyway). */
    private static final int SMALL_BODY = 1024;

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            String reason = HttpStatus.reasonPhrase(status);
            if (!reason.isEmpty()) {
                STATUS_LINES[status] = ascii("HTTP/1.1 " + status + " " + reason + "\r\n");
            }
        }
    }

    /** The last server name's line, which every connection's encoder for that server shares. */
    private static volatile ServerLine lastServerLine;

    private final DateHeader date;
    private final byte[] serverLine;

    /** A {@code Server: ...\r\n} line and the name in it; never changed once made. */
    private record ServerLine(String name, byte[] bytes) {
    }

    /** An encoder whose {@code Date} checks the clock itself, and {@code Server: Eddy}. */
    public HttpResponseEncoder() {
        this(new DateHeader(TimeSource.system(), true), "Eddy");
    }

    /** An encoder with the server's date line; {@code serverName} null leaves {@code Server} out. */
    public HttpResponseEncoder(DateHeader date, String serverName) {
        this.date = date;
        this.serverLine = serverName == null ? null : serverLine(serverName);
    }

    @Override
    public void encode(ResponsePart part, ByteSink out) {
        if (part instanceof ResponsePart.Head head) {
            encodeHead(head, out);
        } else if (part instanceof ResponsePart.Chunk chunk) {
            encodeChunk(chunk, out);
        } else if (part instanceof ResponsePart.Last last) {
            encodeLast(last, out);
        } else {
            out.write(CONTINUE);
        }
    }

    private void encodeHead(ResponsePart.Head head, ByteSink out) {
        int status = head.status();
        boolean bodyAllowed = !HttpStatus.forbidsBody(status);
        byte[] s = SCRATCH.get();
        int n = 0;
        byte[] statusLine = status < STATUS_LINES.length ? STATUS_LINES[status] : null;
        if (statusLine != null) {
            s = room(s, n, statusLine.length);
            System.arraycopy(statusLine, 0, s, n, statusLine.length);
            n += statusLine.length;
        } else {
            s = room(s, n, 16);
            n = putAscii(s, n, "HTTP/1.1 ");
            n = putLong(s, n, status);
            n = putAscii(s, n, " \r\n");
        }
        boolean sawDate = false;
        boolean sawServer = false;
        HttpHeaders headers = head.headers();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (isFramingHeader(name)) {
                continue;
            }
            sawDate |= name.equalsIgnoreCase(HeaderNames.DATE);
            sawServer |= name.equalsIgnoreCase(HeaderNames.SERVER);
            String value = headers.value(i);
            s = room(s, n, name.length() + value.length() + 4);
            n = putLatin1(s, n, name);
            s[n++] = ':';
            s[n++] = ' ';
            n = putLatin1(s, n, value);
            s[n++] = '\r';
            s[n++] = '\n';
        }
        if (!sawServer && serverLine != null) {
            s = room(s, n, serverLine.length);
            System.arraycopy(serverLine, 0, s, n, serverLine.length);
            n += serverLine.length;
        }
        if (!sawDate) {
            byte[] dateLine = date.line();
            s = room(s, n, dateLine.length);
            System.arraycopy(dateLine, 0, s, n, dateLine.length);
            n += dateLine.length;
        }
        s = room(s, n, 64);
        if (bodyAllowed) {
            if (head.streamed()) {
                if (head.version() == HttpVersion.HTTP_1_1) {
                    n = putAscii(s, n, "Transfer-Encoding: chunked\r\n");
                }
            } else {
                n = putAscii(s, n, "Content-Length: ");
                n = putLong(s, n, head.contentLength());
                s[n++] = '\r';
                s[n++] = '\n';
            }
        }
        if (status == HttpStatus.SWITCHING_PROTOCOLS) {
            // The one answer after which the connection goes on, in another protocol (RFC 9110 7.8).
            n = putAscii(s, n, "Connection: Upgrade\r\n");
        } else if (head.close()) {
            n = putAscii(s, n, "Connection: close\r\n");
        } else if (head.version() == HttpVersion.HTTP_1_0) {
            n = putAscii(s, n, "Connection: keep-alive\r\n");
        }
        s[n++] = '\r';
        s[n++] = '\n';
        out.write(s, 0, n);
        if (!bodyAllowed || head.omitBody()) {
            return;
        }
        byte[] body = head.body();
        if (body.length > SMALL_BODY) {
            out.transfer(ByteBuffer.wrap(body));   // large: queued as it is
        } else if (body.length > 0) {
            out.write(body);                       // small: copied next to the head, with no wrapper
        } else if (head.file() != null) {
            transferFile(head.file(), out);
        }
    }

    /** Opens the file now, on the loop: a file that vanished fails this response's encoding, closing the connection. */
    private static void transferFile(ResponsePart.FileBody file, ByteSink out) {
        if (file.length() == 0) {
            return;
        }
        try {
            out.transfer(FileRegion.open(file.path(), file.position(), file.length()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file.path(), e);
        }
    }

    private static boolean isFramingHeader(String name) {
        return name != HeaderNames.CONTENT_TYPE && name.equalsIgnoreCase(HeaderNames.CONTENT_LENGTH) || name.equalsIgnoreCase(HeaderNames.TRANSFER_ENCODING)
                || name.equalsIgnoreCase(HeaderNames.CONNECTION);
    }

    private static void encodeChunk(ResponsePart.Chunk chunk, ByteSink out) {
        ByteBuffer data = chunk.data();
        int length = data.remaining();
        if (length == 0) {
            return; // a zero-size chunk would end the body
        }
        if (!chunk.chunked()) {
            out.transfer(data);
            return;
        }
        byte[] s = SCRATCH.get();
        int n = putHex(s, 0, length);
        s[n++] = '\r';
        s[n++] = '\n';
        out.write(s, 0, n);
        out.transfer(data); // the piece is the writer's own copy: a small one is copied once more into the chunk, a large one not at all
        out.write(CRLF);
    }

    private static void encodeLast(ResponsePart.Last last, ByteSink out) {
        if (!last.chunked()) {
            return;
        }
        HttpHeaders trailers = last.trailers();
        if (trailers == null || trailers.isEmpty()) {
            out.write(LAST_CHUNK);
            return;
        }
        byte[] s = SCRATCH.get();
        int n = putAscii(s, 0, "0\r\n");
        for (int i = 0; i < trailers.size(); i++) {
            String name = trailers.name(i);
            String value = trailers.value(i);
            s = room(s, n, name.length() + value.length() + 6);
            n = putLatin1(s, n, name);
            s[n++] = ':';
            s[n++] = ' ';
            n = putLatin1(s, n, value);
            s[n++] = '\r';
            s[n++] = '\n';
        }
        s[n++] = '\r';
        s[n++] = '\n';
        out.write(s, 0, n);
    }

    /** {@code s}, or a larger copy kept as this thread's scratch, with room for {@code more} after {@code n}. */
    private static byte[] room(byte[] s, int n, int more) {
        if (n + more <= s.length) {
            return s;
        }
        byte[] larger = Arrays.copyOf(s, Math.max(s.length * 2, n + more + 64));
        SCRATCH.set(larger);
        return larger;
    }

    /**
     * Copies {@code text}'s characters as bytes (each checked to be at most 0xFF when the header was
     * added). {@code String.getBytes(int, int, byte[], int)} is deprecated for text in general, but
     * does exactly this, as one array copy for a Latin-1 string, without allocating.
     */
    @SuppressWarnings("deprecation")
    private static int putLatin1(byte[] s, int n, String text) {
        int length = text.length();
        text.getBytes(0, length, s, n);
        return n + length;
    }

    private static int putAscii(byte[] s, int n, String text) {
        return putLatin1(s, n, text);
    }

    private static int putLong(byte[] s, int n, long value) {
        if (value == 0) {
            s[n++] = '0';
            return n;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int i = n + digits - 1; i >= n; i--) {
            s[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return n + digits;
    }

    private static int putHex(byte[] s, int n, int value) {
        int digits = Math.max(1, (Integer.SIZE - Integer.numberOfLeadingZeros(value) + 3) / 4);
        for (int i = n + digits - 1; i >= n; i--) {
            s[i] = HEX_DIGITS[value & 0xf];
            value >>>= 4;
        }
        return n + digits;
    }

    /** The line naming {@code serverName}: made once and shared, as a server's connections all name the same one. */
    private static byte[] serverLine(String serverName) {
        ServerLine last = lastServerLine;
        if (last == null || !last.name().equals(serverName)) {
            last = new ServerLine(serverName, ascii("Server: " + serverName + "\r\n"));
            lastServerLine = last;
        }
        return last.bytes();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
