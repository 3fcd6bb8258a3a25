package io.eddy.core.net;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.IoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of a {@link TcpServer}, on one loop: accepts at most 64 connections per
 * wake-up (so a busy listener cannot starve the loop's other channels) and hands each to the
 * server. When accepting fails (out of file descriptors) it pauses for 100 ms rather than spin. A
 * server has one, or one per loop of its group with {@code reusePort}.
 *
 * <p>Threading: lives on its loop; {@link #close()} is safe from any thread.
 */
final class Listener implements IoHandler {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private final String serverName;
    private final EventLoop loop;
    private final ServerSocketChannel channel;
    private final InetSocketAddress address;
    private final Consumer<SocketChannel> accepted;
    private SelectionKey key;

    /**
     * @param accepted told of each accepted socket, on this listener's loop
     */
    Listener(String serverName, EventLoop loop, ServerSocketChannel channel, Consumer<SocketChannel> accepted)
            throws IOException {
        this.serverName = serverName;
        this.loop = loop;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.accepted = accepted;
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * Registers with the loop: at once on the loop thread, else as a task not waited for (the loop
     * may not run yet: an application that embeds it starts servers first, then calls
     * {@code run()}). The socket is bound already, so clients that connect meanwhile wait in the
     * backlog.
     */
    void start() throws IOException {
        if (loop.inEventLoop()) {
            key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
        } else {
            loop.execute(this::registerOrClose);
        }
    }

    private void registerOrClose() {
        try {
            key = loop.register(channel, SelectionKey.OP_ACCEPT, this);
        } catch (IOException | RuntimeException e) {
            log.error("cannot register the listener on {}; closing it", address, e);
            closeOnLoop();
        }
    }

    /** Stops accepting. Thread-safe. */
    void close() {
        if (loop.inEventLoop()) {
            closeOnLoop();
        } else {
            try {
                loop.execute(this::closeOnLoop);
            } catch (RejectedExecutionException e) {
                closeOnLoop();
            }
        }
    }

    private void closeOnLoop() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.close();
            log.info("{} stopped listening on {}", serverName, address);
        } catch (IOException e) {
            log.warn("closing the listener on {} failed", address, e);
        }
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel socket;
            try {
                socket = channel.accept();
            } catch (IOException e) {
                log.warn("accepting on {} failed: {}; pausing accepts for {} ms", address, e.getMessage(),
                        ACCEPT_BACKOFF.toMillis());
                pauseAccepting();
                return;
            }
            if (socket == null) {
                return;
            }
            accepted.accept(socket);
        }
    }

    private void pauseAccepting() {
        if (key.isValid()) {
            key.interestOps(0);
            loop.schedule(ACCEPT_BACKOFF, () -> {
                if (key.isValid()) {
                    key.interestOps(SelectionKey.OP_ACCEPT);
                }
            });
        }
    }

    @Override
    public void onStopAccepting() {
        closeOnLoop();
    }

    @Override
    public void onLoopClosing() {
        closeOnLoop();
    }

    @Override
    public void onForceClose() {
        closeOnLoop();
    }

    @Override
    public String toString() {
        return serverName + " listener on " + address;
    }
}
