package io.eddy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One connection of a TCP load generator: the same request bytes written again on each
 * {@link #send}, finished when the socket takes them, and the answers read and checked by the
 * {@link Protocol}. What to send when is the generator's business; this only moves bytes.
 *
 * <p>Threading: the generator's thread, the only one using the selector it is registered with.
 */
final class LoadConnection implements AutoCloseable {

    private final SocketChannel channel;
    private final SelectionKey key;
    private final Protocol protocol;
    private final ByteBuffer out;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

    /** Connects (blocking), then registers for reads with {@code selector}, {@code owner} attached to the key. */
    LoadConnection(InetSocketAddress address, Protocol protocol, byte[] request, Selector selector, Object owner)
            throws IOException {
        this.channel = open(address);
        channel.configureBlocking(true);
        protocol.open(channel);
        channel.configureBlocking(false);
        this.protocol = protocol;
        this.out = ByteBuffer.wrap(request);
        out.position(out.limit());   // nothing sent yet, so nothing is still going out
        this.key = channel.register(selector, SelectionKey.OP_READ, owner);
    }

    /** A blocking connect, then a non-blocking channel without Nagle's delay. */
    static SocketChannel open(InetSocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        return channel;
    }

    /** Writes the request; what the socket does not take now goes when it is writable. */
    void send() throws IOException {
        send(out.capacity());
    }

    /** Writes the request's first {@code length} bytes, as {@link #send()} writes all. */
    void send(int length) throws IOException {
        out.clear().limit(length);
        flush();
    }

    /** Whether the last send is still going out. */
    boolean writing() {
        return out.hasRemaining();
    }

    private void flush() throws IOException {
        channel.write(out);
        key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /**
     * Handles the key's readiness: finishes a write, reads; returns the whole answers that arrived.
     *
     * @throws IOException           when the server closed the connection
     * @throws IllegalStateException when an answer is wrong
     */
    int onReady() throws IOException {
        if (key.isWritable()) {
            flush();
        }
        if (!key.isReadable()) {
            return 0;
        }
        if (channel.read(in) < 0) {
            throw new IOException("the server closed a connection");
        }
        in.flip();
        int answers = protocol.answers(in);
        in.compact();
        return answers;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
