package io.eddy.http.codec;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.codec.Decoder;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpVersion;
import io.eddy.http.ResponseLimits;
import io.eddy.http.ViolationListener;
import io.eddy.http.internal.HeapCopy;
import io.eddy.http.internal.HttpChars;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes HTTP/1.1 responses (RFC 9112) for the client, incrementally, one response per request:
 * the connection tells it with {@link #expectResponseTo} which request went out, since only the request
 * says whether a body follows ({@code HEAD} has none).
 *
 * <pre>
 *   IDLE ──expectResponseTo(method)──▶ STATUS_LINE ──▶ HEADERS ──┬── 1xx: skipped ──▶ STATUS_LINE
 *     ▲                                                          ├── no body (HEAD, 204, 304, length 0) ──┐
 *     │                                                          └── Content-Length, chunked, or neither  │
 *     │                                                                 (until the peer closes) ──▶ BODY ─┤
 *     └───────────────────────────────────────────────── End (with a chunked body's trailers) ◀───────────┘
 *   any state ── rule or limit broken, or bytes in IDLE ──▶ FAILED (throws once, then reads nothing)
 * </pre>
 *
 * <p>It produces {@link ClientResponsePart}s: a {@link ClientResponsePart.Head}, {@link ClientResponsePart.Body}
 * pieces, and a {@link ClientResponsePart.End}. The body is read by a {@link MessageBodyParser}, the
 * framing code the server's {@link HttpRequestDecoder} shares, whose Javadoc draws its states and
 * states the rules both sides hold to (a trailer section takes what the head left of
 * {@code maxHeaderSize}; a bare LF is read nowhere by the client, which has no leniencies). A body
 * that lasts until the connection closes ends at {@link #decodeLast} or, when the connection had
 * no bytes left to decode, when it says so with {@link #endOfStream()}.
 *
 * <p><b>Strict.</b> Each of these fails with a {@link DecodeException} saying which rule was
 * broken: a malformed status line or version other than 1.0 or 1.1; a header line that is not
 * {@code token ":" value} (whitespace before the colon, obs-fold, control characters); both
 * {@code Content-Length} and {@code Transfer-Encoding}; differing or malformed lengths; a transfer
 * coding other than a single {@code chunked}; a bad chunk size, chunk extension or chunk end;
 * {@code 101 Switching Protocols} unless the request asked to switch; more than
 * {@value #MAX_INTERIM_RESPONSES} interim responses before the final one; any byte received while no
 * request is outstanding (such as a body longer than its {@code Content-Length}). Limits come from
 * {@link ResponseLimits}.
 *
 * <p><b>Driving it.</b> Besides {@code decode}, its public methods are the contract with whoever
 * owns the connection (the client's pool, or a user's own client pipeline), not test hooks: one
 * request is in flight at a time; {@link #expectResponseTo} announces it; {@link #responseStarted()}
 * tells whether a request may be retried (no byte of its answer came); {@link #isIdle()} and
 * {@link #hasBytesAfterResponse()} tell whether the connection may carry another request.
 *
 * <p>Threading: one decoder per connection, used on its loop thread only.
 */
public final class HttpResponseDecoder implements Decoder<ClientResponsePart> {

    private enum State { IDLE, STATUS_LINE, HEADERS, BODY, SWITCHED, FAILED }

    /** Interim (1xx) responses skipped before a final one, at most. */
    static final int MAX_INTERIM_RESPONSES = 16;

    private final ResponseLimits limits;
    private final LineScanner lines = new LineScanner();
    private final MessageBodyParser<DecodeException> body;

    private State state = State.IDLE;
    private String requestMethod;
    private boolean started;
    private int interimResponses;
    /** The request asked to switch protocols: a 101 is its final answer. */
    private boolean upgradeAsked;
    /** Whether bytes followed the last response's end in the same read. */
    private boolean bytesAfterEnd;

    // The response being read.
    private HttpVersion version;
    private int status;
    private String reason;
    private HttpHeaders headers;
    private int headerBytes;
    private long contentLength;
    private boolean chunked;
    private boolean connectionClose;
    private boolean connectionKeepAlive;

    /** A decoder holding responses to {@code limits}. */
    public HttpResponseDecoder(ResponseLimits limits) {
        this.limits = limits;
        // No leniencies: the client reads a bare LF nowhere, after chunk data included.
        this.body = new MessageBodyParser<>(new BodySide(), false, ViolationListener.ignore(), limits.maxBodySize());
    }

    /**
     * A request with {@code method} has been sent: decode its response next.
     *
     * @throws IllegalStateException if the previous response is not complete
     */
    public void expectResponseTo(String method) {
        expectResponseTo(method, false);
    }

    /**
     * As {@link #expectResponseTo(String)}, for a request that asks to switch protocols
     * ({@code Upgrade}) when {@code upgrade} is true: a {@code 101 Switching Protocols} is then its
     * final answer, a head with no body, after which this decoder reads nothing more (the bytes
     * behind it are the next protocol's; see {@code Connection.upgrade}).
     */
    public void expectResponseTo(String method, boolean upgrade) {
        if (state != State.IDLE) {
            throw new IllegalStateException("a response is still being decoded (" + state + ")");
        }
        requestMethod = method;
        upgradeAsked = upgrade;
        interimResponses = 0;
        started = false;
        bytesAfterEnd = false;
        headerBytes = 0;
        state = State.STATUS_LINE;
    }

    /** Whether any byte of the expected response has arrived; false until one does. */
    public boolean responseStarted() {
        return started;
    }

    /**
     * Whether bytes came right behind the last response's end, in the same read. A server sends
     * nothing unasked, so they are a body longer than announced or a response to no request: the
     * connection cannot be trusted with another request, whose response they would become.
     */
    public boolean hasBytesAfterResponse() {
        return bytesAfterEnd;
    }

    /** Whether no response is expected or being decoded. */
    public boolean isIdle() {
        return state == State.IDLE;
    }

    /**
     * The peer closed the connection: the end of a body that lasts until then (true, and the
     * decoder is idle again), or false when no such body was being read.
     */
    public boolean endOfStream() {
        if (state != State.BODY || !body.endOfInput()) {
            return false;
        }
        state = State.IDLE;
        return true;
    }

    /**
     * As {@link #decode}, but the input has ended: a body that lasts until the connection closes
     * gets its last piece and then its {@link ClientResponsePart.End}.
     */
    @Override
    public ClientResponsePart decodeLast(ByteBuffer in) throws DecodeException {
        ClientResponsePart part = decode(in);
        if (part == null && endOfStream()) {
            return new ClientResponsePart.End(body.trailers());
        }
        return part;
    }

    @Override
    public ClientResponsePart decode(ByteBuffer in) throws DecodeException {
        if (!in.hasArray()) {
            return HeapCopy.decode(in, this::decode);   // not the loop's buffer: a direct one
        }
        try {
            switch (state) {
                case IDLE:
                    if (in.hasRemaining()) {
                        throw new DecodeException("bytes received with no request outstanding"
                                + " (a body longer than announced, or a response nobody asked for)");
                    }
                    return null;
                case STATUS_LINE:
                case HEADERS:
                    return head(in);
                case BODY:
                    return body(in);
                case SWITCHED:
                    return null;
                case FAILED:
                default:
                    in.position(in.limit());
                    return null;
            }
        } catch (DecodeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    // ---- head ----

    private ClientResponsePart head(ByteBuffer in) throws DecodeException {
        byte[] a = in.array();
        int base = in.arrayOffset();
        while (true) {
            int start = base + in.position();
            if (start < base + in.limit()) {
                started = true;
            }
            int lf = lines.lineFeed(a, start, base + in.limit(), limits.maxHeaderSize() - headerBytes);
            if (lf == LineScanner.TOO_LONG) {
                throw DecodeException.limitExceeded("response head", "maxHeaderSize", limits.maxHeaderSize());
            }
            if (lf < 0) {
                return null;
            }
            int end = lineContentEnd(a, start, lf);
            in.position(lf + 1 - base);
            headerBytes += lf + 1 - start;
            if (state == State.STATUS_LINE) {
                statusLine(a, start, end);
                state = State.HEADERS;
            } else if (end > start) {
                headerLine(a, start, end, headers);
            } else {
                ClientResponsePart head = headComplete();
                if (head != null) {
                    return head;
                }
                // An interim 1xx response: the final one follows, with a size limit of its own;
                // their number is bounded, so a server cannot keep a request waiting with them.
                if (++interimResponses > MAX_INTERIM_RESPONSES) {
                    throw new DecodeException("more than " + MAX_INTERIM_RESPONSES
                            + " interim (1xx) responses before the final one");
                }
                headerBytes = 0;
                state = State.STATUS_LINE;
            }
        }
    }

    private static int lineContentEnd(byte[] a, int start, int lf) throws DecodeException {
        if (lf > start && a[lf - 1] == '\r') {
            return lf - 1;
        }
        throw new DecodeException("line ended by a bare LF (expected CRLF)");
    }

    /** {@code HTTP-version SP 3DIGIT SP [ reason-phrase ]} (RFC 9112 §4). */
    private void statusLine(byte[] a, int start, int end) throws DecodeException {
        String line = new String(a, start, end - start, StandardCharsets.ISO_8859_1);
        // The SP before an empty reason phrase is often left out, and taken without it.
        if (end - start < 12 || a[start + 8] != ' ' || (end - start > 12 && a[start + 12] != ' ')) {
            throw malformedStatusLine(a, start, end);
        }
        if (HttpChars.startsWith(a, start, "HTTP/1.1")) {
            version = HttpVersion.HTTP_1_1;
        } else if (HttpChars.startsWith(a, start, "HTTP/1.0")) {
            version = HttpVersion.HTTP_1_0;
        } else {
            throw new DecodeException("malformed status line or unsupported version (expected HTTP/1.1 or HTTP/1.0): \""
                    + HttpChars.printable(a, start, end) + "\"");
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            if (a[i] < '0' || a[i] > '9') {
                throw malformedStatusLine(a, start, end);
            }
            code = code * 10 + a[i] - '0';
        }
        if (code < 100 || code > 599) {
            throw new DecodeException("status code out of range 100..599: " + code);
        }
        for (int i = start + 13; i < end; i++) {
            if (!HttpChars.isFieldValue(a[i])) {
                throw new DecodeException("invalid character in reason phrase: \"" + HttpChars.printable(a, start, end) + "\"");
            }
        }
        status = code;
        reason = end > start + 13 ? line.substring(13) : "";
        headers = new HttpHeaders();
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
    }

    private static DecodeException malformedStatusLine(byte[] a, int start, int end) {
        return new DecodeException("malformed status line (expected \"HTTP/1.1 200 OK\"): \"" + HttpChars.printable(a, start, end) + "\"");
    }

    /** One field line, {@code token ":" OWS value OWS}, checked, into {@code into}. */
    private void headerLine(byte[] a, int start, int end, HttpHeaders into) throws DecodeException {
        if (into.size() >= limits.maxHeaderCount()) {
            throw DecodeException.limitExceeded("number of header fields", "maxHeaderCount", limits.maxHeaderCount());
        }
        if (a[start] == ' ' || a[start] == '\t') {
            throw new DecodeException("obs-fold (a header line starting with whitespace)");
        }
        int i = start;
        while (i < end && HttpChars.isToken(a[i])) {
            i++;
        }
        if (i == start || i == end || a[i] != ':') {
            throw new DecodeException(i == start ? "empty or invalid header field name"
                    : i < end && (a[i] == ' ' || a[i] == '\t') ? "whitespace between header field name and colon"
                    : "invalid character in header field name");
        }
        String name = new String(a, start, i - start, StandardCharsets.ISO_8859_1);
        String value = HttpChars.fieldValue(a, i + 1, end);
        if (value == null) {
            throw new DecodeException(HttpChars.fieldValueProblem(a, i + 1, end) + " of " + name);
        }
        into.add(name, value);
        if (into == headers) {
            framingField(name, value);
        }
    }

    private void framingField(String name, String value) throws DecodeException {
        if (name.equalsIgnoreCase(HeaderNames.CONTENT_LENGTH)) {
            // A list of identical values ("5, 5") is one length (RFC 9110 §8.6); anything else is refused.
            for (String element : value.split(",", -1)) {
                long length = contentLength(element.strip());
                if (length < 0) {
                    throw new DecodeException("Content-Length is not a number: " + value);
                }
                if (contentLength >= 0 && contentLength != length) {
                    throw new DecodeException("differing Content-Length values");
                }
                contentLength = length;
            }
        } else if (name.equalsIgnoreCase(HeaderNames.TRANSFER_ENCODING)) {
            for (String coding : value.split(",", -1)) {
                String c = coding.strip();
                if (!c.equalsIgnoreCase("chunked")) {
                    throw new DecodeException("unsupported transfer coding: \"" + c + "\" (only chunked is accepted)");
                }
                if (chunked) {
                    throw new DecodeException("chunked applied more than once");
                }
                chunked = true;
            }
        } else if (name.equalsIgnoreCase(HeaderNames.CONNECTION)) {
            HttpHeaders one = HttpHeaders.of(name, value);
            connectionClose |= one.containsToken(name, "close");
            connectionKeepAlive |= one.containsToken(name, "keep-alive");
        }
    }

    /** The digits of {@code s} as a number, or -1 if it is not 1 to 18 digits. */
    private static long contentLength(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + c - '0';
        }
        return n;
    }

    /** The head of a final response, or null for an interim (1xx) one, which is skipped. */
    private ClientResponsePart headComplete() throws DecodeException {
        if (status == 101) {
            if (!upgradeAsked) {
                throw new DecodeException("101 Switching Protocols, though the client never asked to switch");
            }
            state = State.SWITCHED;
            ClientResponsePart.Head head = new ClientResponsePart.Head(version, status, reason, headers, 0, false);
            headers = null;
            return head;
        }
        if (status < 200) {
            return null;
        }
        if (chunked && contentLength >= 0) {
            throw new DecodeException("both Content-Length and Transfer-Encoding");
        }
        boolean noBody = HttpMethod.HEAD.equals(requestMethod) || status == 204 || status == 304;
        long bodyLength = noBody ? 0 : chunked ? ClientResponsePart.CHUNKED : contentLength >= 0 ? contentLength : ClientResponsePart.UNTIL_CLOSE;
        if (bodyLength > limits.maxBodySize()) {
            throw DecodeException.limitExceeded("Content-Length " + bodyLength, "maxBodySize", limits.maxBodySize());
        }
        boolean persistent = version == HttpVersion.HTTP_1_1 ? !connectionClose : connectionKeepAlive && !connectionClose;
        ClientResponsePart.Head head = new ClientResponsePart.Head(version, status, reason, headers,
                bodyLength, persistent && bodyLength != ClientResponsePart.UNTIL_CLOSE);
        headers = null;
        if (bodyLength == ClientResponsePart.CHUNKED) {
            body.chunked(limits.maxHeaderSize() - headerBytes);
        } else if (bodyLength == ClientResponsePart.UNTIL_CLOSE) {
            body.untilClose();
        } else {
            body.fixed(bodyLength);
        }
        state = State.BODY;
        return head;
    }

    // ---- body ----

    private ClientResponsePart body(ByteBuffer in) throws DecodeException {
        ByteBuffer piece = body.read(in);
        if (piece != null) {
            return new ClientResponsePart.Body(piece);
        }
        if (!body.isDone()) {
            return null;
        }
        state = State.IDLE;
        bytesAfterEnd = in.hasRemaining();
        return new ClientResponsePart.End(body.trailers());
    }

    /** The client's errors and field rules, for the body's framing. */
    private final class BodySide implements MessageBodyParser.Side<DecodeException> {

        @Override
        public DecodeException malformed(String message) {
            return new DecodeException(message);
        }

        @Override
        public DecodeException trailersTooLarge() {
            return DecodeException.limitExceeded("trailer section", "maxHeaderSize", limits.maxHeaderSize());
        }

        @Override
        public DecodeException bodyTooLarge() {
            return DecodeException.limitExceeded("response body", "maxBodySize", limits.maxBodySize());
        }

        @Override
        public void trailerField(byte[] a, int start, int end, HttpHeaders trailers) throws DecodeException {
            headerLine(a, start, end, trailers);
        }
    }
}
