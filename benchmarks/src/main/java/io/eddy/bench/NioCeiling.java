package io.eddy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * What the hand-written ceiling servers share, and nothing more: one {@link Selector} and the loop
 * over it (select, each ready key to the server, repeat), the command line, and for TCP the
 * listening socket and the bytes a socket did not take yet. Each server's own work is one method,
 * {@link #onReady}, written out in full in its class.
 *
 * <p>Threading: {@link #run} is the loop, on the calling thread; {@link #close} may come from
 * another thread, and ends it.
 */
abstract class NioCeiling implements AutoCloseable {

    /** Opens a server on a port. */
    @FunctionalInterface
    interface Opener {
        NioCeiling open(int port) throws IOException;
    }

    final Selector selector;
    private final NetworkChannel socket;

    /** A server listening on {@code socket}, which is registered with {@code selector} already. */
    NioCeiling(Selector selector, NetworkChannel socket) {
        this.selector = selector;
        this.socket = socket;
    }

    /** {@code --port N} (0: any free port); prints {@value ServerArgs#READY} and the port once it listens, then serves. */
    static void main(String[] args, Opener opener) throws IOException {
        ServerArgs options = ServerArgs.parse(args);
        if (options.loops() != 1) {
            throw new IllegalArgumentException("a ceiling server has one loop");
        }
        NioCeiling server = opener.open(options.port());
        ServerArgs.announce(server.port());
        server.run();
    }

    /** A non-blocking TCP listener on {@code port}, registered for accepts with {@code selector}. */
    static ServerSocketChannel listen(Selector selector, int port) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(port), 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        return listener;
    }

    /** Accepts every connection waiting, each without Nagle's delay, registered for reads with a fresh {@link Pending}. */
    static void acceptAll(ServerSocketChannel listener, Selector selector) throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.register(selector, SelectionKey.OP_READ, new Pending());
        }
    }

    /** The port it listens on. */
    final int port() throws IOException {
        return ((InetSocketAddress) socket.getLocalAddress()).getPort();
    }

    /** Handles one ready key. */
    abstract void onReady(SelectionKey key) throws IOException;

    /** Runs before each select; returns how long it may sleep, in milliseconds (0: until something happens). */
    long beforeSelect() {
        return 0;
    }

    /** Serves until {@link #close} is called, on the calling thread. */
    final void run() throws IOException {
        try {
            while (true) {
                selector.select(beforeSelect());
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid()) {
                        onReady(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException closed) {
            // close() from another thread: done
        }
    }

    /** Stops serving: closes the selector, which ends {@link #run}, and the socket. */
    @Override
    public final void close() throws IOException {
        selector.close();
        socket.close();
    }

    /** Closes a connection that failed (a reset peer): nothing to answer, nothing to log in a benchmark. */
    static void drop(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing a broken socket: nothing left to do
        }
    }

    /**
     * A TCP connection's own state, beside the shared read buffer: what it sent that the socket
     * did not take yet, and the start of a message carried over to the next read.
     */
    static final class Pending {
        /** Bytes the socket did not take yet; while there are some, the connection does not read. */
        ByteBuffer out;
        /** The start of a message that the next read completes (line echo), or null. */
        ByteBuffer partial;
        /** How much of the end of a request head the last read ended in (HTTP). */
        int matched;

        /** Keeps a copy of what is left of the first {@code count} {@code buffers} and waits for the socket to take it. */
        void keep(SelectionKey key, ByteBuffer[] buffers, int count) {
            int left = 0;
            for (int i = 0; i < count; i++) {
                left += buffers[i].remaining();
            }
            out = ByteBuffer.allocate(left);
            for (int i = 0; i < count; i++) {
                out.put(buffers[i]);
            }
            out.flip();
            key.interestOps(SelectionKey.OP_WRITE);
        }

        /** Writes what waits; true once nothing does, and reading resumes. */
        boolean flush(SelectionKey key) throws IOException {
            ((SocketChannel) key.channel()).write(out);
            if (out.hasRemaining()) {
                return false;
            }
            out = null;
            key.interestOps(SelectionKey.OP_READ);
            return true;
        }

        /** Whether the connection may read: it is readable, and nothing waits to be written. */
        boolean mayRead(SelectionKey key) throws IOException {
            if (key.isWritable() && !flush(key)) {
                return false;
            }
            return key.isReadable() && out == null;
        }
    }
}
