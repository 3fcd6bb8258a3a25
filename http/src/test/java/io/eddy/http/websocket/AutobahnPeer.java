package io.eddy.http.websocket;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The scripted raw-socket peer of the conformance suite: plays one {@link AutobahnCase} against
 * Eddy over a real socket, as the client (its frames masked) against Eddy's server, or as the
 * server (unmasked) against Eddy's client, with a handshake and a frame reader of its own (Eddy's
 * codec is what is under test), and judges what came back as Autobahn does.
 *
 * <p>Threading: {@link #asClient} and {@link #asServer} block the calling test thread; each run
 * reads on one thread of its own, which ends with the run.
 */
final class AutobahnPeer {

    /** Autobahn's grades. */
    enum Verdict {
        /** As the case expects. */
        OK,
        /** Right in the end, but not as soon as it should have been (a late fail, a TCP drop for a close frame). */
        NON_STRICT,
        /** The endpoint did not agree to the case's compression settings. */
        UNIMPLEMENTED,
        /** Wrong. */
        FAILED
    }

    /** One case's verdict and why. */
    record Result(AutobahnCase testCase, Verdict verdict, String detail) {
        @Override
        public String toString() {
            return testCase.id() + " " + verdict + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /** How long the peer waits for anything the endpoint owes it. */
    static final int PATIENCE_MILLIS = 20_000;
    /** How long a {@link AutobahnCase.FailFast} step waits for the close frame (Autobahn waits 1 s). */
    private static final int FAIL_FAST_MILLIS = 2_000;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final AutobahnCase testCase;
    private final Socket socket;
    /** True when the peer is the client: it masks, and the endpoint must not. */
    private final boolean client;
    private final OutputStream out;
    private final List<AutobahnCase.Received> received = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final CountDownLatch closeArrived = new CountDownLatch(1);
    private Deflater deflater;
    private boolean deflaterReset;
    private Inflater inflater;
    private boolean inflaterReset;
    private volatile Integer closeCode;
    private volatile boolean peerSentClose;
    /** Whether the endpoint closed TCP (the peer read the end of the stream). */
    private volatile boolean endpointClosedTcp;
    private String ending = "";

    private AutobahnPeer(AutobahnCase testCase, Socket socket, boolean client) throws IOException {
        this.testCase = testCase;
        this.socket = socket;
        this.client = client;
        this.out = socket.getOutputStream();
        socket.setSoTimeout(PATIENCE_MILLIS);
        socket.setTcpNoDelay(true);
    }

    /** Plays {@code testCase} as a client against the server at {@code address}, on {@code path}. */
    static Result asClient(AutobahnCase testCase, InetSocketAddress address, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, PATIENCE_MILLIS);
            AutobahnPeer peer = new AutobahnPeer(testCase, socket, true);
            String key = Base64.getEncoder().encodeToString("autobahn-case-key".substring(0, 16).getBytes(StandardCharsets.US_ASCII));
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":"
                    + address.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n");
            if (testCase.deflate() != null) {
                request.append("Sec-WebSocket-Extensions: ").append(testCase.deflate().offer()).append("\r\n");
            }
            peer.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            List<String> head = readHead(socket.getInputStream());
            if (!head.get(0).startsWith("HTTP/1.1 101") || !accept(key).equals(header(head, "sec-websocket-accept"))) {
                return new Result(testCase, Verdict.FAILED, "handshake answered " + head);
            }
            String agreed = header(head, "sec-websocket-extensions");
            if (agreed != null) {
                var params = DeflateParams.params(agreed);
                // What the peer offered binds it too: Autobahn's offers say client_no_context_takeover.
                peer.useDeflate(params.contains("client_no_context_takeover") || offered(testCase, "client_no_context_takeover"),
                        params.contains("server_no_context_takeover"));
            }
            return peer.play();
        }
    }

    /** Plays {@code testCase} as the server of the one client {@code listening} accepts. */
    static Result asServer(AutobahnCase testCase, ServerSocket listening) throws IOException {
        listening.setSoTimeout(PATIENCE_MILLIS);
        try (Socket socket = listening.accept()) {
            AutobahnPeer peer = new AutobahnPeer(testCase, socket, false);
            List<String> head = readHead(socket.getInputStream());
            String key = header(head, "sec-websocket-key");
            if (key == null || !head.get(0).startsWith("GET ")) {
                return new Result(testCase, Verdict.FAILED, "not a WebSocket handshake: " + head);
            }
            String answer = testCase.deflate() == null ? null : testCase.deflate().answer(header(head, "sec-websocket-extensions"));
            peer.out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept(key) + "\r\n" + (answer == null ? "" : "Sec-WebSocket-Extensions: " + answer + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (answer != null) {
                var params = DeflateParams.params(answer);
                peer.useDeflate(params.contains("server_no_context_takeover"), params.contains("client_no_context_takeover"));
            }
            return peer.play();
        }
    }

    private static boolean offered(AutobahnCase testCase, String param) {
        return testCase.deflate() != null && testCase.deflate().offer().contains(param);
    }

    /** Compression agreed: whether each side starts every message afresh. */
    private void useDeflate(boolean clientFresh, boolean serverFresh) {
        deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        inflater = new Inflater(true);
        deflaterReset = client ? clientFresh : serverFresh;
        inflaterReset = client ? serverFresh : clientFresh;
    }

    private Result play() throws IOException {
        if (testCase.deflate() != null && deflater == null) {
            return new Result(testCase, Verdict.UNIMPLEMENTED, "the endpoint did not agree to " + testCase.deflate());
        }
        Thread reader = new Thread(this::read, "autobahn-" + testCase.id());
        reader.setDaemon(true);
        reader.start();
        String late = "";
        try {
            for (AutobahnCase.Step step : testCase.steps()) {
                if (step instanceof AutobahnCase.FailFast) {
                    if (!closeArrived.await(FAIL_FAST_MILLIS, TimeUnit.MILLISECONDS)) {
                        late = "did not fail the connection before the rest was sent";
                    }
                } else if (step instanceof AutobahnCase.Frame frame) {
                    send(frame.firstByte(), frame.payload(), frame.chunk());
                } else if (step instanceof AutobahnCase.Slice slice) {
                    sendSlice(slice);
                } else if (step instanceof AutobahnCase.Message message) {
                    sendMessage(message);
                }
            }
            if (testCase.expect().peerCloses()) {
                send(AutobahnCase.FIN | Frame.CLOSE, new byte[] {0x03, (byte) 0xe8}, 0);
            }
        } catch (IOException endpointClosed) {
            // A failing endpoint may close before the rest of the script is written: judged below.
            ending = "(writing: " + endpointClosed.getMessage() + ") ";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            reader.join(PATIENCE_MILLIS + 5_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return judge(late);
    }

    private Result judge(String late) {
        AutobahnCase.Expect expect = testCase.expect();
        synchronized (this) {
            if (!violations.isEmpty()) {
                return new Result(testCase, Verdict.FAILED, String.join("; ", violations));
            }
            if (!received.equals(expect.received())) {
                return new Result(testCase, Verdict.FAILED, "expected " + summary(expect.received()) + ", received " + summary(received)
                        + (closeCode == null ? "" : " then close " + closeCode));
            }
        }
        if (closeCode == null) {
            // Autobahn lets an endpoint that fails the connection drop TCP without a close frame.
            return new Result(testCase, expect.peerCloses() ? Verdict.FAILED : Verdict.NON_STRICT,
                    "no close frame: " + ending + "; expected close " + expect.closeCodes());
        }
        if (!expect.closeCodes().contains(closeCode)) {
            return new Result(testCase, Verdict.FAILED, "closed with " + closeCode + ", expected " + expect.closeCodes());
        }
        if (client && !endpointClosedTcp) {
            // After the close handshake the server closes TCP first (RFC 6455 section 7.1.1).
            return new Result(testCase, Verdict.FAILED, "the server did not close TCP after the close handshake: " + ending);
        }
        return late.isEmpty() ? new Result(testCase, Verdict.OK, "") : new Result(testCase, Verdict.NON_STRICT, late);
    }

    private static String summary(List<AutobahnCase.Received> messages) {
        if (messages.size() <= 4) {
            return messages.toString();
        }
        return messages.size() + " messages and pongs, from " + messages.get(0) + " to " + messages.get(messages.size() - 1);
    }

    // ---- writing ----

    private void sendMessage(AutobahnCase.Message message) throws IOException {
        byte[] payload = message.payload();
        boolean compressed = deflater != null;
        if (compressed) {
            payload = compress(payload);
        }
        int fragment = message.fragment() == 0 ? Math.max(1, payload.length) : message.fragment();
        int at = 0;
        do {
            int length = Math.min(fragment, payload.length - at);
            boolean first = at == 0;
            boolean last = at + length == payload.length;
            int opcode = first ? (message.text() ? Frame.TEXT : Frame.BINARY) : Frame.CONTINUATION;
            byte[] piece = Arrays.copyOfRange(payload, at, at + length);
            send((last ? AutobahnCase.FIN : 0) | (first && compressed ? AutobahnCase.RSV1 : 0) | opcode, piece, 0);
            at += length;
        } while (at < payload.length);
    }

    private byte[] compress(byte[] payload) {
        deflater.setInput(payload);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            compressed.write(buffer, 0, n);
        } while (n == buffer.length);
        if (deflaterReset) {
            deflater.reset();
        }
        byte[] bytes = compressed.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - TAIL.length); // the receiver puts 00 00 ff ff back
    }

    private void sendSlice(AutobahnCase.Slice slice) throws IOException {
        byte[] frame = WireFrames.frame(slice.firstByte(), slice.payload(), client);
        int header = frame.length - slice.payload().length;
        int from = slice.from() == 0 ? 0 : header + slice.from();
        synchronized (out) {
            out.write(frame, from, header + slice.to() - from);
            out.flush();
        }
    }

    /** One frame, masked when the peer is the client, in writes of {@code chunk} bytes (0: one write). */
    private void send(int firstByte, byte[] payload, int chunk) throws IOException {
        byte[] frame = WireFrames.frame(firstByte, payload, client);
        if ((firstByte & 0x0f) == Frame.CLOSE) {
            peerSentClose = true;
        }
        synchronized (out) {
            if (chunk == 0) {
                out.write(frame);
            } else {
                for (int at = 0; at < frame.length; at += chunk) {
                    out.write(frame, at, Math.min(chunk, frame.length - at));
                    out.flush();
                }
            }
            out.flush();
        }
    }

    // ---- reading, on the reader thread ----

    private void read() {
        try {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream message = null;
            int messageOpcode = 0;
            boolean messageCompressed = false;
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    ending = "the endpoint closed TCP";
                    endpointClosedTcp = true;
                    return;
                }
                int b1 = readByte(in);
                boolean fin = (b0 & 0x80) != 0;
                int rsv = b0 & 0x70;
                int opcode = b0 & 0x0f;
                boolean masked = (b1 & 0x80) != 0;
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = (readByte(in) << 8) | readByte(in);
                } else if (length == 127) {
                    length = ByteBuffer.wrap(in.readNBytes(8)).getLong();
                }
                if (masked == client) {
                    violation("a frame " + (masked ? "masked by a server" : "unmasked by a client"));
                }
                byte[] mask = masked ? in.readNBytes(4) : null;
                if (length > 64L << 20) {
                    violation("a frame of " + length + " bytes");
                    return;
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length < length) {
                    throw new EOFException("inside a frame");
                }
                for (int i = 0; mask != null && i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                boolean starts = opcode == Frame.TEXT || opcode == Frame.BINARY;
                if (rsv != 0 && !(rsv == AutobahnCase.RSV1 && inflater != null && starts)) {
                    violation("reserved bits " + Integer.toHexString(rsv) + " on opcode " + opcode);
                }
                if (closeCode != null) {
                    violation("a frame of opcode " + opcode + " after the close frame");
                    continue;
                }
                if (opcode == Frame.CLOSE) {
                    onClose(payload);
                    continue;
                }
                if (opcode == Frame.PONG || opcode == Frame.PING) {
                    add(new AutobahnCase.Received(opcode, payload));
                    continue;
                }
                if (starts == (message != null) || !starts && opcode != Frame.CONTINUATION) {
                    violation("opcode " + opcode + (message != null ? " inside a message" : " with no message begun"));
                    return;
                }
                if (starts) {
                    message = new ByteArrayOutputStream();
                    messageOpcode = opcode;
                    messageCompressed = rsv == AutobahnCase.RSV1;
                }
                message.write(payload);
                if (fin) {
                    byte[] bytes = messageCompressed ? inflate(message.toByteArray()) : message.toByteArray();
                    add(new AutobahnCase.Received(messageOpcode, bytes));
                    message = null;
                }
            }
        } catch (IOException e) {
            // After the close handshake the peer may have closed the socket itself: no failure then.
            // As a client the peer never does, so anything but a timeout is the endpoint's reset.
            ending = closeCode != null ? "closed" : "reading: " + e;
            endpointClosedTcp = client && !(e instanceof SocketTimeoutException);
        } catch (DataFormatException e) {
            violation("a compressed message that does not inflate: " + e.getMessage());
        } finally {
            closeArrived.countDown();
        }
    }

    private void onClose(byte[] payload) throws IOException {
        closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : CloseCodes.NO_STATUS;
        closeArrived.countDown();
        if (!peerSentClose) {
            // The endpoint began the close: answer it, as Autobahn does (it may have gone already).
            try {
                send(AutobahnCase.FIN | Frame.CLOSE, Arrays.copyOf(payload, Math.min(2, payload.length)), 0);
            } catch (IOException gone) {
                ending = "closed";
            }
        }
        if (!client) {
            socket.close(); // the server closes TCP first, once the close handshake is done
        }
    }

    private byte[] inflate(byte[] compressed) throws DataFormatException {
        inflater.setInput(compressed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (byte[] input : new byte[][] {null, TAIL}) {
            if (input != null) {
                inflater.setInput(input);
            }
            while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(buffer);
                out.write(buffer, 0, n);
            }
        }
        if (inflaterReset || inflater.finished()) {
            inflater.reset();
        }
        return out.toByteArray();
    }

    private synchronized void add(AutobahnCase.Received message) {
        received.add(message);
    }

    private synchronized void violation(String what) {
        violations.add(what);
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("inside a frame header");
        }
        return b;
    }

    // ---- the handshake ----

    /** The lines of an HTTP head, read byte by byte so that not one byte after it is taken. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the handshake ended early: " + lines);
            }
            if (b == '\n') {
                String text = line.toString().strip();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
