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
 * 64 bytes in flight, one per slot; each echo that comes back (checked byte for byte) sends the
 * next datagram of its slot. A datagram whose echo has not come after {@value #LOSS_MILLIS} ms is
 * counted lost and its slot sends anew, so the window stays full; an echo that comes after that
 * (late, or duplicated) is ignored. Each datagram carries its send time, slot and sequence
 * number, so latency is measured per datagram. When the run's time is up, nothing more is sent
 * and the echoes still in flight are waited for (at most {@value #LOSS_MILLIS} ms, not counted in
 * the rate), so a run's losses are exactly the datagrams sent and never answered.
 *
 * <p>Threading: {@link #run} blocks its caller, who is the only thread involved.
 */
final class UdpLoad {

    static final int PAYLOAD_BYTES = 64;
    /** Send time, slot and sequence number, then a fixed pattern. */
    private static final int HEADER_BYTES = 16;
    static final long LOSS_MILLIS = 200;
    /** What the rows' {@code lost} column counts, for their page. */
    static final String LOSS_NOTE = "`lost` is the datagrams a run sent minus those answered: after the run's time the"
            + " load sends no more and waits up to " + LOSS_MILLIS + " ms for the echoes still in flight; an echo that"
            + " comes after " + LOSS_MILLIS + " ms counts as lost (its slot has sent anew). One socket on the load side"
            + " with the in-flight datagrams given; 64-byte datagrams.";

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
        long[] sentAt = new long[outstanding];
        int[] sequence = new int[outstanding];
        long lossNanos = LOSS_MILLIS * 1_000_000;
        try (DatagramChannel channel = DatagramChannel.open(); Selector selector = Selector.open()) {
            channel.connect(address);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            long start = System.nanoTime();
            long deadline = start + duration.toNanos();
            long echoes = 0;
            long datagrams = outstanding;
            for (int slot = 0; slot < outstanding; slot++) {
                send(channel, out, slot, sequence, sentAt, start);
            }
            long now;
            long nextLossCheck = start + lossNanos;
            while ((now = System.nanoTime()) < deadline) {
                selector.select(Math.max(1, Math.min(LOSS_MILLIS, (deadline - now) / 1_000_000)));
                selector.selectedKeys().clear();
                while (channel.read(in.clear()) > 0) {
                    in.flip();
                    long sent = check(in);
                    int slot = in.getInt(8);
                    if (slot < 0 || slot >= outstanding || in.getInt(12) != sequence[slot]) {
                        continue;   // an echo of a datagram already counted lost
                    }
                    // The clock is read per echo: the next datagram's echo may come back in this loop.
                    now = System.nanoTime();
                    latencies.record(now - sent);
                    echoes++;
                    datagrams++;
                    send(channel, out, slot, sequence, sentAt, now);
                }
                now = System.nanoTime();
                if (now >= nextLossCheck) {
                    for (int slot = 0; slot < outstanding; slot++) {
                        if (now - sentAt[slot] > lossNanos) {
                            datagrams++;
                            send(channel, out, slot, sequence, sentAt, now);
                        }
                    }
                    nextLossCheck = now + lossNanos / 4;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long answered = echoes + drain(channel, selector, in, outstanding, sequence, start + duration.toNanos() + lossNanos);
            return LoadResult.of(echoes, seconds, latencies, datagrams - answered);
        }
    }

    /**
     * Receives the echoes still in flight until {@code until} (nanoTime), sending nothing; returns
     * how many answered a datagram not yet given up on.
     */
    private static long drain(DatagramChannel channel, Selector selector, ByteBuffer in, int outstanding, int[] sequence,
                              long until) throws IOException {
        long answered = 0;
        boolean[] done = new boolean[outstanding];
        long now;
        while (answered < outstanding && (now = System.nanoTime()) < until) {
            selector.select(Math.max(1, (until - now) / 1_000_000));
            selector.selectedKeys().clear();
            while (channel.read(in.clear()) > 0) {
                in.flip();
                check(in);
                int slot = in.getInt(8);
                if (slot >= 0 && slot < outstanding && in.getInt(12) == sequence[slot] && !done[slot]) {
                    done[slot] = true;
                    answered++;
                }
            }
        }
        return answered;
    }

    /**
     * Sends one datagram and waits (up to ten seconds) for its echo, checked; a first exchange
     * that proves the server answers, however slowly a cold JVM starts.
     */
    static void exchangeOnce(InetSocketAddress address) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(10_000);
            ByteBuffer out = payload(ByteBuffer.allocate(PAYLOAD_BYTES), System.nanoTime(), 0, 0);
            socket.send(new DatagramPacket(out.array(), PAYLOAD_BYTES, address));
            DatagramPacket echo = new DatagramPacket(new byte[2048], 2048);
            socket.receive(echo);
            check(ByteBuffer.wrap(echo.getData(), 0, echo.getLength()));
        }
    }

    /** Sends the next datagram of {@code slot}, stamped with {@code now}. */
    private static void send(DatagramChannel channel, ByteBuffer out, int slot, int[] sequence, long[] sentAt, long now)
            throws IOException {
        sequence[slot]++;
        sentAt[slot] = now;
        channel.write(payload(out, now, slot, sequence[slot]));
    }

    /** {@code out} filled with a datagram holding its send time, slot and sequence number, then a fixed pattern; flipped. */
    private static ByteBuffer payload(ByteBuffer out, long now, int slot, int sequence) {
        out.clear().putLong(now).putInt(slot).putInt(sequence);
        while (out.hasRemaining()) {
            out.put((byte) ('a' + out.position() % 26));
        }
        return out.flip();
    }

    /** The send time of an echo, after checking that it is a datagram as sent; its position is left unchanged. */
    private static long check(ByteBuffer echo) {
        if (echo.remaining() != PAYLOAD_BYTES) {
            throw new IllegalStateException("echo of " + echo.remaining() + " bytes, " + PAYLOAD_BYTES + " sent");
        }
        for (int i = HEADER_BYTES; i < PAYLOAD_BYTES; i++) {
            if (echo.get(echo.position() + i) != (byte) ('a' + i % 26)) {
                throw new IllegalStateException("echo differs from the datagram sent at byte " + i);
            }
        }
        return echo.getLong(echo.position());
    }
}
