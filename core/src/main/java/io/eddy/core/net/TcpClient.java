package io.eddy.core.net;

import io.eddy.core.codec.Codec;
import io.eddy.core.internal.TcpConnection;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.IoHandler;
import io.eddy.core.loop.ScheduledTask;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens TCP connections from an event loop, with the same pipeline model as {@link TcpServer}.
 *
 * <pre>{@code
 * Connection<String> connection = TcpClient.on(loop)
 *         .codec(LineCodec::new)
 *         .handler((c, line) -> System.out.println(line))
 *         .connect("127.0.0.1", 9998)
 *         .join();
 * }</pre>
 *
 * <p>The connect is non-blocking and bounded by {@link #connectTimeout} (default 10 s); a timeout
 * fails the future with a {@link SocketTimeoutException}. A host name is resolved by
 * {@link #connect(String, int)} on the calling thread: from a handler (on the loop), pass an
 * already resolved {@link InetSocketAddress} instead, so a slow name lookup cannot stall the loop.
 *
 * <p>Threading: configure it on one thread; {@link #connect} is then safe from any thread. The
 * future completes on the loop thread (or at once on the caller's, when the address is unresolved
 * or the loop has terminated).
 *
 * @param <I> messages received
 * @param <O> messages written
 */
public final class TcpClient<I, O> {

    private static final Logger log = LoggerFactory.getLogger(TcpClient.class);

    private final EventLoop loop;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private ConnectionOptions options = ConnectionOptions.defaults();
    private Supplier<? extends Codec<I, O>> codecs;
    private Handler<I, O> handler;

    private TcpClient(EventLoop loop) {
        this.loop = loop;
    }

    /** Starts configuring a client on {@code loop}. */
    public static TcpClient<Void, Void> on(EventLoop loop) {
        return new TcpClient<>(Objects.requireNonNull(loop, "loop"));
    }

    /** How long a connect may take (default 10 s). */
    public TcpClient<I, O> connectTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
        }
        this.connectTimeout = timeout;
        return this;
    }

    /** Limits and socket settings for the connections (default {@link ConnectionOptions#defaults()}). */
    public TcpClient<I, O> options(ConnectionOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Makes each connection's codec. Set it before the handler. */
    @SuppressWarnings("unchecked")
    public <I2, O2> TcpClient<I2, O2> codec(Supplier<? extends Codec<I2, O2>> codecs) {
        TcpClient<I2, O2> typed = (TcpClient<I2, O2>) this;
        typed.codecs = Objects.requireNonNull(codecs, "codecs");
        typed.handler = null;
        return typed;
    }

    /** Receives the connections' messages and events. */
    public TcpClient<I, O> handler(Handler<I, O> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Connects to {@code host}:{@code port}. */
    public CompletableFuture<Connection<O>> connect(String host, int port) {
        return connect(new InetSocketAddress(host, port));
    }

    /**
     * Connects to {@code address}. The future completes with the open connection (after the
     * handler's {@code onOpen}), or fails with the reason: refused, unresolved, timed out.
     */
    public CompletableFuture<Connection<O>> connect(InetSocketAddress address) {
        if (codecs == null || handler == null) {
            throw new IllegalStateException("a client needs a codec and a handler");
        }
        CompletableFuture<Connection<O>> result = new CompletableFuture<>();
        if (address.isUnresolved()) {
            result.completeExceptionally(new java.net.UnknownHostException(address.getHostString()));
            return result;
        }
        Codec<I, O> codec = codecs.get();
        Handler<I, O> h = handler;
        ConnectionOptions o = options;
        Duration timeout = connectTimeout;
        try {
            loop.execute(() -> new PendingConnect<>(loop, address, codec, h, o, result).start(timeout));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** A connect in progress: waits for OP_CONNECT, then becomes a {@link TcpConnection}. */
    private static final class PendingConnect<I, O> implements IoHandler {
        private final EventLoop loop;
        private final InetSocketAddress address;
        private final Codec<I, O> codec;
        private final Handler<I, O> handler;
        private final ConnectionOptions options;
        private final CompletableFuture<Connection<O>> result;
        private SocketChannel channel;
        private SelectionKey key;
        private ScheduledTask timer;

        PendingConnect(EventLoop loop, InetSocketAddress address, Codec<I, O> codec, Handler<I, O> handler,
                       ConnectionOptions options, CompletableFuture<Connection<O>> result) {
            this.loop = loop;
            this.address = address;
            this.codec = codec;
            this.handler = handler;
            this.options = options;
            this.result = result;
        }

        void start(Duration timeout) {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                if (options.receiveBufferSize() > 0) {
                    // Before connect: the handshake sets the window scale from it (see TcpServer).
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
                }
                if (channel.connect(address)) {
                    connected();
                    return;
                }
                key = loop.register(channel, SelectionKey.OP_CONNECT, this);
                timer = loop.schedule(timeout, () -> fail(new SocketTimeoutException(
                        "connect to " + address + " timed out after " + timeout.toMillis() + " ms")));
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override
        public void onReady(int readyOps) {
            try {
                if (channel.finishConnect()) {
                    connected();
                }
            } catch (IOException e) {
                fail(e);
            }
        }

        private void connected() throws IOException {
            if (timer != null) {
                timer.cancel();
            }
            if (result.isDone()) {
                close();
                return;
            }
            TcpConnection<I, O> connection = TcpConnection.open(loop, channel, key, codec, handler, options, null);
            result.complete(connection);
        }

        private void fail(Exception e) {
            if (timer != null) {
                timer.cancel();
            }
            close();
            log.debug("connect to {} failed: {}", address, e.toString());
            result.completeExceptionally(e);
        }

        private void close() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    log.debug("closing a failed connect's socket failed", e);
                }
            }
        }

        @Override
        public void onLoopClosing() {
            fail(new IOException("event loop is closing"));
        }

        @Override
        public void onForceClose() {
            fail(new IOException("event loop closed"));
        }

        @Override
        public String toString() {
            return "connect to " + address;
        }
    }
}
