package io.eddy.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's traffic, every kind at once against one server, each at a fixed modest rate (a few
 * thousand answers a second in all, so that client and server together take well under a core):
 *
 * <table>
 *   <caption>What runs at once</caption>
 *   <tr><th>kind</th><th>connections</th><th>rate</th></tr>
 *   <tr><td>keep-alive HTTP</td><td>16</td><td>1,000 requests/s, one outstanding per connection</td></tr>
 *   <tr><td>pipelined HTTP</td><td>4</td><td>800 requests/s, in bursts of 16</td></tr>
 *   <tr><td>connection churn</td><td>a new one each time</td><td>50 connections/s: connect, one HTTP request or line, close</td></tr>
 *   <tr><td>slow readers</td><td>4, with 16 KiB receive buffers</td><td>{@code GET /bulk} (1 MiB), read at 64 KiB/s each</td></tr>
 *   <tr><td>idle connections</td><td>100 HTTP, 100 line echo</td><td>each one exchange every 30 s (below HTTP's 60 s idle timeout)</td></tr>
 *   <tr><td>line echo</td><td>8</td><td>500 lines/s</td></tr>
 *   <tr><td>UDP echo</td><td>one socket</td><td>500 datagrams/s, one in flight</td></tr>
 * </table>
 *
 * <p>Every answer is checked whole ({@link Protocol}: status, framing and body; echoes byte for
 * byte; the bulk body against {@link BulkBody}). A wrong answer is counted as wrong and its
 * connection made anew; a connection the server closed or reset, or an answer that did not come
 * within {@value #TIMEOUT_MILLIS} ms, counts as failed; a datagram whose echo did not come within
 * {@value #UDP_TIMEOUT_MILLIS} ms counts as lost (UDP may lose, and loopback does under load).
 *
 * <p>Threading: one thread per connection that paces itself (blocking sockets, parked between
 * requests), plus one for churn, one for the idle connections and one for UDP; {@link #tally()}
 * may be read from any thread.
 */
final class SoakLoad implements AutoCloseable {

    /** What the soak sends. */
    enum Kind {
        KEEP_ALIVE("keep-alive HTTP"), PIPELINED("pipelined HTTP"), CHURN("connection churn"),
        SLOW_READERS("slow readers (1 MiB bodies)"), IDLE("idle connections"), LINE("line echo"), UDP("UDP echo");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static final int TIMEOUT_MILLIS = 10_000;
    static final int UDP_TIMEOUT_MILLIS = 200;
    private static final int PIPELINE_DEPTH = 16;
    private static final int IDLE_EACH = 100;
    private static final long IDLE_PERIOD_NANOS = 30_000_000_000L;
    private static final int SLOW_READ_BYTES = 4096;
    private static final long SLOW_READ_RATE = 64 * 1024;

    /** The counts so far: answers by kind, wrong answers, failures, datagrams lost, the first problem. */
    static final class Tally {
        private final Map<Kind, LongAdder> answered = new EnumMap<>(Kind.class);
        private final AtomicLong wrong = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong lost = new AtomicLong();
        private final AtomicReference<String> firstProblem = new AtomicReference<>();

        Tally() {
            for (Kind kind : Kind.values()) {
                answered.put(kind, new LongAdder());
            }
        }

        long answered(Kind kind) {
            return answered.get(kind).sum();
        }

        long answered() {
            long sum = 0;
            for (LongAdder count : answered.values()) {
                sum += count.sum();
            }
            return sum;
        }

        long wrong() {
            return wrong.get();
        }

        long failed() {
            return failed.get();
        }

        long lost() {
            return lost.get();
        }

        /** The first wrong answer or failure, described; null when there was none. */
        String firstProblem() {
            return firstProblem.get();
        }

        private void problem(AtomicLong count, Kind kind, Exception e) {
            count.incrementAndGet();
            firstProblem.compareAndSet(null, kind.label + ": " + e);
        }
    }

    private final InetSocketAddress http;
    private final InetSocketAddress line;
    private final InetSocketAddress udp;
    private final byte[] plaintext;
    private final byte[] pipelined;
    private final byte[] bulk;
    private final Protocol answers;
    private final Protocol echo = Protocol.lineEcho();
    private final Tally tally = new Tally();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private volatile boolean running = true;

    private SoakLoad(InetSocketAddress http, InetSocketAddress line, InetSocketAddress udp) {
        this.http = http;
        this.line = line;
        this.udp = udp;
        String host = "127.0.0.1:" + http.getPort();
        this.plaintext = PlaintextRequest.bytes(host);
        this.pipelined = PlaintextRequest.pipelined(host, PIPELINE_DEPTH);
        this.answers = Protocol.plaintext(host);
        this.bulk = ("GET " + BulkBody.PATH + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts every kind of traffic against the server's three ports. */
    static SoakLoad start(InetSocketAddress http, InetSocketAddress line, InetSocketAddress udp) {
        SoakLoad load = new SoakLoad(http, line, udp);
        for (int i = 0; i < 16; i++) {
            load.paced("keep-alive-" + i, Kind.KEEP_ALIVE, 1_000.0 / 16, load::keepAlive);
        }
        for (int i = 0; i < 4; i++) {
            load.paced("pipelined-" + i, Kind.PIPELINED, 800.0 / PIPELINE_DEPTH / 4, load::pipelined);
        }
        for (int i = 0; i < 8; i++) {
            load.paced("line-" + i, Kind.LINE, 500.0 / 8, load::lineEcho);
        }
        load.thread("churn", () -> load.churn(50));
        for (int i = 0; i < 4; i++) {
            load.thread("slow-reader-" + i, load::slowReader);
        }
        load.thread("idle", load::idle);
        load.thread("udp", () -> load.udpEcho(500));
        return load;
    }

    Tally tally() {
        return tally;
    }

    /** Stops every thread and closes every socket. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (open) {
            for (AutoCloseable closeable : open) {
                closeQuietly(closeable);
            }
        }
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(TIMEOUT_MILLIS);
        }
    }

    // ---- the kinds of traffic ----

    /** One request and its answer on a kept-alive connection. */
    private void keepAlive(Connection connection) throws IOException {
        connection.exchange(plaintext, answers, 1);
    }

    /** Sixteen requests in one write and their sixteen answers. */
    private void pipelined(Connection connection) throws IOException {
        connection.exchange(pipelined, answers, PIPELINE_DEPTH);
    }

    /** One line and its echo. */
    private void lineEcho(Connection connection) throws IOException {
        connection.exchange(echo.request(), echo, 1);
    }

    /**
     * A connection of {@code kind} made again after each problem, exchanging at {@code perSecond}
     * on its thread. (The address and protocol of a kind are the connection's to know.)
     */
    private void paced(String name, Kind kind, double perSecond, Exchange exchange) {
        thread(name, () -> {
            Pace pace = new Pace(perSecond);
            Connection connection = null;
            while (running) {
                try {
                    if (connection == null) {
                        connection = connect(kind == Kind.LINE ? line : http, 0);
                    }
                    exchange.on(connection);
                    tally.answered.get(kind).add(kind == Kind.PIPELINED ? PIPELINE_DEPTH : 1);
                } catch (IOException | IllegalStateException e) {
                    connection = failed(kind, e, connection);
                }
                pace.await();
            }
            closeQuietly(connection);
        });
    }

    /** Connects, exchanges once (HTTP and line echo by turns), closes: {@code perSecond} times a second. */
    private void churn(double perSecond) {
        Pace pace = new Pace(perSecond);
        for (long n = 0; running; n++) {
            boolean httpTurn = n % 2 == 0;
            Connection connection = null;
            try {
                connection = connect(httpTurn ? http : line, 0);
                if (httpTurn) {
                    keepAlive(connection);
                } else {
                    lineEcho(connection);
                }
                tally.answered.get(Kind.CHURN).increment();
            } catch (IOException | IllegalStateException e) {
                connection = failed(Kind.CHURN, e, connection);
            }
            closeQuietly(connection);
            pace.await();
        }
    }

    /** {@code GET /bulk} again and again, each 1 MiB body read at 64 KiB/s through a small receive buffer. */
    private void slowReader() {
        Pace pace = new Pace((double) SLOW_READ_RATE / SLOW_READ_BYTES);
        Connection connection = null;
        while (running) {
            try {
                if (connection == null) {
                    connection = connect(http, 16 * 1024);
                }
                connection.bulk(bulk, pace);
                tally.answered.get(Kind.SLOW_READERS).increment();
            } catch (IOException | IllegalStateException e) {
                connection = failed(Kind.SLOW_READERS, e, connection);
                pace.await();
            }
        }
        closeQuietly(connection);
    }

    /** Opens the idle connections, each after one exchange, then exchanges on each once a period. */
    private void idle() {
        Connection[] connections = new Connection[2 * IDLE_EACH];
        Pace pace = new Pace(connections.length / (IDLE_PERIOD_NANOS / 1e9));
        boolean opening = true;
        for (int i = 0; running; i = (i + 1) % connections.length) {
            boolean httpOne = i < IDLE_EACH;
            try {
                if (connections[i] == null) {
                    connections[i] = connect(httpOne ? http : line, 0);
                }
                if (httpOne) {
                    keepAlive(connections[i]);
                } else {
                    lineEcho(connections[i]);
                }
                tally.answered.get(Kind.IDLE).increment();
            } catch (IOException | IllegalStateException e) {
                connections[i] = failed(Kind.IDLE, e, connections[i]);
            }
            // The first round opens them all at once; then one exchange each per period.
            opening &= i < connections.length - 1;
            if (!opening) {
                pace.await();
            }
        }
        for (Connection connection : connections) {
            closeQuietly(connection);
        }
    }

    /** A 64-byte datagram with its sequence number, and its echo, {@code perSecond} times a second. */
    private void udpEcho(double perSecond) {
        Pace pace = new Pace(perSecond);
        byte[] sent = Arrays.copyOf(Protocol.lineEcho().request(), UdpLoad.PAYLOAD_BYTES);
        byte[] received = new byte[2048];
        try (DatagramSocket socket = new DatagramSocket()) {
            register(socket);
            socket.connect(udp);
            socket.setSoTimeout(UDP_TIMEOUT_MILLIS);
            for (long sequence = 0; running; sequence++) {
                ByteBuffer.wrap(sent).putLong(0, sequence);
                try {
                    socket.send(new DatagramPacket(sent, sent.length));
                    if (awaitEcho(socket, sent, received, sequence)) {
                        tally.answered.get(Kind.UDP).increment();
                    } else {
                        tally.lost.incrementAndGet();
                    }
                } catch (IOException e) {
                    if (running) {
                        tally.problem(tally.failed, Kind.UDP, e);
                    }
                }
                pace.await();
            }
        } catch (IOException e) {
            tally.problem(tally.failed, Kind.UDP, e);
        }
    }

    /** Whether the echo of datagram {@code sequence} came; a late echo of an earlier one is skipped. */
    private boolean awaitEcho(DatagramSocket socket, byte[] sent, byte[] buffer, long sequence) throws IOException {
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return false;
            }
            long echoed = packet.getLength() >= 8 ? ByteBuffer.wrap(buffer).getLong(0) : -1;
            if (echoed >= 0 && echoed < sequence) {
                continue;
            }
            if (!Arrays.equals(buffer, 0, packet.getLength(), sent, 0, sent.length)) {
                tally.problem(tally.wrong, Kind.UDP, new IllegalStateException("the echo of datagram " + sequence
                        + " differs from it"));
                return true;
            }
            return true;
        }
    }

    // ---- connections and threads ----

    /** Counts the problem (a wrong answer or a failure), closes the connection; returns null to make a new one. */
    private Connection failed(Kind kind, Exception e, Connection connection) {
        closeQuietly(connection);
        if (running) {
            tally.problem(e instanceof IllegalStateException ? tally.wrong : tally.failed, kind, e);
        }
        return null;
    }

    private Connection connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        register(socket);
        socket.connect(address, TIMEOUT_MILLIS);
        return new Connection(socket);
    }

    private void register(AutoCloseable closeable) {
        synchronized (open) {
            open.removeIf(c -> c instanceof Socket s && s.isClosed());
            open.add(closeable);
        }
    }

    private void thread(String name, Runnable body) {
        Thread thread = new Thread(body, "soak-" + name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                // closing what failed or what the soak is done with: nothing more to learn
            }
        }
    }

    @FunctionalInterface
    private interface Exchange {
        void on(Connection connection) throws IOException;
    }

    /** Keeps a thread to a fixed rate: each call parks until the next turn is due, never catching up in a burst. */
    private static final class Pace {
        private final long periodNanos;
        private long next = System.nanoTime();

        Pace(double perSecond) {
            this.periodNanos = (long) (1e9 / perSecond);
        }

        void await() {
            next += periodNanos;
            long now = System.nanoTime();
            if (next < now - periodNanos) {
                next = now; // fell behind (a slow answer): go on from now
            }
            while (next - System.nanoTime() > 0 && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
    }

    /** A blocking connection: requests written whole, answers read and checked. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        /** Writes {@code request} and reads exactly {@code answers} whole answers, each checked by {@code protocol}. */
        void exchange(byte[] request, Protocol protocol, int answers) throws IOException {
            socket.getOutputStream().write(request);
            int got = 0;
            while (got < answers) {
                fill();
                buffer.flip();
                got += protocol.answers(buffer);
                buffer.compact();
            }
            if (got > answers || buffer.position() > 0) {
                throw new IllegalStateException("more came than the " + answers + " answers asked for");
            }
        }

        /** {@code GET /bulk}: a 200 whose body is {@link BulkBody}'s, read a few KiB at a time at {@code pace}. */
        void bulk(byte[] request, Pace pace) throws IOException {
            socket.getOutputStream().write(request);
            int headEnd;
            while ((headEnd = headEnd()) < 0) {
                fill();
            }
            String head = new String(buffer.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 200 ") || !head.toLowerCase().contains("content-length: " + BulkBody.LENGTH)) {
                throw new IllegalStateException("not the bulk answer's head: " + head.lines().findFirst().orElse(""));
            }
            buffer.flip().position(headEnd + 4);
            int at = 0;
            while (true) {
                int n = Math.min(buffer.remaining(), BulkBody.LENGTH - at);
                int start = buffer.arrayOffset() + buffer.position();
                if (!Arrays.equals(buffer.array(), start, start + n, BulkBody.BYTES, at, at + n)) {
                    throw new IllegalStateException("the bulk body differs from byte " + at + " on");
                }
                at += n;
                buffer.position(buffer.position() + n).compact();
                if (at == BulkBody.LENGTH) {
                    break;
                }
                pace.await();
                buffer.limit(Math.min(buffer.capacity(), buffer.position() + SLOW_READ_BYTES));
                fill();
                buffer.limit(buffer.capacity()).flip();
            }
            if (buffer.position() > 0) {
                throw new IllegalStateException("bytes after the bulk body");
            }
        }

        /** Where the head's blank line starts in the buffer (write mode), or -1. */
        private int headEnd() {
            byte[] bytes = buffer.array();
            for (int i = 0; i + 3 < buffer.position(); i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        /** One read into the buffer (write mode). */
        private void fill() throws IOException {
            int n = in.read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            if (n < 0) {
                throw new EOFException("the server closed the connection");
            }
            buffer.position(buffer.position() + n);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
