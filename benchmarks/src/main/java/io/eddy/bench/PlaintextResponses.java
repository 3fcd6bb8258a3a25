package io.eddy.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Recognises plaintext answers: {@code HTTP/1.1 200}, a {@code Content-Length}, and the body
 * {@code Hello, World!}. A response must carry its {@code Content-Length}: close-delimited or
 * chunked answers are wrong here.
 *
 * <p>Threading: stateless; one instance serves every connection of a run.
 */
final class PlaintextResponses implements Protocol {

    private static final byte[] STATUS = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY = PlaintextRequest.BODY.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] request;

    PlaintextResponses(byte[] request) {
        this.request = request;
    }

    @Override
    public byte[] request() {
        return request;
    }

    @Override
    public int answers(ByteBuffer in) {
        byte[] bytes = in.array();
        int base = in.arrayOffset();
        int count = 0;
        while (true) {
            int start = base + in.position();
            int end = base + in.limit();
            int headEnd = indexOfBlankLine(bytes, start, end);
            if (headEnd < 0) {
                return count;
            }
            if (!Arrays.equals(bytes, start, start + STATUS.length, STATUS, 0, STATUS.length)) {
                throw new IllegalStateException("not a 200 response: " + firstLine(bytes, start, headEnd));
            }
            long length = contentLength(bytes, start, headEnd);
            int bodyStart = headEnd + 4;
            if (end - bodyStart < length) {
                return count;
            }
            if (length != BODY.length || !Arrays.equals(bytes, bodyStart, bodyStart + BODY.length, BODY, 0, BODY.length)) {
                throw new IllegalStateException("body is not " + PlaintextRequest.BODY + ": "
                        + new String(bytes, bodyStart, (int) Math.min(length, 64), StandardCharsets.ISO_8859_1));
            }
            in.position(bodyStart + (int) length - base);
            count++;
        }
    }

    /** Where {@code \r\n\r\n} starts, or -1. */
    private static int indexOfBlankLine(byte[] bytes, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The {@code Content-Length} value in the head {@code [start, headEnd)}. */
    private static long contentLength(byte[] bytes, int start, int headEnd) {
        for (int line = start; line < headEnd; ) {
            int next = line;
            while (next < headEnd && bytes[next] != '\r') {
                next++;
            }
            if (next - line > CONTENT_LENGTH.length && startsWithIgnoreCase(bytes, line, CONTENT_LENGTH)) {
                String value = new String(bytes, line + CONTENT_LENGTH.length, next - line - CONTENT_LENGTH.length,
                        StandardCharsets.US_ASCII).trim();
                return Long.parseLong(value);
            }
            line = next + 2;
        }
        throw new IllegalStateException("response without Content-Length: " + firstLine(bytes, start, headEnd));
    }

    private static boolean startsWithIgnoreCase(byte[] bytes, int at, byte[] lowerPrefix) {
        for (int i = 0; i < lowerPrefix.length; i++) {
            if (Character.toLowerCase(bytes[at + i]) != lowerPrefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String firstLine(byte[] bytes, int start, int headEnd) {
        int end = start;
        while (end < headEnd && bytes[end] != '\r') {
            end++;
        }
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
