package io.eddy.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The ceiling of the line echo rows: a hand-written line echo on {@code java.nio} alone, no
 * framework. One loop, one {@link Selector}, one direct read buffer for every connection; the
 * whole lines of a read go back in one write from that same buffer, without a copy, each ended by
 * {@code \n} as {@link LineEchoServer}'s {@code LineCodec} writes it (a {@code \r} before the
 * {@code \n} is dropped in place, as that codec drops it). A partial line waits in the
 * connection's own small buffer for the rest; one longer than 8192 bytes closes the connection.
 *
 * <p>{@code java -cp benchmarks.jar io.eddy.bench.NioCeilingLineEchoServer --port N}. Threading:
 * the main thread is the loop and does everything.
 */
public final class NioCeilingLineEchoServer extends NioCeiling {

    private static final int MAX_LINE = 8192;

    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024 + MAX_LINE);
    private final ByteBuffer[] echo = new ByteBuffer[1];

    private NioCeilingLineEchoServer(Selector selector, ServerSocketChannel listener) {
        super(selector, listener);
    }

    /** Binds {@code port} (0: any free port); serves once {@link #run} runs. */
    static NioCeilingLineEchoServer open(int port) throws IOException {
        Selector selector = Selector.open();
        return new NioCeilingLineEchoServer(selector, listen(selector, port));
    }

    /** {@code --port N} (0: any free port); prints {@value ServerArgs#READY} and the port once it listens. */
    public static void main(String[] args) throws IOException {
        NioCeiling.main(args, NioCeilingLineEchoServer::open);
    }

    @Override
    void onReady(SelectionKey key) throws IOException {
        if (key.isAcceptable()) {
            acceptAll((ServerSocketChannel) key.channel(), selector);
            return;
        }
        SocketChannel channel = (SocketChannel) key.channel();
        Pending pending = (Pending) key.attachment();
        try {
            if (!pending.mayRead(key)) {
                return;
            }
            in.clear();
            if (pending.partial != null) {
                in.put(pending.partial);
                pending.partial = null;
            }
            int carried = in.position();
            in.limit(in.capacity() - MAX_LINE + carried);
            if (channel.read(in) < 0) {
                channel.close();
                return;
            }
            echo(key, channel, pending, in.flip());
        } catch (IOException e) {
            drop(key);
        }
    }

    /** Writes back the whole lines of {@code read}, CRs before LFs dropped in place; keeps the partial last one. */
    private void echo(SelectionKey key, SocketChannel channel, Pending pending, ByteBuffer read) throws IOException {
        int out = 0;
        int lineStart = 0;
        for (int i = 0, end = read.limit(); i < end; i++) {
            byte b = read.get(i);
            if (b == '\n') {
                if (out > lineStart && read.get(out - 1) == '\r') {
                    out--;
                }
                read.put(out++, b);
                lineStart = out;
            } else if (out != i) {
                read.put(out++, b);
            } else {
                out++;
            }
        }
        keepPartial(pending, read.duplicate().position(lineStart).limit(out));
        if (lineStart == 0) {
            return;
        }
        read.position(0).limit(lineStart);
        channel.write(read);
        if (read.hasRemaining()) {
            echo[0] = read;
            pending.keep(key, echo, 1);
        }
    }

    private static void keepPartial(Pending pending, ByteBuffer rest) throws IOException {
        if (!rest.hasRemaining()) {
            return;
        }
        if (rest.remaining() > MAX_LINE) {
            throw new IOException("line longer than " + MAX_LINE + " bytes");
        }
        pending.partial = ByteBuffer.allocate(rest.remaining()).put(rest).flip();
    }
}
