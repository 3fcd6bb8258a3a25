package io.eddy.http.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * A WebSocket's limits, timeouts and choices, the same for a server's route and a client's
 * connection. Immutable: each {@code with} returns a copy.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>maxFrameSize</td><td>1 MiB</td><td>longest frame payload taken; longer closes with 1009</td></tr>
 *   <tr><td>maxMessageSize</td><td>1 MiB</td><td>longest message taken (after inflating); longer closes with 1009</td></tr>
 *   <tr><td>fragmentSize</td><td>64 KiB</td><td>messages sent longer than this go out in frames of this size</td></tr>
 *   <tr><td>compression</td><td>off</td><td>agree permessage-deflate when the peer offers it (server) or offer it (client)</td></tr>
 *   <tr><td>contextTakeover</td><td>on</td><td>off: this side compresses each message alone (less memory kept between
 *       messages' worth of ratio; a server then says {@code server_no_context_takeover}, and its broadcasts can be
 *       compressed once for all)</td></tr>
 *   <tr><td>pingInterval</td><td>off</td><td>sends a ping this often; no pong within pingTimeout closes the connection</td></tr>
 *   <tr><td>pingTimeout</td><td>30 s</td><td>how long a keep-alive ping waits for its pong</td></tr>
 *   <tr><td>closeTimeout</td><td>5 s</td><td>how long a close waits for the peer's close frame (and a client for the TCP close)</td></tr>
 *   <tr><td>maxQueuedBytes</td><td>4 MiB</td><td>bytes waiting for a slow reader before a send meets {@link Backlog}</td></tr>
 *   <tr><td>backlog</td><td>{@code CLOSE}</td><td>what a send past maxQueuedBytes does</td></tr>
 * </table>
 *
 * <p>Threading: a value, safe anywhere.
 */
public final class WebSocketOptions {

    /** What a send does when more than {@code maxQueuedBytes} wait for a peer that reads slowly. */
    public enum Backlog {
        /** The message is dropped (counted in {@link WebSocket#dropped()}); later ones go when the queue has drained. */
        DROP,
        /** The connection closes with 1008 (policy), its queue dropped after the close timeout. */
        CLOSE
    }

    private static final WebSocketOptions DEFAULTS = new WebSocketOptions(1 << 20, 1 << 20, 64 * 1024, false, true,
            Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(5), 4L << 20, Backlog.CLOSE);

    private final int maxFrameSize;
    private final int maxMessageSize;
    private final int fragmentSize;
    private final boolean compression;
    private final boolean contextTakeover;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration closeTimeout;
    private final long maxQueuedBytes;
    private final Backlog backlog;

    private WebSocketOptions(int maxFrameSize, int maxMessageSize, int fragmentSize, boolean compression,
                             boolean contextTakeover, Duration pingInterval, Duration pingTimeout, Duration closeTimeout,
                             long maxQueuedBytes, Backlog backlog) {
        if (maxFrameSize < 125 || maxMessageSize < 1 || fragmentSize < 1 || maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxFrameSize must be at least 125; sizes must be positive");
        }
        if (pingInterval.isNegative() || pingTimeout.isNegative() || pingTimeout.isZero() || closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive (a ping interval of zero turns pings off)");
        }
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
        this.fragmentSize = fragmentSize;
        this.compression = compression;
        this.contextTakeover = contextTakeover;
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.closeTimeout = closeTimeout;
        this.maxQueuedBytes = maxQueuedBytes;
        this.backlog = Objects.requireNonNull(backlog, "backlog");
    }

    /** The defaults in the table above. */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    public WebSocketOptions withMaxFrameSize(int bytes) {
        return new WebSocketOptions(bytes, maxMessageSize, fragmentSize, compression, contextTakeover, pingInterval,
                pingTimeout, closeTimeout, maxQueuedBytes, backlog);
    }

    public WebSocketOptions withMaxMessageSize(int bytes) {
        return new WebSocketOptions(maxFrameSize, bytes, fragmentSize, compression, contextTakeover, pingInterval,
                pingTimeout, closeTimeout, maxQueuedBytes, backlog);
    }

    public WebSocketOptions withFragmentSize(int bytes) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, bytes, compression, contextTakeover, pingInterval,
                pingTimeout, closeTimeout, maxQueuedBytes, backlog);
    }

    public WebSocketOptions withCompression(boolean on) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, fragmentSize, on, contextTakeover, pingInterval,
                pingTimeout, closeTimeout, maxQueuedBytes, backlog);
    }

    public WebSocketOptions withContextTakeover(boolean on) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, fragmentSize, compression, on, pingInterval,
                pingTimeout, closeTimeout, maxQueuedBytes, backlog);
    }

    /** Keep-alive pings every {@code interval} (zero: none), each waiting {@code timeout} for its pong. */
    public WebSocketOptions withPings(Duration interval, Duration timeout) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, fragmentSize, compression, contextTakeover,
                Objects.requireNonNull(interval, "interval"), Objects.requireNonNull(timeout, "timeout"), closeTimeout,
                maxQueuedBytes, backlog);
    }

    public WebSocketOptions withCloseTimeout(Duration timeout) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, fragmentSize, compression, contextTakeover,
                pingInterval, pingTimeout, Objects.requireNonNull(timeout, "timeout"), maxQueuedBytes, backlog);
    }

    /** At most {@code bytes} wait for a slow reader; a send past them meets {@code backlog}. */
    public WebSocketOptions withBacklog(long bytes, Backlog backlog) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, fragmentSize, compression, contextTakeover,
                pingInterval, pingTimeout, closeTimeout, bytes, backlog);
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public int fragmentSize() {
        return fragmentSize;
    }

    public boolean compression() {
        return compression;
    }

    public boolean contextTakeover() {
        return contextTakeover;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public Duration pingTimeout() {
        return pingTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public long maxQueuedBytes() {
        return maxQueuedBytes;
    }

    public Backlog backlog() {
        return backlog;
    }
}
