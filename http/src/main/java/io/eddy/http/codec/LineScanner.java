package io.eddy.http.codec;

import io.eddy.http.internal.HttpChars;

/**
 * Finds the LF that ends a line in a decoder's input, remembering how far it looked into a line
 * not yet whole, so that a line trickling in byte by byte is scanned once however many reads it
 * takes. Both decoders read their heads with one, and {@link MessageBodyParser} its chunk-size and
 * trailer lines.
 *
 * <p>It reports a line over its limit as {@link #TOO_LONG} rather than throwing, so that each
 * decoder fails with its own error type and names its own limit.
 *
 * <p>Threading: belongs to one decoder, used on its connection's loop thread only.
 */
final class LineScanner {

    /** No LF yet: the line is not whole. */
    static final int NOT_YET = -1;
    /** No LF within the limit: the line is too long. */
    static final int TOO_LONG = -2;

    /** Bytes after the line's start already looked at, without finding its LF. */
    private int scanned;

    /**
     * The index of the LF ending the line that starts at {@code start}, {@link #NOT_YET} when it has
     * not arrived by {@code end}, or {@link #TOO_LONG} when {@code max} bytes (its line end
     * included) hold no LF.
     */
    int lineFeed(byte[] a, int start, int end, int max) {
        int lf = HttpChars.indexOfLineFeed(a, start + scanned, Math.min(end, start + max));
        if (lf >= 0) {
            scanned = 0;
            return lf;
        }
        if (end - start >= max) {
            return TOO_LONG;
        }
        scanned = end - start;
        return NOT_YET;
    }

    /** Whether part of a line has been looked at already (no line is being waited for otherwise). */
    boolean inLine() {
        return scanned != 0;
    }
}
