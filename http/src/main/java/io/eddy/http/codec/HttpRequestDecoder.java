package io.eddy.http.codec;

import io.eddy.core.codec.Decoder;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import io.eddy.http.HttpLimits;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.internal.HeaderValues;
import io.eddy.http.internal.HeapCopy;
import io.eddy.http.internal.HttpChars;
import io.eddy.http.internal.RecentValues;
import io.eddy.http.internal.Validated;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Decodes HTTP/1.1 requests (RFC 9112) straight from the connection's input, one line at a time,
 * without copying a head that arrived whole and without regular expressions.
 *
 * <pre>
 *            ┌───────────── no body ─────────────┐
 *            ▼                                   │
 *   ┌─▶ REQUEST_LINE ──▶ HEADERS ──┬─────────────┘
 *   │                              └── Content-Length or chunked ──▶ BODY ──┐
 *   └──────────────────────────── End (with a chunked body's trailers) ─────┘
 *   any state ── rule or limit broken ──▶ FAILED (throws HttpDecodeException once, then reads nothing)
 * </pre>
 *
 * <p>The body is read by a {@link MessageBodyParser}, the framing code the client's
 * {@link HttpResponseDecoder} shares, whose Javadoc draws its states and states the rules both
 * sides hold to: a trailer section takes what the head left of {@code maxHeaderSize}; a bare LF
 * after chunk data (as at any line's end) is read only under {@link Leniency#BARE_LF}.
 *
 * <p>It produces {@link RequestPart}s: {@link RequestPart.Head}, then for a body
 * {@link RequestPart.Body} pieces and {@link RequestPart.End}. A partial line is left in the input
 * and remembered as scanned, so a head trickling in byte by byte is still scanned once.
 *
 * <p><b>Strict by default.</b> Each of these is answered with 400 and the connection closed, never
 * guessed at: both {@code Content-Length} and {@code Transfer-Encoding}; differing or malformed
 * {@code Content-Length}s; any transfer coding but a final {@code chunked}; obs-fold; whitespace
 * before a field's colon; control characters, NUL or bare CR anywhere in the head; a target with a
 * character outside URIs that browsers never send raw (any of {@code <>"\}, a {@code #} fragment,
 * {@code %} not followed by two hex digits; {@code {}|^`[]}, which browsers do send in paths and
 * queries, are taken, as widely used servers take them); an
 * absolute-form target whose scheme is not {@code http} or {@code https} or whose authority is not a
 * host and optional port; a CONNECT target that is not a host and port; a bad chunk size or chunk
 * end, or a chunk extension that is not {@code ;name}, {@code ;name=token} or
 * {@code ;name="quoted string"} (whitespace only around {@code ;} and {@code =}); more than one
 * {@code Host}, none in HTTP/1.1, or one that is not {@code uri-host [":" port]} (empty is allowed).
 * The authority of an absolute-form (or CONNECT) target is used in place of the {@code Host},
 * which is still required and checked (the server's {@code HttpRequest.authority()}).
 * A version other than 1.0 or 1.1 gets 505, an {@code Expect} other than {@code 100-continue} 417.
 * The {@link Leniency} values relax some of these one by one, never for the fields the decoder
 * acts on ({@code Content-Length}, {@code Transfer-Encoding}, {@code Host}, {@code Connection},
 * {@code Expect}); each violation let through is reported to the {@link ViolationListener}.
 * Limits come from {@link HttpLimits}: the request line's counts its bytes without CRLF, the header
 * section's every line with its CRLF, the empty last one included.
 *
 * <p>Threading: one decoder per connection, used on its loop thread only.
 */
public final class HttpRequestDecoder implements Decoder<RequestPart> {

    private enum State { REQUEST_LINE, HEADERS, BODY, FAILED }

    private final HttpLimits limits;
    private final boolean allowBareLf;
    private final boolean allowObsFold;
    private final boolean allowSpaceBeforeColon;
    private final boolean allowMissingHost;
    private final ViolationListener violations;
    private final LineScanner lines = new LineScanner();
    /** Made for the connection's first request with a body: most connections (GETs) never need one. */
    private MessageBodyParser<HttpDecodeException> body;

    private State state = State.REQUEST_LINE;
    private boolean startReported;
    /** The decoding thread's recent values, read again at each decode call. */
    private RecentValues recent;
    /** The last request's field count: the next one's room, as a client sends the same fields again. */
    private int lastHeaderCount = 8;

    // The request being read.
    private String method;
    private String target;
    private String path;
    private String query;
    /** The authority of an absolute-form or authority-form target, else null. */
    private String targetAuthority;
    private HttpVersion version;
    private HttpHeaders headers;
    private int headerBytes;
    private int hostCount;
    private long contentLength;
    private boolean chunked;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean expectContinue;

    /** A strict decoder with the default limits. */
    public HttpRequestDecoder() {
        this(HttpLimits.defaults(), EnumSet.noneOf(Leniency.class), ViolationListener.ignore());
    }

    /** A decoder with these limits, relaxing the rules named in {@code leniencies}. */
    public HttpRequestDecoder(HttpLimits limits, Set<Leniency> leniencies, ViolationListener violations) {
        this.limits = limits;
        this.allowBareLf = leniencies.contains(Leniency.BARE_LF);
        this.allowObsFold = leniencies.contains(Leniency.OBS_FOLD);
        this.allowSpaceBeforeColon = leniencies.contains(Leniency.WHITESPACE_BEFORE_COLON);
        this.allowMissingHost = leniencies.contains(Leniency.MISSING_HOST);
        this.violations = violations;
    }

    @Override
    public RequestPart decode(ByteBuffer in) throws HttpDecodeException {
        if (in.hasArray()) {
            return decodeArray(in);
        }
        return HeapCopy.decode(in, this::decodeArray);   // not the loop's buffer: a direct one
    }

    private RequestPart decodeArray(ByteBuffer in) throws HttpDecodeException {
        recent = RecentValues.ofThread();
        try {
            switch (state) {
                case REQUEST_LINE:
                case HEADERS:
                    return decodeHead(in);
                case BODY:
                    return body(in);
                case FAILED:
                default:
                    in.position(in.limit());
                    return null;
            }
        } catch (HttpDecodeException e) {
            state = State.FAILED;
            throw e;
        }
    }

    // ---- head ----

    private RequestPart decodeHead(ByteBuffer in) throws HttpDecodeException {
        byte[] a = in.array();
        int base = in.arrayOffset();
        while (true) {
            int start = base + in.position();
            int end = base + in.limit();
            if (state == State.REQUEST_LINE && !lines.inLine()) {
                // RFC 9112 §2.2: ignore empty lines before a request line (of a bare LF only if tolerated).
                while (start < end && ((a[start] == '\n' && allowBareLf)
                        || (a[start] == '\r' && start + 1 < end && a[start + 1] == '\n'))) {
                    if (a[start] == '\n') {
                        violations.onViolation(Leniency.BARE_LF, "empty line of a bare LF before a request line");
                    }
                    start += a[start] == '\r' ? 2 : 1;
                }
                in.position(start - base);
                if (start == end || (a[start] == '\r' && start + 1 == end)) {
                    return null;
                }
            }
            // The request line's limit counts its content; the header section's, its lines with their CRLFs.
            int max = state == State.REQUEST_LINE ? limits.maxRequestLineLength() + 2 : limits.maxHeaderSize() - headerBytes;
            int lf = lines.lineFeed(a, start, end, max);
            if (lf == LineScanner.TOO_LONG) {
                throw tooLong();
            }
            if (lf < 0) {
                if (!startReported) {
                    startReported = true;
                    return RequestPart.Started.INSTANCE;
                }
                return null;
            }
            int lineEnd = lineContentEnd(a, start, lf);
            in.position(lf + 1 - base);
            if (state == State.REQUEST_LINE) {
                if (lineEnd - start > limits.maxRequestLineLength()) {
                    throw tooLong(); // ended by a bare LF, one byte shorter than CRLF
                }
                requestLine(a, start, lineEnd);
                state = State.HEADERS;
            } else {
                headerBytes += lf + 1 - start;
                if (lineEnd == start) {
                    return headComplete();
                }
                headerLine(a, start, lineEnd, headers);
            }
        }
    }

    private HttpDecodeException tooLong() {
        if (state == State.REQUEST_LINE) {
            return HttpDecodeException.limit(HttpStatus.URI_TOO_LONG, "request line", "maxRequestLineLength",
                    limits.maxRequestLineLength());
        }
        return HttpDecodeException.limit(HttpStatus.HEADER_FIELDS_TOO_LARGE, "header section", "maxHeaderSize",
                limits.maxHeaderSize());
    }

    /** Where the line's content ends: before its CR LF (or lone LF, if tolerated). */
    private int lineContentEnd(byte[] a, int start, int lf) throws HttpDecodeException {
        if (lf > start && a[lf - 1] == '\r') {
            return lf - 1;
        }
        if (!allowBareLf) {
            throw HttpDecodeException.badRequest("line ended by a bare LF (expected CRLF)");
        }
        violations.onViolation(Leniency.BARE_LF, "line ended by a bare LF");
        return lf;
    }

    private void requestLine(byte[] a, int start, int end) throws HttpDecodeException {
        int i = start;
        while (i < end && HttpChars.isToken(a[i])) {
            i++;
        }
        if (i == start || i == end || a[i] != ' ') {
            throw HttpDecodeException.badRequest(i == start ? "request line does not start with a method"
                    : "invalid character in method");
        }
        method = method(a, start, i - start);
        int targetStart = ++i;
        while (true) {
            while (i < end && HttpChars.isTarget(a[i])) {
                i++;
            }
            if (i < end && HttpChars.isPctEncoded(a, i, end)) {
                i += 3;
            } else {
                break;
            }
        }
        if (i == targetStart || i == end || a[i] != ' ') {
            throw HttpDecodeException.badRequest(i == targetStart ? "empty request target"
                    : i == end ? "request line has no version"
                    : a[i] == '%' ? "'%' not followed by two hex digits in request target"
                    : a[i] == '#' ? "fragment in request target" : "invalid character in request target");
        }
        target = recent.checkedText(a, targetStart, i);
        version = version(a, i + 1, end);
        splitTarget();
        headers = new HttpHeaders(lastHeaderCount);
        headerBytes = 0;
        hostCount = 0;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
    }

    private static String method(byte[] a, int from, int length) {
        switch (length) {
            case 3:
                if (a[from] == 'G' && a[from + 1] == 'E' && a[from + 2] == 'T') {
                    return HttpMethod.GET;
                }
                if (a[from] == 'P' && a[from + 1] == 'U' && a[from + 2] == 'T') {
                    return HttpMethod.PUT;
                }
                break;
            case 4:
                if (HttpChars.startsWith(a, from, "POST")) {
                    return HttpMethod.POST;
                }
                if (HttpChars.startsWith(a, from, "HEAD")) {
                    return HttpMethod.HEAD;
                }
                break;
            case 5:
                if (HttpChars.startsWith(a, from, "PATCH")) {
                    return HttpMethod.PATCH;
                }
                if (HttpChars.startsWith(a, from, "TRACE")) {
                    return HttpMethod.TRACE;
                }
                break;
            case 6:
                if (HttpChars.startsWith(a, from, "DELETE")) {
                    return HttpMethod.DELETE;
                }
                break;
            case 7:
                if (HttpChars.startsWith(a, from, "OPTIONS")) {
                    return HttpMethod.OPTIONS;
                }
                if (HttpChars.startsWith(a, from, "CONNECT")) {
                    return HttpMethod.CONNECT;
                }
                break;
            default:
                break;
        }
        return new String(a, from, length, StandardCharsets.ISO_8859_1);
    }

    private static HttpVersion version(byte[] a, int from, int end) throws HttpDecodeException {
        if (end - from == 8 && HttpChars.startsWith(a, from, "HTTP/1.")) {
            if (a[from + 7] == '1') {
                return HttpVersion.HTTP_1_1;
            }
            if (a[from + 7] == '0') {
                return HttpVersion.HTTP_1_0;
            }
        }
        if (end - from == 8 && HttpChars.startsWith(a, from, "HTTP/") && isDigit(a[from + 5]) && a[from + 6] == '.'
                && isDigit(a[from + 7])) {
            throw new HttpDecodeException(HttpStatus.HTTP_VERSION_NOT_SUPPORTED,
                    "HTTP version " + new String(a, from + 5, 3, StandardCharsets.ISO_8859_1) + " is not supported");
        }
        throw HttpDecodeException.badRequest("malformed HTTP version");
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Splits the target into path and query by its form (RFC 9112 §3.2), and takes the authority
     * of an absolute-form or authority-form target.
     */
    private void splitTarget() throws HttpDecodeException {
        boolean connect = HttpMethod.CONNECT.equals(method);
        targetAuthority = null;
        if (target.charAt(0) == '/' && !connect) {
            splitPathAndQuery(target, 0);
        } else if (target.equals("*")) {
            if (!HttpMethod.OPTIONS.equals(method)) {
                throw HttpDecodeException.badRequest("asterisk-form target is only for OPTIONS");
            }
            path = "*";
            query = null;
        } else if (connect) {
            if (!isHostAndPort(target)) {
                throw HttpDecodeException.badRequest("CONNECT needs an authority-form target (host:port)");
            }
            targetAuthority = target;
            path = "";
            query = null;
        } else {
            absoluteForm();
        }
    }

    /** An absolute-form target: an http or https URI with a host (RFC 9110 §4.2, RFC 9112 §3.2.2). */
    private void absoluteForm() throws HttpDecodeException {
        int colon = target.indexOf(':');
        if (colon <= 0 || !target.startsWith("//", colon + 1)) {
            throw HttpDecodeException.badRequest("request target is neither a path nor an absolute URI");
        }
        if (!(colon == 4 && target.regionMatches(true, 0, "http", 0, 4))
                && !(colon == 5 && target.regionMatches(true, 0, "https", 0, 5))) {
            throw HttpDecodeException.badRequest("absolute-form target of a scheme other than http or https");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/' && target.charAt(authorityEnd) != '?') {
            authorityEnd++;
        }
        // A host is required (RFC 9110 §4.2.1); user info is not a host's, so it is refused too.
        if (HttpChars.hostLength(target, authorityStart, authorityEnd) <= 0) {
            throw HttpDecodeException.badRequest("invalid authority in request target: " + target.substring(authorityStart, authorityEnd));
        }
        targetAuthority = target.substring(authorityStart, authorityEnd);
        if (authorityEnd == target.length() || target.charAt(authorityEnd) == '?') {
            path = "/";
            query = authorityEnd == target.length() ? null : target.substring(authorityEnd + 1);
        } else {
            splitPathAndQuery(target, authorityEnd);
        }
    }

    /**
     * Whether {@code authority} is CONNECT's {@code uri-host ":" port} (RFC 9112 §3.2.3): a host,
     * and a port from 1 to 65535 (RFC 9110 §9.3.6 refuses an empty or invalid one).
     */
    private static boolean isHostAndPort(String authority) {
        int n = authority.length();
        int host = HttpChars.hostLength(authority, 0, n);
        if (host <= 0 || host + 1 >= n) {
            return false;
        }
        int port = 0;
        for (int i = host + 1; i < n && port <= 0xffff; i++) {
            port = port * 10 + authority.charAt(i) - '0';
        }
        return port > 0 && port <= 0xffff;
    }

    private void splitPathAndQuery(String t, int from) {
        int q = t.indexOf('?', from);
        if (q < 0) {
            path = from == 0 ? t : t.substring(from);
            query = null;
        } else {
            path = t.substring(from, q);
            query = t.substring(q + 1);
        }
    }

    /** One field line, checked, into {@code into}; tracks the fields that frame the message. */
    private void headerLine(byte[] a, int start, int end, HttpHeaders into) throws HttpDecodeException {
        if (a[start] == ' ' || a[start] == '\t') {
            obsFold(a, start, end, into);
            return;
        }
        if (into.size() >= limits.maxHeaderCount()) {
            throw HttpDecodeException.limit(HttpStatus.HEADER_FIELDS_TOO_LARGE, "number of header fields",
                    "maxHeaderCount", limits.maxHeaderCount());
        }
        int i = start;
        while (i < end && HttpChars.isToken(a[i])) {
            i++;
        }
        int nameEnd = i;
        boolean padded = i < end && (a[i] == ' ' || a[i] == '\t') && i > start;
        if (padded) {
            if (!allowSpaceBeforeColon) {
                throw HttpDecodeException.badRequest("whitespace between header field name and colon");
            }
            while (i < end && (a[i] == ' ' || a[i] == '\t')) {
                i++;
            }
        }
        if (i == end || a[i] != ':' || nameEnd == start) {
            throw HttpDecodeException.badRequest(nameEnd == start ? "empty or invalid header field name"
                    : "invalid character in header field name");
        }
        String name = KnownHeaderNames.intern(a, start, nameEnd - start);
        if (padded) {
            if (into == headers && isReadByDecoder(name)) {
                throw HttpDecodeException.badRequest("whitespace before the colon of " + name);
            }
            violations.onViolation(Leniency.WHITESPACE_BEFORE_COLON, "whitespace before the colon of " + name);
        }
        String value = fieldValue(a, i + 1, end, KnownHeaderNames.isCredential(name));
        into.addTrusted(name, value, Validated.BY_DECODER);
        if (into == headers) {
            framingField(name, value);
        }
    }

    private void obsFold(byte[] a, int start, int end, HttpHeaders into) throws HttpDecodeException {
        if (!allowObsFold) {
            throw HttpDecodeException.badRequest("obs-fold (a header line starting with whitespace)");
        }
        if (into.isEmpty()) {
            throw HttpDecodeException.badRequest("obs-fold before any header field");
        }
        int last = into.size() - 1;
        String name = into.name(last);
        if (into == headers && isReadByDecoder(name)) {
            throw HttpDecodeException.badRequest("obs-fold in header " + name);
        }
        violations.onViolation(Leniency.OBS_FOLD, "value of " + name + " folded onto a new line");
        // RFC 9112 §5.2: the fold becomes one SP; the whitespace around it is not part of the value.
        String value = into.value(last);
        String more = fieldValue(a, start, end, KnownHeaderNames.isCredential(name));
        into.replaceValue(last, more.isEmpty() ? value : value.isEmpty() ? more : value + " " + more, Validated.BY_DECODER);
    }

    /**
     * The fields this decoder acts on (framing, Host, persistence, expectation): a tolerated
     * violation never decides how a message is framed or routed, so these stay strict.
     */
    private static boolean isReadByDecoder(String name) {
        return name.equalsIgnoreCase(HeaderNames.CONTENT_LENGTH) || name.equalsIgnoreCase(HeaderNames.TRANSFER_ENCODING)
                || name.equalsIgnoreCase(HeaderNames.HOST) || name.equalsIgnoreCase(HeaderNames.CONNECTION)
                || name.equalsIgnoreCase(HeaderNames.EXPECT);
    }

    /**
     * The value between {@code from} and {@code end}, without surrounding whitespace; checked. A
     * credential's value is always a string of its own (see {@link KnownHeaderNames#isCredential}).
     */
    private String fieldValue(byte[] a, int from, int end, boolean credential) throws HttpDecodeException {
        String value = credential ? HttpChars.fieldValue(a, from, end) : recent.fieldValue(a, from, end);
        if (value == null) {
            throw HttpDecodeException.badRequest(HttpChars.fieldValueProblem(a, from, end));
        }
        return value;
    }

    private void framingField(String name, String value) throws HttpDecodeException {
        // Names from the lookup are the constants; others compare by case.
        if (name == HeaderNames.HOST) {
            // uri-host [ ":" port ], perhaps empty (RFC 9110 §7.2); checked even when an
            // absolute-form target's authority takes its place (RFC 9112 §3.2).
            hostCount++;
            if (HttpChars.hostLength(value, 0, value.length()) < 0) {
                throw HttpDecodeException.badRequest("invalid Host: " + value);
            }
        } else if (name == HeaderNames.CONTENT_LENGTH) {
            contentLength(value);
        } else if (name == HeaderNames.TRANSFER_ENCODING) {
            transferEncoding(value);
        } else if (name == HeaderNames.CONNECTION) {
            connectionClose |= HeaderValues.hasToken(value, "close");
            connectionKeepAlive |= HeaderValues.hasToken(value, "keep-alive");
        } else if (name == HeaderNames.EXPECT) {
            if (!value.equalsIgnoreCase("100-continue")) {
                throw new HttpDecodeException(HttpStatus.EXPECTATION_FAILED, "unsupported expectation: " + value);
            }
            expectContinue = true;
        }
    }

    private void contentLength(String value) throws HttpDecodeException {
        // A list of identical values ("5, 5") is one length (RFC 9110 §8.6); anything else is refused.
        int i = 0;
        int n = value.length();
        do {
            int start = i;
            long length = 0;
            while (i < n && isDigit((byte) value.charAt(i))) {
                if (i - start == 18) {
                    throw HttpDecodeException.badRequest("Content-Length too large: " + value);
                }
                length = length * 10 + (value.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                throw HttpDecodeException.badRequest("Content-Length is not a number: " + value);
            }
            if (contentLength >= 0 && contentLength != length) {
                throw HttpDecodeException.badRequest("differing Content-Length values");
            }
            contentLength = length;
            while (i < n && value.charAt(i) == ' ') {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                throw HttpDecodeException.badRequest("Content-Length is not a number: " + value);
            }
            i++;
            while (i < n && value.charAt(i) == ' ') {
                i++;
            }
        } while (i < n);
        if (value.endsWith(",")) {
            throw HttpDecodeException.badRequest("Content-Length is not a number: " + value);
        }
    }

    private void transferEncoding(String value) throws HttpDecodeException {
        // Only "chunked", once, last: any other coding could not be framed safely.
        for (String coding : value.split(",", -1)) {
            String c = coding.strip();
            if (!c.equalsIgnoreCase("chunked")) {
                throw HttpDecodeException.badRequest("unsupported transfer coding: \"" + c + "\" (only chunked is accepted)");
            }
            if (chunked) {
                throw HttpDecodeException.badRequest("chunked applied more than once");
            }
            chunked = true;
        }
    }

    private RequestPart headComplete() throws HttpDecodeException {
        // RFC 9112 §3.2: more than one Host is refused whatever the version, none only in HTTP/1.1.
        if (hostCount > 1) {
            throw HttpDecodeException.badRequest("more than one Host header");
        }
        if (version == HttpVersion.HTTP_1_1 && hostCount == 0) {
            if (!allowMissingHost) {
                throw HttpDecodeException.badRequest("HTTP/1.1 request without a Host header");
            }
            violations.onViolation(Leniency.MISSING_HOST, "HTTP/1.1 request without a Host header");
        }
        if (chunked && contentLength >= 0) {
            throw HttpDecodeException.badRequest("both Content-Length and Transfer-Encoding");
        }
        if (chunked && version == HttpVersion.HTTP_1_0) {
            throw HttpDecodeException.badRequest("Transfer-Encoding in an HTTP/1.0 request");
        }
        boolean keepAlive = version == HttpVersion.HTTP_1_1 ? !connectionClose : connectionKeepAlive && !connectionClose;
        long bodyLength = chunked ? -1 : Math.max(contentLength, 0);
        RequestPart.Head head = new RequestPart.Head(method, target, path, query, version, headers, targetAuthority,
                bodyLength, keepAlive, expectContinue && version == HttpVersion.HTTP_1_1 && bodyLength != 0);
        startReported = false;
        lastHeaderCount = Math.max(1, headers.size());
        headers = null;
        if (chunked) {
            bodyParser().chunked(limits.maxHeaderSize() - headerBytes);
            state = State.BODY;
        } else if (bodyLength > 0) {
            bodyParser().fixed(bodyLength);
            state = State.BODY;
        } else {
            state = State.REQUEST_LINE;
        }
        return head;
    }

    // ---- body ----

    private MessageBodyParser<HttpDecodeException> bodyParser() {
        if (body == null) {
            // The server reads no body limit here: a streamed body has none, a gathered one is
            // counted by the connection that gathers it.
            body = new MessageBodyParser<>(new BodySide(), allowBareLf, violations, Long.MAX_VALUE);
        }
        return body;
    }

    private RequestPart body(ByteBuffer in) throws HttpDecodeException {
        ByteBuffer piece = body.read(in);
        if (piece != null) {
            return new RequestPart.Body(piece);
        }
        if (!body.isDone()) {
            return null;
        }
        state = State.REQUEST_LINE;
        return new RequestPart.End(body.trailers());
    }

    /** The server's errors and field rules, for the body's framing. */
    private final class BodySide implements MessageBodyParser.Side<HttpDecodeException> {

        @Override
        public HttpDecodeException malformed(String message) {
            return HttpDecodeException.badRequest(message);
        }

        @Override
        public HttpDecodeException trailersTooLarge() {
            return HttpDecodeException.limit(HttpStatus.HEADER_FIELDS_TOO_LARGE, "header section", "maxHeaderSize",
                    limits.maxHeaderSize());
        }

        @Override
        public HttpDecodeException bodyTooLarge() {
            return HttpDecodeException.limit(HttpStatus.CONTENT_TOO_LARGE, "body", "maxBodySize", Long.MAX_VALUE);
        }

        @Override
        public void trailerField(byte[] a, int start, int end, HttpHeaders trailers) throws HttpDecodeException {
            headerLine(a, start, end, trailers);
        }
    }
}
