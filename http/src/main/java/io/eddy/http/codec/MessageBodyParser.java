package io.eddy.http.codec;

import io.eddy.core.codec.DecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.internal.HttpChars;
import java.nio.ByteBuffer;

/**
 * Reads a message body as RFC 9112 §6 frames it, for both decoders: {@link HttpRequestDecoder}
 * (request bodies) and {@link HttpResponseDecoder} (response bodies). It yields the body in pieces,
 * each a view of the input (never a copy), and then says it is done, with the trailers of a chunked
 * body. What differs between the sides (their error types, how they read a field line) is a
 * {@link Side}; the framing itself is the same code for both.
 *
 * <pre>
 *   fixed(n) ─────▶ FIXED ──────── n bytes ─────────────────────────────────────────▶ DONE
 *   chunked(b) ───▶ CHUNK_SIZE ── size &gt; 0 ──▶ CHUNK_DATA ──▶ CHUNK_END ─┐          ▲
 *                     ▲  └──────── size 0 ──▶ TRAILERS ── empty line ──────┼──────────┤
 *                     └────────────────────────────────────────────────────┘          │
 *   untilClose() ─▶ UNTIL_CLOSE ── {@link #endOfInput()} (responses only) ────────────┘
 *   any state ── rule or limit broken ──▶ throws the side's error (the decoder then reads nothing more)
 * </pre>
 *
 * <p><b>The rules, one for both sides.</b>
 * <table>
 *   <caption>Framing rules</caption>
 *   <tr><th>rule</th><th>what it says</th></tr>
 *   <tr><td>chunk-size line</td><td>hex digits (no sign, no {@code 0x}, fitting a {@code long}),
 *       then extensions {@code ;name}, {@code ;name=token} or {@code ;name="quoted"}, whitespace only
 *       around {@code ;} and {@code =}; at most {@value #MAX_CHUNK_LINE} bytes</td></tr>
 *   <tr><td>trailer budget</td><td>the trailer section's lines count toward the same
 *       {@code maxHeaderSize} as the head's (the decoder passes what the head left), so a message's
 *       fields never hold more than that limit, whichever section they are in (RFC 9110 §6.5:
 *       a recipient may limit trailers). The field count limit applies to each section on its own.</td></tr>
 *   <tr><td>bare LF</td><td>a line (chunk-size, trailer, and the end of chunk data) ended by LF
 *       alone is read only where the side's {@link Leniency#BARE_LF} allows it, and reported to its
 *       {@link ViolationListener}: the server's setting; the client has no leniencies and is strict,
 *       as it is for every line of a response (a framing that two parties read differently is how
 *       responses are smuggled onto a connection)</td></tr>
 *   <tr><td>body limit</td><td>the side's {@code maxBodySize}, checked against what chunk sizes
 *       announce (before their data arrives) and what a close-delimited body delivers; the server
 *       passes none, since its limit depends on whether the handler streams</td></tr>
 *   <tr><td>close-delimited</td><td>only a response's body (a request's is never framed so);
 *       it ends when the connection's input does</td></tr>
 * </table>
 *
 * <p>The input must have an array ({@code in.hasArray()}): the decoders make sure of it.
 *
 * <p>Threading: belongs to one decoder, used on its connection's loop thread only.
 *
 * @param <E> the side's decode error
 */
final class MessageBodyParser<E extends DecodeException> {

    /**
     * What a side brings: its errors and its reading of a field line. Called once per trailer
     * line or error, never per byte.
     */
    interface Side<E extends DecodeException> {

        /** The body's framing broke a rule: {@code message} says which. */
        E malformed(String message);

        /** The trailer section ran over what the head left of the field budget. */
        E trailersTooLarge();

        /** The body announced or delivered more than {@code maxBodySize}. */
        E bodyTooLarge();

