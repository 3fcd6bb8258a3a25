package io.eddy.core.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over a socket, on the JDK's {@link SSLEngine}.
 *
 * <p><b>Buffers.</b> Ciphertext and plaintext never share a buffer. Reads go through a per-thread
 * ciphertext buffer; what is left of a record that has not wholly arrived is copied into a buffer of
 * the connection's own ({@code netInLeft}), and put back in front of the next read. Plaintext is
 * unwrapped straight into the caller's buffer when it has room for a whole record; otherwise into
 * a per-thread buffer, from which what does not fit is kept ({@code plainLeft}) for the next read.
 * So neither {@code BUFFER_UNDERFLOW} nor {@code BUFFER_OVERFLOW} ever loses a byte, and an idle
 * connection holds no buffer at all. Bytes already read from the socket are not announced by the
 * selector again: {@link #hasBufferedInput()} tells the connection to come back for them.
 *
 * <p><b>Writes</b> wrap up to {@value #RECORDS_PER_WRITE} records into a per-thread buffer and
 * write them at once. What the socket does not take is kept ({@code netOutLeft}), and the
 * plaintext of that whole batch counts as {@link #heldBytes() held} until its last byte has left,
 * so write listeners are never told early. Nothing more is wrapped while anything is held.
 *
 * <p><b>Handshake.</b> {@link #handshake()} advances it as far as it can without waiting and says
 * what it waits for; delegated tasks (key generation, certificate checks) run on
 * {@code taskExecutor}, never on the loop, and the connection resumes the handshake on its loop
 * when they are done. After the handshake, TLS 1.3's post-handshake messages (session tickets, key
 * updates) are handled as they come; their rare tasks run on the loop. A TLS 1.2 renegotiation,
 * from either side, is refused: the connection fails, and sends nothing more (no
 * {@code close_notify}, which would tell the peer that all is well).
 *
 * <p><b>Closing.</b> {@link #closeOutbound()} sends {@code close_notify}. A {@code close_notify}
 * from the peer ends the input: {@link #read} gives what came before it, then -1, and ignores what
 * follows. A socket that ends without one also ends the input (logged at debug level: a truncated
 * stream is the application protocol's to detect, as HTTP does with its framing).
 *
 * <p>Threading: loop thread only, but for the delegated tasks.
 */
final class TlsTransport implements Transport, GatheringByteChannel {

    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);

    /** What the handshake waits for. */
    enum Step {
        /** The handshake is over. */
        DONE,
        /** Bytes from the peer. */
        READ,
        /** Room in the socket for what is held. */
        WRITE,
        /** Delegated tasks, running elsewhere. */
        TASKS
    }

    /** Records wrapped for one socket write: about 64 KiB of ciphertext. */
    private static final int RECORDS_PER_WRITE = 4;
    /**
     * The most plaintext one write encrypts, though the socket would take more: encryption is the
     * loop's heaviest work, and taking less than offered sends the connection back to wait for
     * OP_WRITE (at once, on a fast peer), so the loop's other connections get their turn between
     * two quarters of a mebibyte.
     */
    private static final long MAX_PLAINTEXT_PER_WRITE = 256 * 1024;
    /** Ciphertext read from the socket at once: a few records. */
    private static final int READ_BYTES = 64 * 1024;
    private static final int RECORD_HEADER = 5;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final Executor taskExecutor;
    private final ByteBuffer[] single = new ByteBuffer[1];
    private int packetSize;
    private int appSize;

    /** Ciphertext read and not yet unwrapped, in read mode; null when none. */
    private ByteBuffer netInLeft;
    /** Plaintext unwrapped that did not fit the caller's buffer, in read mode; null when none. */
    private ByteBuffer plainLeft;
    /** Ciphertext wrapped and not yet taken by the socket, in read mode; null when none. */
    private ByteBuffer netOutLeft;
    /** The plaintext of the batch whose ciphertext is {@link #netOutLeft}. */
    private long heldPlain;
    /** The buffer {@link #netInLeft} lives in, kept for the next partial record while bytes stream. */
    private ByteBuffer netInStore;
    private boolean handshakeStarted;
    private boolean handshakeDone;
    private boolean tasksRunning;
    /** The peer's close_notify came, or its input ended: nothing more is unwrapped. */
    private boolean inputDone;
    /** The input ended after bytes still to give: the next read gives -1. */
    private boolean endPending;
    private boolean outboundClosed;

    TlsTransport(SocketChannel socket, SSLEngine engine, Executor taskExecutor) {
        this.socket = socket;
        this.engine = engine;
        this.taskExecutor = taskExecutor;
        sizes();
    }

    SSLEngine engine() {
        return engine;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /**
     * Puts {@code bytes} (read mode) in front of what the socket gives: ciphertext that was read
     * before TLS started (what followed a PROXY protocol header in its read). Copied; before the
     * handshake starts.
     */
    void unread(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            keepNet(bytes);
        }
    }

    // ---- handshake ----

    /**
     * Advances the handshake as far as it goes without waiting.
     *
     * @param resume run on the loop (by whoever {@code resumeOnLoop} hands it to) once delegated
     *     tasks are done, when this returns {@link Step#TASKS}
     * @throws IOException when the handshake failed: the peer's bytes, a certificate refused, the
     *     peer gone
     */
    Step handshake(Executor resumeOnLoop, Runnable resume) throws IOException {
        if (!handshakeStarted) {
            handshakeStarted = true;
            engine.beginHandshake();
        }
        for (;;) {
            if (!flushHeld()) {
                return Step.WRITE;
            }
            if (tasksRunning) {
                return Step.TASKS;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrapHandshake();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapHandshake()) {
                        return Step.READ;
                    }
                }
                case NEED_TASK -> {
                    runTasks(resumeOnLoop, resume);
                    return Step.TASKS;
                }
                default -> {
                    handshakeDone = true;
                    sizes();
                    return Step.DONE;
                }
            }
        }
    }

    /** Wraps the handshake messages the engine has, as many records as it has, in one write. */
    private void wrapHandshake() throws IOException {
        ByteBuffer out = SCRATCH.get().netOut(RECORDS_PER_WRITE * packetSize);
        SSLEngineResult r;
        do {
            try {
                r = engine.wrap(EMPTY, out);
            } catch (SSLException failed) {
                // Records wrapped before the failure go first, or the alert that follows makes no
                // sense to the peer (it would come under keys the peer has not got yet).
                writeOut(out, 0);
                throw failed;
            }
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (out.position() == 0) {
                    sizes();
                }
                break;
            }
        } while (r.getStatus() == Status.OK && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP
                && out.remaining() >= packetSize);
        writeOut(out, 0);
        if (r.getStatus() == Status.CLOSED) {
            // The engine closed itself: it has just wrapped the alert that says why.
            flushHeld();
            throw new SSLHandshakeException("the TLS handshake ended without completing");
        }
    }

    /** Unwraps what has come; false when nothing could be, for want of bytes from the peer. */
    private boolean unwrapHandshake() throws IOException {
        ByteBuffer in = readNet();
        boolean progressed = false;
        try {
            while (in.hasRemaining()) {
                ByteBuffer plain = SCRATCH.get().plain(appSize);
                SSLEngineResult r = engine.unwrap(in, plain);
                keepPlain(plain.flip());
                if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    sizes();
                    continue;
                }
                progressed = true;
                if (r.getStatus() == Status.CLOSED) {
                    throw new SSLHandshakeException("the peer closed TLS during the handshake");
                }
                HandshakeStatus hs = r.getHandshakeStatus();
                if (hs != HandshakeStatus.NEED_UNWRAP && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                    break;
                }
            }
        } finally {
            keepNet(in);
        }
        if (!progressed && endPending) {
            throw new EOFException("the peer closed the connection during the TLS handshake");
        }
        return progressed;
    }

    private void runTasks(Executor resumeOnLoop, Runnable resume) {
        tasksRunning = true;
        taskExecutor.execute(() -> {
            try {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } finally {
                try {
                    resumeOnLoop.execute(() -> {
                        tasksRunning = false;
                        resume.run();
                    });
                } catch (RuntimeException loopGone) {
                    log.debug("the loop is gone; a TLS handshake is dropped: {}", loopGone.toString());
                }
            }
        });
    }

    // ---- reading ----

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int given = givePlainLeft(dst);
        if (plainLeft != null) {
            return given;
        }
        if (inputDone) {
            if (given > 0) {
                return given;
            }
            endPending = false;
            return -1;
        }
        ByteBuffer in = readNet();
        int produced = given;
        try {
            while (in.hasRemaining() && plainLeft == null && !inputDone) {
                boolean direct = dst.remaining() >= appSize;
                ByteBuffer target = direct ? dst : SCRATCH.get().plain(appSize);
                int before = dst.position();
                SSLEngineResult r = engine.unwrap(in, target);
                if (!direct) {
                    giveFromScratch(target, dst);
                }
                produced += dst.position() - before;
                Status status = r.getStatus();
                if (status == Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (status == Status.BUFFER_OVERFLOW) {
                    sizes();
                    continue;
                }
                if (status == Status.CLOSED) {
                    inputDone = true;
                    endPending = true;
                    log.debug("{}: the peer sent close_notify", this);
                    answerCloseIfAsked();
                    break;
                }
                afterUnwrap(r.getHandshakeStatus());
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            if (inputDone) {
                in.position(in.limit()); // bytes after close_notify are ignored
            }
            keepNet(in);
        }
        if (endPending && !inputDone) {
            // The socket ended without close_notify.
            inputDone = true;
            closeInboundQuietly();
        }
        if (produced == 0 && endPending) {
            endPending = false;
            return -1;
        }
        return produced;
    }

    /** After a record of the peer's was unwrapped on an established connection. */
    private void afterUnwrap(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) {
            return;
        }
        if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
            // Nothing more goes out: the engine would answer the new ClientHello, and a
            // close_notify would tell the peer that all is well. The connection just ends, which
            // the peer takes for the error it is.
            outboundClosed = true;
            throw new SSLException("TLS renegotiation refused");
        }
        // TLS 1.3 post-handshake messages: a key update to answer, a session ticket to take in.
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (hs == HandshakeStatus.NEED_WRAP) {
                ByteBuffer out = SCRATCH.get().netOut(packetSize);
                SSLEngineResult r = engine.wrap(EMPTY, out);
                writeOut(out, 0);
                if (r.getStatus() != Status.OK) {
                    return;
                }
            } else {
                return;
            }
        }
    }

    /** TLS 1.2 answers a close_notify with one: wrap it if the engine asks. */
    private void answerCloseIfAsked() throws IOException {
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
            outboundClosed = true;
            ByteBuffer out = SCRATCH.get().netOut(packetSize);
            engine.wrap(EMPTY, out);
            writeOut(out, 0);
        }
    }

    private void closeInboundQuietly() {
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            log.debug("{}: the peer's input ended without close_notify", this);
        }
    }

    /**
     * The per-thread ciphertext buffer in read mode: what was kept from earlier reads, then what
     * the socket has now.
     */
    private ByteBuffer readNet() throws IOException {
        ByteBuffer in = SCRATCH.get().netIn(Math.max(READ_BYTES, 2 * packetSize));
        if (netInLeft != null) {
            in.put(netInLeft);
            netInLeft = null;
        }
        if (in.hasRemaining() && !endPending) {
            int n;
            try {
                n = socket.read(in);
            } catch (IOException e) {
                in.flip();
                keepNet(in);
                throw e;
            }
            if (n < 0) {
                endPending = true;
            }
        }
        return in.flip();
    }

    /** Keeps what {@code in} (a per-thread buffer) still holds for the next read. */
    private void keepNet(ByteBuffer in) {
        if (!in.hasRemaining()) {
            netInStore = null;
            return;
        }
        if (netInStore == null || netInStore.capacity() < in.remaining()) {
            netInStore = ByteBuffer.allocate(Math.max(in.remaining(), packetSize));
        }
        netInLeft = netInStore.clear().put(in).flip();
    }

    private int givePlainLeft(ByteBuffer dst) {
        if (plainLeft == null) {
            return 0;
        }
        int n = Math.min(dst.remaining(), plainLeft.remaining());
        dst.put(dst.position(), plainLeft, plainLeft.position(), n);
        dst.position(dst.position() + n);
        plainLeft.position(plainLeft.position() + n);
        if (!plainLeft.hasRemaining()) {
            plainLeft = null;
        }
        return n;
    }

    /** Moves the unwrapped bytes in {@code scratch} into {@code dst}, keeping what does not fit. */
    private void giveFromScratch(ByteBuffer scratch, ByteBuffer dst) {
        scratch.flip();
        int n = Math.min(dst.remaining(), scratch.remaining());
        dst.put(dst.position(), scratch, scratch.position(), n);
        dst.position(dst.position() + n);
        scratch.position(scratch.position() + n);
        keepPlain(scratch);
    }

    /** Keeps the plaintext left in {@code scratch} (read mode) after what is kept already. */
    private void keepPlain(ByteBuffer scratch) {
        if (!scratch.hasRemaining()) {
            return;
        }
        ByteBuffer kept = ByteBuffer.allocate(scratch.remaining() + (plainLeft == null ? 0 : plainLeft.remaining()));
        if (plainLeft != null) {
            kept.put(plainLeft);
        }
        plainLeft = kept.put(scratch).flip();
    }

    @Override
    public boolean hasBufferedInput() {
        return plainLeft != null || endPending || wholeRecord(netInLeft);
    }

    private static boolean wholeRecord(ByteBuffer b) {
        if (b == null || b.remaining() < RECORD_HEADER) {
            return false;
        }
        int p = b.position();
        int length = (b.get(p + 3) & 0xff) << 8 | b.get(p + 4) & 0xff;
        return b.remaining() >= RECORD_HEADER + length;
    }

    // ---- writing ----

    @Override
    public GatheringByteChannel output() {
        return this;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        single[0] = src;
        try {
            return (int) write(single, 0, 1);
        } finally {
            single[0] = null;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /**
     * Wraps and writes batches of records until the plaintext is all taken or the socket is full.
     * Returns the plaintext taken, all of it wrapped; what of it the socket has not taken yet is
     * {@link #heldBytes() held}.
     */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (outboundClosed) {
            throw new SSLException("TLS output is closed (a TLS 1.2 peer's close_notify closes both directions)");
        }
        long taken = 0;
        while (taken < MAX_PLAINTEXT_PER_WRITE && flushHeld() && anyRemaining(srcs, offset, length)) {
            ByteBuffer out = SCRATCH.get().netOut(RECORDS_PER_WRITE * packetSize);
            long batch = 0;
            while (out.remaining() >= packetSize && anyRemaining(srcs, offset, length)) {
                SSLEngineResult r = engine.wrap(srcs, offset, length, out);
                batch += r.bytesConsumed();
                if (r.getStatus() == Status.CLOSED) {
                    throw new SSLException("TLS output is closed");
                }
                if (r.getStatus() != Status.OK || r.bytesConsumed() == 0) {
                    break;
                }
            }
            if (batch == 0) {
                break;
            }
            taken += batch;
            writeOut(out, batch);
        }
        return taken;
    }

    private static boolean anyRemaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** Writes the ciphertext wrapped into {@code out} (write mode), keeping what the socket refuses. */
    private void writeOut(ByteBuffer out, long plaintext) throws IOException {
        out.flip();
        if (netOutLeft == null) {
            socket.write(out);
        }
        if (out.hasRemaining()) {
            ByteBuffer kept = ByteBuffer.allocate(out.remaining() + (netOutLeft == null ? 0 : netOutLeft.remaining()));
            if (netOutLeft != null) {
                kept.put(netOutLeft);
            }
            netOutLeft = kept.put(out).flip();
            heldPlain += plaintext;
        }
    }

    @Override
    public boolean flushHeld() throws IOException {
        if (netOutLeft == null) {
            return true;
        }
        socket.write(netOutLeft);
        if (netOutLeft.hasRemaining()) {
            return false;
        }
        netOutLeft = null;
        heldPlain = 0;
        return true;
    }

    @Override
    public long heldBytes() {
        return heldPlain;
    }

    @Override
    public boolean holdsOutput() {
        return netOutLeft != null;
    }

    // ---- closing ----

    @Override
    public void closeOutbound() {
        if (outboundClosed) {
            return;
        }
        outboundClosed = true;
        if (!handshakeDone || tasksRunning) {
            return; // mid-handshake there is no session to close: the socket just closes
        }
        engine.closeOutbound();
        try {
            ByteBuffer out = SCRATCH.get().netOut(packetSize);
            engine.wrap(EMPTY, out);
            writeOut(out, 0);
            flushHeld();
        } catch (IOException e) {
            log.debug("{}: sending close_notify failed: {}", this, e.toString());
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        closeOutbound();
        socket.shutdownOutput();
    }

    /**
     * After a failed handshake, sends the alert the engine has for the peer, if the socket takes
     * it at once. The engine may hold records made before the failure ahead of the alert (a TLS
     * 1.3 server whose ALPN choice fails holds its ServerHello and a change_cipher_spec, then the
     * alert under the handshake keys): each wrap gives one, so it wraps until the engine has
     * nothing more to send.
     */
    void sendAlertQuietly() {
        try {
            if (tasksRunning) {
                return;
            }
            ByteBuffer out = SCRATCH.get().netOut(RECORDS_PER_WRITE * packetSize);
            for (int records = 0; records < RECORDS_PER_WRITE && out.remaining() >= packetSize
                    && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; records++) {
                SSLEngineResult r = engine.wrap(EMPTY, out);
                if (r.getStatus() != Status.OK || r.bytesProduced() == 0) {
                    break; // CLOSED: the alert was the last record
                }
            }
            writeOut(out, 0);
            flushHeld();
        } catch (IOException | RuntimeException e) {
            log.debug("{}: no alert sent: {}", this, e.toString());
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void sizes() {
        packetSize = engine.getSession().getPacketBufferSize();
        appSize = engine.getSession().getApplicationBufferSize();
    }

    @Override
    public String toString() {
        return "TLS " + engine.getSession().getProtocol() + " over " + socket;
    }

    /**
     * A loop thread's buffers, shared by all its TLS connections between two calls. The ciphertext
     * buffers are on the heap: the engine encrypts and decrypts records in place in them, and the
     * JDK's AES-GCM works on a heap buffer's array directly, while on a direct buffer it copies
     * through temporary arrays. The socket's own copy between the heap and its direct buffer is cheaper.
     */
    private static final class Scratch {
        private ByteBuffer netIn = ByteBuffer.allocate(0);
        private ByteBuffer netOut = ByteBuffer.allocate(0);
        private ByteBuffer plain = ByteBuffer.allocate(0);

        /** Cleared, write mode. */
        ByteBuffer netIn(int size) {
            if (netIn.capacity() < size) {
                netIn = ByteBuffer.allocate(size);
            }
            return netIn.clear();
        }

        /** Cleared, write mode. */
        ByteBuffer netOut(int size) {
            if (netOut.capacity() < size) {
                netOut = ByteBuffer.allocate(size);
            }
            return netOut.clear();
        }

        /** Cleared, write mode. */
        ByteBuffer plain(int size) {
            if (plain.capacity() < size) {
                plain = ByteBuffer.allocate(size);
            }
            return plain.clear();
        }
    }
}
