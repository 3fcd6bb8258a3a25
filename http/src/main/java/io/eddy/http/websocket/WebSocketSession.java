package io.eddy.http.websocket;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket protocol on one upgraded connection, both roles: messages made of frames, pings
 * answered, keep-alive pings, the close handshake and its timeout, the backlog policy, and the
 * user's {@link WebSocketHandler} told of each.
 *
 * <pre>
 *   OPEN ──close() / a broken rule: close frame sent──▶ CLOSE_SENT ──peer's close frame──▶ (TCP closes) CLOSED
 *     │                                                    └── closeTimeout ──▶ reset ──▶ CLOSED (1006)
 *     └── peer's close frame: answered ──▶ CLOSE_RECEIVED ──▶ server closes TCP; client waits for it (closeTimeout)
 * </pre>
 *
 * <p>Threading: the {@code Handler} methods run on the connection's loop thread; the
 * {@link WebSocket} methods are safe from any thread and hop onto it.
 */
final class WebSocketSession implements Handler<Frame, Frame>, WebSocket {

    private static final Logger log = LoggerFactory.getLogger(WebSocket.class);

    private enum State { OPEN, CLOSE_SENT, CLOSE_RECEIVED, CLOSED }

    private final boolean client;
    private final WebSocketHandler handler;
    private final WebSocketOptions options;
    private final MessageAssembler assembler;
    private final Deflation deflation;
    private final String subprotocol;
    private final String target;
    private Connection<Frame> connection;
    private EventLoop loop;
    private volatile State state = State.OPEN;
    private final LongAdder dropped = new LongAdder();
    /** The code and reason onClose reports: the peer's, or ours when this side failed the connection. */
    private int closeCode = CloseCodes.ABNORMAL;
    private String closeReason;
    private ScheduledTask closeTimer;
    private ScheduledTask pingTimer;
    private ScheduledTask pongDeadline;
    private long pingsSent;

    WebSocketSession(boolean client, WebSocketHandler handler, WebSocketOptions options, MessageAssembler assembler,
                     Deflation deflation, String subprotocol, String target) {
        this.client = client;
        this.handler = handler;
        this.options = options;
        this.assembler = assembler;
        this.deflation = deflation;
        this.subprotocol = subprotocol;
        this.target = target;
    }

    // ---- the connection's events, on the loop ----

    @Override
    public void onOpen(Connection<Frame> opened) {
        this.connection = opened;
        this.loop = opened.loop();
        if (!options.pingInterval().isZero()) {
            pingTimer = loop.schedule(options.pingInterval(), this::keepAlive);
        }
        call(() -> handler.onOpen(this));
    }

    @Override
    public void onMessage(Connection<Frame> ignored, Frame frame) {
        if (frame.isControl()) {
            onControl(frame);
            return;
        }
        if (state != State.OPEN) {
            return; // after a close frame: data is discarded
        }
        Object message;
        try {
            message = assembler.accept(frame);
        } catch (WebSocketException e) {
            fail(e.closeCode(), e.getMessage());
            return;
        }
        if (message instanceof String text) {
            call(() -> handler.onText(this, text));
        } else if (message != null) {
            call(() -> handler.onBinary(this, (ByteBuffer) message));
        }
    }

    private void onControl(Frame frame) {
        switch (frame.opcode()) {
            case Frame.PING:
                if (state == State.OPEN) {
                    connection.write(Frame.pong(frame.payload()));
                }
                break;
            case Frame.PONG:
                if (pongDeadline != null) {
                    pongDeadline.cancel();
                    pongDeadline = null;
                }
                call(() -> handler.onPong(this, frame.payload()));
                break;
            default:
                onCloseFrame(frame.payload());
        }
    }

    private void onCloseFrame(ByteBuffer payload) {
        int code = CloseCodes.NO_STATUS;
        String reason = "";
        if (payload.remaining() == 1) {
            fail(CloseCodes.PROTOCOL_ERROR, "a close frame with a one-byte payload");
            return;
        }
        if (payload.remaining() >= 2) {
            code = payload.getShort() & 0xffff;
            if (!CloseCodes.isValidOnWire(code)) {
                fail(CloseCodes.PROTOCOL_ERROR, "close code " + code + " may not be sent");
                return;
            }
            try {
                reason = StandardCharsets.UTF_8.newDecoder().decode(payload).toString();
            } catch (CharacterCodingException e) {
                fail(CloseCodes.INVALID_PAYLOAD, "close reason is not valid UTF-8");
                return;
            }
        }
        State was = state;
        if (was == State.CLOSE_RECEIVED || was == State.CLOSED) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        if (was == State.OPEN) {
            // Echo the code, as the RFC asks; a close frame without one is answered without one.
            connection.write(Frame.close(code, reason));
        }
        state = State.CLOSE_RECEIVED;
        if (!client) {
            connection.close(); // the server closes TCP first, once its answer is written
        } else {
            armCloseTimer(); // a client waits for the server to close TCP
        }
    }

    @Override
    public void onDecodeError(Connection<Frame> ignored, DecodeException error) {
        int code = error instanceof WebSocketException ws ? ws.closeCode() : CloseCodes.PROTOCOL_ERROR;
        log.debug("{}: failing the WebSocket with {}: {}", this, code, error.getMessage());
        if (state == State.OPEN) {
            sendClose(code, error.getMessage());
            closeCode = code;
            closeReason = error.getMessage();
        }
        // core closes the connection once the close frame is written
    }