        /** Reads the trailer field line {@code a[start, end)} (without its line end) into {@code trailers}. */
        void trailerField(byte[] a, int start, int end, HttpHeaders trailers) throws E;
    }

    private enum State { FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, UNTIL_CLOSE, DONE }

    /** Chunk-size lines (with extensions) longer than this are refused. */
    static final int MAX_CHUNK_LINE = 4096;

    private final Side<E> side;
    private final boolean allowBareLf;
    private final ViolationListener violations;
    private final long maxBodySize;
    private final LineScanner lines = new LineScanner();

    private State state = State.DONE;
    /** Bytes left of the fixed body or the current chunk. */
    private long remaining;
    /** Bytes of the body announced so far (by chunk sizes) or, close-delimited, received. */
    private long bodyBytes;
    /** Bytes the trailer section may still take. */
    private int fieldBytesLeft;
    private HttpHeaders trailers;

    /**
     * A parser for one side's bodies, reading bare-LF line ends only if {@code allowBareLf} (each
     * reported to {@code violations}), refusing bodies over {@code maxBodySize}.
     */
    MessageBodyParser(Side<E> side, boolean allowBareLf, ViolationListener violations, long maxBodySize) {
        this.side = side;
        this.allowBareLf = allowBareLf;
        this.violations = violations;
        this.maxBodySize = maxBodySize;
    }

    /** The next body is {@code length} bytes long ({@code Content-Length}); 0 is done at once. */
    void fixed(long length) {
        start(length == 0 ? State.DONE : State.FIXED);
        remaining = length;
    }

    /** The next body is chunked; its trailers may take {@code fieldBytesLeft} bytes, line ends included. */
    void chunked(int fieldBytesLeft) {
        start(State.CHUNK_SIZE);
        this.fieldBytesLeft = fieldBytesLeft;
    }

    /** The next body lasts until the input ends (a response without length or chunking). */
    void untilClose() {
        start(State.UNTIL_CLOSE);
    }

    private void start(State first) {
        state = first;
        bodyBytes = 0;
        trailers = null;
    }

    /** Whether the body is complete: what follows in the input is the next message. */
    boolean isDone() {
        return state == State.DONE;
    }

    /** The trailer fields of the body just completed: empty unless a chunked body had some. */
    HttpHeaders trailers() {
        return trailers != null ? trailers : new HttpHeaders(0);
    }

    /**
     * The input ended: a close-delimited body is complete (true); any other is not, and stays as
     * it was (false), for the decoder to count as cut short.
     */
    boolean endOfInput() {
        if (state != State.UNTIL_CLOSE) {
            return false;
        }
        state = State.DONE;
        return true;
    }

    /**
     * The next piece of the body, a view of {@code in} valid until {@code in} changes; or null when
     * no body byte is there yet or the body is complete ({@link #isDone()}). Consumes the framing
     * around the pieces (chunk lines, chunk ends, trailers) as it goes.
     */
    ByteBuffer read(ByteBuffer in) throws E {
        while (true) {
            switch (state) {
                case FIXED:
                case CHUNK_DATA:
                case UNTIL_CLOSE:
                    return data(in);
                case CHUNK_SIZE:
                    if (!chunkSize(in)) {
                        return null;
                    }
                    break;
                case CHUNK_END:
                    if (!chunkEnd(in)) {
                        return null;
                    }
                    break;
                case TRAILERS:
                    trailers(in);
                    return null;
                case DONE:
                default:
                    return null;
            }
        }
    }

    private ByteBuffer data(ByteBuffer in) throws E {
        int n = (int) (state == State.UNTIL_CLOSE ? in.remaining() : Math.min(remaining, in.remaining()));
        if (n == 0) {
            return null;
        }
        if (state == State.UNTIL_CLOSE) {
            bodyBytes += n;
            if (bodyBytes > maxBodySize) {
                throw side.bodyTooLarge();
            }
        } else {
            remaining -= n;
            if (remaining == 0) {
                state = state == State.FIXED ? State.DONE : State.CHUNK_END;
            }
        }
        ByteBuffer piece = in.slice(in.position(), n);
        in.position(in.position() + n);
        return piece;
    }

