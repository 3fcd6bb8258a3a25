package io.eddy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The ceiling of the UDP echo rows: a hand-written datagram echo on {@code java.nio} alone, no
 * framework. One loop, one {@link Selector}, one non-blocking {@link DatagramChannel}, one direct
 * buffer: every datagram received goes straight back to its sender from that buffer, until the
 * socket has no more. When the socket will not take an echo, that one echo waits for it to be
 * writable and receiving pauses meanwhile, so nothing is dropped here that the kernel did not drop.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NioCeilingUdpEchoServer --port N}. Threading:
 * the main thread is the loop and does everything.
 */
public final class NioCeilingUdpEchoServer extends NioCeiling {

    private final DatagramChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    /** The sender of the echo the socket did not take (it waits in {@link #buffer}), or null. */
    private SocketAddress waiting;

    private NioCeilingUdpEchoServer(Selector selector, DatagramChannel channel) {
        super(selector, channel);
        this.channel = channel;
    }

    /** Binds {@code port} (0: any free port); serves once {@link #run} runs. */
    static NioCeilingUdpEchoServer open(int port) throws IOException {
        Selector selector = Selector.open();
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(port));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
        return new NioCeilingUdpEchoServer(selector, channel);
    }

    /** {@code --port N} (0: any free port); prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws IOException {
        NioCeiling.main(args, NioCeilingUdpEchoServer::open);
    }

    /** Sends the echo that waits, if any, then echoes every datagram the socket holds; stops at one it cannot send yet. */
    @Override
    void onReady(SelectionKey key) throws IOException {
        if (waiting != null) {
            if (channel.send(buffer, waiting) == 0) {
                return;
            }
            waiting = null;
            key.interestOps(SelectionKey.OP_READ);
        }
        SocketAddress sender;
        while ((sender = channel.receive(buffer.clear())) != null) {
            buffer.flip();
            if (channel.send(buffer, sender) == 0) {
                waiting = sender;
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        }
    }
}