    @Override
    public void onInputClosed(Connection<Frame> ignored) {
        connection.close();
    }

    @Override
    public void onWritabilityChanged(Connection<Frame> ignored, boolean writable) {
        call(() -> handler.onWritabilityChanged(this, writable));
    }

    @Override
    public void onLoopClosing(Connection<Frame> ignored) {
        closeOnLoop(CloseCodes.GOING_AWAY, "shutting down");
    }

    @Override
    public void onClose(Connection<Frame> ignored, CloseReason reason) {
        state = State.CLOSED;
        cancel(closeTimer);
        cancel(pingTimer);
        cancel(pongDeadline);
        assembler.close();
        if (deflation != null) {
            deflation.close();
        }
        String why = closeReason != null ? closeReason : reason.toString();
        int code = closeCode;
        try {
            handler.onClose(this, code, why);
        } catch (Exception e) {
            log.warn("{}: onClose threw", this, e);
        }
    }

    // ---- failing, closing ----

    /** Fails the connection (RFC 6455 section 7.1.7): a close frame with {@code code}, then TCP closes. */
    private void fail(int code, String reason) {
        log.debug("{}: failing the WebSocket with {}: {}", this, code, reason);
        if (state == State.OPEN) {
            sendClose(code, reason);
            closeCode = code;
            closeReason = reason;
        }
        connection.close();
    }

    private void sendClose(int code, String reason) {
        connection.write(Frame.close(code, reason));
        state = State.CLOSE_SENT;
        armCloseTimer();
    }

    private void closeOnLoop(int code, String reason) {
        if (state != State.OPEN) {
            return;
        }
        sendClose(code, reason);
    }

    private void armCloseTimer() {
        if (closeTimer == null) {
            closeTimer = loop.schedule(options.closeTimeout(), () -> {
                log.debug("{}: no close from the peer within closeTimeout = {}", this, options.closeTimeout());
                if (closeReason == null) {
                    closeReason = "close handshake timed out after " + options.closeTimeout();
                }
                connection.abort();
            });
        }
    }

    private void keepAlive() {
        pingTimer = null;
        if (state != State.OPEN) {
            return;
        }
        if (pongDeadline == null) {
            ByteBuffer payload = ByteBuffer.allocate(8).putLong(0, ++pingsSent);
            connection.write(Frame.ping(payload));
            pongDeadline = loop.schedule(options.pingTimeout(), () -> {
                log.debug("{}: no pong within pingTimeout = {}; closing", this, options.pingTimeout());
                closeCode = CloseCodes.ABNORMAL;
                closeReason = "no pong within " + options.pingTimeout();
                connection.abort();
            });
        }
        pingTimer = loop.schedule(options.pingInterval(), this::keepAlive);
    }

    private static void cancel(ScheduledTask task) {
        if (task != null) {
            task.cancel();
        }
    }

    /** Runs a handler callback; one that throws fails the WebSocket with 1011. */
    private void call(Callback callback) {
        try {
            callback.run();
        } catch (Exception e) {
            log.warn("{}: handler failed; closing with 1011", this, e);
            fail(CloseCodes.INTERNAL_ERROR, "handler failed");
        } catch (Error e) {
            EventLoop.rethrowIfFatal(e);
            log.warn("{}: handler failed; closing with 1011", this, e);
            fail(CloseCodes.INTERNAL_ERROR, "handler failed");
        }
    }

    private interface Callback {
        void run() throws Exception;
    }

    // ---- WebSocket: from any thread ----

    @Override
    public void sendText(String text) {
        send(Frame.text(text));
    }

    @Override
    public void sendBinary(ByteBuffer data) {
        send(Frame.binary(data));
    }

    @Override
    public void ping(ByteBuffer data) {
        send(Frame.ping(data));
    }

    private void send(Frame frame) {
        onLoop(() -> sendOnLoop(frame));
    }

    private void sendOnLoop(Frame frame) {
        if (state != State.OPEN) {
            dropped.increment();
            return;
        }
        long queued = connection.pendingOutboundBytes();
        if (queued > options.maxQueuedBytes()) {
            if (options.backlog() == WebSocketOptions.Backlog.DROP) {
                dropped.increment();
                return;
            }
            dropped.increment();
            fail(CloseCodes.POLICY_VIOLATION, "the peer reads too slowly: " + queued + " bytes queued, over maxQueuedBytes = "
                    + options.maxQueuedBytes());
            return;
        }
        connection.write(frame);
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        onLoop(() -> closeOnLoop(code, reason == null ? "" : reason));
    }

    private void onLoop(Runnable action) {
        if (loop.inEventLoop()) {
            action.run();
            return;
        }
        try {
            loop.execute(action);
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    @Override
    public boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public boolean isWritable() {
        return connection.isWritable();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public String subprotocol() {
        return subprotocol;
    }

    @Override
    public boolean compressed() {
        return deflation != null;
    }

    @Override
    public boolean sharesCompression() {
        return deflation != null && !deflation.contextTakeover();
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public SocketAddress remoteAddress() {
        return connection.remoteAddress();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public Connection<Frame> connection() {
        return connection;
    }

    @Override
    public <T> T attr(AttributeKey<T> key) {
        return connection.attr(key);
    }

    @Override
    public <T> void attr(AttributeKey<T> key, T value) {
        connection.attr(key, value);
    }

    @Override
    public String toString() {
        return "WebSocket[" + target + ", " + connection + "]";
    }
}