    /** Reads a chunk-size line if it is whole (true), moving to its data or the trailers. */
    private boolean chunkSize(ByteBuffer in) throws E {
        byte[] a = in.array();
        int base = in.arrayOffset();
        int start = base + in.position();
        int lf = lines.lineFeed(a, start, base + in.limit(), MAX_CHUNK_LINE);
        if (lf == LineScanner.TOO_LONG) {
            throw side.malformed("chunk size line longer than " + MAX_CHUNK_LINE + " bytes");
        }
        if (lf < 0) {
            return false;
        }
        int end = contentEnd(a, start, lf);
        in.position(lf + 1 - base);
        long size = 0;
        int i = start;
        while (i < end && HttpChars.hexValue(a[i]) >= 0) {
            if (size > (Long.MAX_VALUE >> 4)) {
                throw side.malformed("chunk size overflows");
            }
            size = size << 4 | HttpChars.hexValue(a[i]);
            i++;
        }
        if (i == start) {
            throw side.malformed("chunk size is not a hexadecimal number: \"" + HttpChars.printable(a, start, end) + "\"");
        }
        String problem = HttpChars.chunkExtensionProblem(a, i, end);
        if (problem != null) {
            throw side.malformed(problem);
        }
        if (size == 0) {
            trailers = new HttpHeaders(0);
            state = State.TRAILERS;
            return true;
        }
        // Refused as announced, before its data is read; a sum past Long.MAX_VALUE goes negative.
        bodyBytes += size;
        if (bodyBytes > maxBodySize || bodyBytes < 0) {
            throw side.bodyTooLarge();
        }
        remaining = size;
        state = State.CHUNK_DATA;
        return true;
    }

    /** Reads the CRLF after a chunk's data if it is there (true). */
    private boolean chunkEnd(ByteBuffer in) throws E {
        int p = in.position();
        if (!in.hasRemaining()) {
            return false;
        }
        byte first = in.get(p);
        if (first == '\n' && allowBareLf) {
            violations.onViolation(Leniency.BARE_LF, "chunk data ended by a bare LF");
            in.position(p + 1);
        } else if (first != '\r') {
            throw side.malformed("chunk data not followed by CRLF");
        } else if (in.remaining() < 2) {
            return false;
        } else if (in.get(p + 1) != '\n') {
            throw side.malformed("chunk data not followed by CRLF");
        } else {
            in.position(p + 2);
        }
        state = State.CHUNK_SIZE;
        return true;
    }

    /** Reads the trailer lines that are whole; after the empty one, the body is done. */
    private void trailers(ByteBuffer in) throws E {
        byte[] a = in.array();
        int base = in.arrayOffset();
        while (true) {
            int start = base + in.position();
            int lf = lines.lineFeed(a, start, base + in.limit(), fieldBytesLeft);
            if (lf == LineScanner.TOO_LONG) {
                throw side.trailersTooLarge();
            }
            if (lf < 0) {
                return;
            }
            int end = contentEnd(a, start, lf);
            in.position(lf + 1 - base);
            fieldBytesLeft -= lf + 1 - start;
            if (end == start) {
                state = State.DONE;
                return;
            }
            side.trailerField(a, start, end, trailers);
        }
    }

    /** Where a line's content ends: before its CRLF, or before a lone LF where the side tolerates one. */
    private int contentEnd(byte[] a, int start, int lf) throws E {
        if (lf > start && a[lf - 1] == '\r') {
            return lf - 1;
        }
        if (!allowBareLf) {
            throw side.malformed("line ended by a bare LF (expected CRLF)");
        }
        violations.onViolation(Leniency.BARE_LF, "line ended by a bare LF");
        return lf;
    }
}
