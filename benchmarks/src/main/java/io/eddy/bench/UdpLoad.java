package io.eddy.bench;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

/**
 * The UDP load generator: request/response over one socket with {@code outstanding} datagrams of
 * 64 bytes in flight; each echo that comes back (checked byte for byte) sends the next. A datagram
 * is counted lost when nothing came back for {@value #LOSS_MILLIS} ms, and the window is refilled.
 * Each datagram carries its send time, so latency is measured per datagram.
 *
 * <p>Threading: {@link #run} blocks its caller, who is the only thread involved.
 */
final class UdpLoad {

    static final int PAYLOAD_BYTES = 64;
    private static final long LOSS_MILLIS = 200;

    private final InetSocketAddress address;
    private final int outstanding;

    UdpLoad(InetSocketAddress address, int outstanding) {
        if (outstanding < 1) {
            throw new IllegalArgumentException("outstanding must be at least 1");
        }
        this.address = address;
        this.outstanding = outstanding;
    }

    /** Runs the load for {@code duration}; counts the echoes received in that time. */
    LoadResult run(Duration duration) throws IOException {
        Histogram latencies = new Histogram();
        ByteBuffer out = ByteBuffer.allocate(PAYLOAD_BYTES);
        ByteBuffer in = ByteBuffer.allocate(2048);
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            channel.connect(address);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long echoes = 0;
            long lost = 0;
            int inFlight = 0;
            long lastEcho = start;
            for (; inFlight < outstanding; inFlight++) {
                send(channel, out, start);
            }
            long now;
            while ((now = System.nanoTime()) < deadline) {
                selector.select(Math.max(1, Math.min(LOSS_MILLIS, (deadline - now) / 1_000_000)));
                selector.selectedKeys().clear();
                while (channel.read(in.clear()) > 0) {
                    // The clock is read per echo: the next datagram's echo may come back in this loop.
                    now = System.nanoTime();
                    latencies.record(now - check(in.flip()));
                    echoes++;
                    lastEcho = now;
                    send(channel, out, now);
                }
                now = System.nanoTime();
                if (now - lastEcho > LOSS_MILLIS * 1_000_000) {
                    lost += inFlight;
                    for (int i = 0; i < inFlight; i++) {
                        send(channel, out, now);
                    }
                    lastEcho = now;
                }
            }
            return LoadResult.of(echoes, (System.nanoTime() - start) / 1e9, latencies, lost);
        }
    }

    /**
     * Sends one datagram and waits (up to ten seconds) for its echo, checked; a first exchange
     * that proves the server answers, however slowly a cold JVM starts.
     */
    static void exchangeOnce(InetSocketAddress address) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(10_000);
            ByteBuffer out = payload(ByteBuffer.allocate(PAYLOAD_BYTES), System.nanoTime());
            socket.send(new DatagramPacket(out.array(), PAYLOAD_BYTES, address));
            DatagramPacket echo = new DatagramPacket(new byte[2048], 2048);
            socket.receive(echo);
            check(ByteBuffer.wrap(echo.getData(), 0, echo.getLength()));
        }
    }

    private static void send(DatagramChannel channel, ByteBuffer out, long now) throws IOException {
        channel.write(payload(out, now));
    }

    /** {@code out} filled with a datagram holding its send time, then a fixed pattern; flipped. */
    private static ByteBuffer payload(ByteBuffer out, long now) {
        out.clear().putLong(now);
        while (out.hasRemaining()) {
            out.put((byte) ('a' + out.position() % 26));
        }
        return out.flip();
    }

    /** The send time of an echo, after checking that it is the datagram sent. */
    private static long check(ByteBuffer echo) {
        if (echo.remaining() != PAYLOAD_BYTES) {
            throw new IllegalStateException("echo of " + echo.remaining() + " bytes, " + PAYLOAD_BYTES + " sent");
        }
        long sentAt = echo.getLong();
        while (echo.hasRemaining()) {
            if (echo.get() != (byte) ('a' + (echo.position() - 1) % 26)) {
                throw new IllegalStateException("echo differs from the datagram sent at byte " + (echo.position() - 1));
            }
        }
        return sentAt;
    }
}
