package io.eddy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The broadcast load: {@code receivers} connections that drain what they are sent as fast as one
 * thread can read, and one sender that sends a fixed number of {@value BroadcastWire#MESSAGE_BYTES}-byte
 * messages for the server to broadcast to all of them. At most {@code window} messages are on their
 * way at once (sent but not yet received by every receiver), so no receiver's queue on the server
 * grows past a few KiB: the server never has a member that is not writable, and every message must
 * reach every receiver, in order, checked byte for byte. Latency runs from sending a message to its
 * arrival at the last receiver. Before the first message and after the last, the sender asks the
 * server what its loop threads have allocated, for bytes allocated per delivered message.
 *
 * <p>The messages travel as lines ({@link BroadcastFraming#LINES}) or in WebSocket frames
 * ({@link WebSocketWire#BROADCAST}): the {@link BroadcastFraming} says how.
 *
 * <p>Receivers join in batches, each awaited (the server greets a member once it is in the group),
 * so the server's accept backlog never overflows and no broadcast misses a receiver.
 *
 * <p>Threading: {@link #run} blocks its caller, who is the only thread involved.
 */
final class BroadcastLoad {

    /** The longest the run waits for any progress (a greeting, a message reaching everyone). */
    static final long STALL_MILLIS = 10_000;

    private static final int JOIN_BATCH = 64;

    private final InetSocketAddress address;
    private final int receivers;
    private final int window;
    private final BroadcastFraming framing;
    private final byte[] welcome;

    /** A broadcast of lines. */
    BroadcastLoad(InetSocketAddress address, int receivers, int window) {
        this(address, receivers, window, BroadcastFraming.LINES);
    }

    BroadcastLoad(InetSocketAddress address, int receivers, int window, BroadcastFraming framing) {
        if (receivers < 1 || window < 1) {
            throw new IllegalArgumentException("receivers and the window must be at least 1");
        }
        this.address = address;
        this.receivers = receivers;
        this.window = window;
        this.framing = framing;
        this.welcome = framing.welcome();
    }

    /**
     * What one run did.
     *
     * @param messages       messages sent, each received by every receiver
     * @param receivers      receivers each message reached
     * @param seconds        from the first message sent to the last one's arrival at the last receiver
     * @param latencies      per message, from sending it to its arrival at the last receiver
     * @param allocatedBytes bytes the server's loop threads allocated meanwhile; -1 when it cannot say
     */
    record Result(long messages, int receivers, double seconds, Histogram latencies, long allocatedBytes) {

        /** Messages delivered: each message once per receiver. */
        long delivered() {
            return messages * receivers;
        }

        /** Server bytes allocated per delivered message; NaN when unknown. */
        double allocatedPerDelivery() {
            return allocatedBytes < 0 || delivered() == 0 ? Double.NaN : allocatedBytes / (double) delivered();
        }

        /** As the rows log it: deliveries and message latencies. */
        LoadResult asLoadResult() {
            return LoadResult.of(delivered(), seconds, latencies, 0);
        }
    }

    /** Connects the receivers and the sender, sends {@code messages}, and waits until every receiver has each. */
    Result run(long messages) throws IOException {
        try (Selector selector = Selector.open(); Sender sender = new Sender()) {
            Progress progress = new Progress(window);
            Pump pump = new Pump(selector);
            List<Receiver> joined = new ArrayList<>(receivers);
            try {
                while (joined.size() < receivers) {
                    int batch = Math.min(JOIN_BATCH, receivers - joined.size());
                    for (int i = 0; i < batch; i++) {
                        joined.add(new Receiver(selector, progress));
                    }
                    int greeted = joined.size();
                    pump.until(() -> progress.welcomed == greeted, () -> "receivers greeted: " + progress.welcomed + " of " + greeted);
                }
                sender.greeted();
                long allocatedBefore = sender.allocated();
                byte[] message = new byte[BroadcastWire.MESSAGE_BYTES];
                int sentBytes = framing.sent(message).length;
                byte[] batch = new byte[window * sentBytes];
                long start = System.nanoTime();
                long sent = 0;
                while (progress.completed < messages) {
                    int count = 0;
                    long now = System.nanoTime();
                    for (; sent < messages && sent < progress.completed + window; sent++, count++) {
                        BroadcastWire.write(sent, message, 0);
                        System.arraycopy(framing.sent(message), 0, batch, count * sentBytes, sentBytes);
                        progress.sent(sent, now);
                    }
                    sender.send(batch, count * sentBytes);
                    // Until a message has reached everyone, which makes room for the next one.
                    long before = progress.completed;
                    pump.until(() -> progress.completed > before,
                            () -> "messages received by every receiver: " + progress.completed + " of " + messages);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long allocatedAfter = sender.allocated();
                long allocated = allocatedBefore < 0 || allocatedAfter < 0 ? -1 : allocatedAfter - allocatedBefore;
                return new Result(messages, receivers, seconds, progress.latencies, allocated);
            } finally {
                for (Receiver receiver : joined) {
                    receiver.channel.close();
                }
            }
        }
    }

    /** Reads what the receivers got, into one buffer they share (each keeps only its partial message). */
    private static final class Pump {
        final Selector selector;
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);

        Pump(Selector selector) {
            this.selector = selector;
        }

        /** Reads until {@code done} holds; fails, saying {@code status}, after {@value #STALL_MILLIS} ms without. */
        void until(BooleanSupplier done, Supplier<String> status) throws IOException {
            long deadline = System.nanoTime() + STALL_MILLIS * 1_000_000;
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no progress for " + STALL_MILLIS + " ms; " + status.get());
                }
                selector.select(100);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Receiver) key.attachment()).read(in, now);
                }
                selector.selectedKeys().clear();
            }
        }
    }

    /**
     * The messages on their way: when each was sent and how many receivers have it, in a ring of
     * {@code window} slots (no more are on their way at once). Each receiver gets the messages in
     * order, so a message reaches the last receiver only after every earlier one has: the messages
     * completed are always a prefix.
     */
    static final class Progress {
        final long[] sentAt;
        final int[] reached;
        final Histogram latencies = new Histogram();
        int welcomed;
        long completed;

        Progress(int window) {
            sentAt = new long[window];
            reached = new int[window];
        }

        void sent(long sequence, long now) {
            int slot = (int) (sequence % sentAt.length);
            sentAt[slot] = now;
            reached[slot] = 0;
        }

        void received(long sequence, int receivers, long now) {
            int slot = (int) (sequence % sentAt.length);
            if (++reached[slot] == receivers) {
                latencies.record(now - sentAt[slot]);
                completed = sequence + 1;
            }
        }
    }

    /** One receiver: its greeting, then whole messages, each checked against the next it expects. */
    private final class Receiver {
        final SocketChannel channel;
        final Progress progress;
        final byte[] frame = new byte[framing.header() + BroadcastWire.MESSAGE_BYTES];
        int welcomeRead;
        int filled;
        long next;

        Receiver(Selector selector, Progress progress) throws IOException {
            this.channel = LoadConnection.open(address);
            channel.configureBlocking(true);
            framing.open(channel);
            channel.configureBlocking(false);
            this.progress = progress;
            channel.register(selector, SelectionKey.OP_READ, this);
        }

        void read(ByteBuffer in, long now) throws IOException {
            in.clear();
            if (channel.read(in) < 0) {
                throw new IOException("the server closed a receiver after " + next + " messages");
            }
            byte[] bytes = in.array();
            int position = 0;
            int end = in.position();
            while (position < end) {
                if (welcomeRead < welcome.length) {
                    if (bytes[position++] != welcome[welcomeRead++]) {
                        throw new IllegalStateException("a receiver was not greeted with " + BroadcastWire.WELCOME);
                    }
                    if (welcomeRead == welcome.length) {
                        progress.welcomed++;
                    }
                    continue;
                }
                int take = Math.min(frame.length - filled, end - position);
                System.arraycopy(bytes, position, frame, filled, take);
                position += take;
                filled += take;
                if (filled == frame.length) {
                    framing.checkHeader(frame);
                    BroadcastWire.check(framing.header() == 0 ? frame : Arrays.copyOfRange(frame, framing.header(), frame.length), next);
                    progress.received(next++, receivers, now);
                    filled = 0;
                }
            }
        }
    }

    /** The sender: a blocking socket, as it writes a few KiB at most and reads only its own answers. */
    private final class Sender implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;

        Sender() throws IOException {
            socket.connect(address, (int) STALL_MILLIS);
            socket.setSoTimeout((int) STALL_MILLIS);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            framing.open(socket);
        }

        void greeted() throws IOException {
            String line = framing.answer(in);
            if (!line.equals(BroadcastWire.WELCOME)) {
                throw new IllegalStateException("the sender was not greeted with " + BroadcastWire.WELCOME + ": " + line);
            }
        }

        void send(byte[] bytes, int length) throws IOException {
            if (length > 0) {
                socket.getOutputStream().write(bytes, 0, length);
            }
        }

        long allocated() throws IOException {
            socket.getOutputStream().write(framing.question());
            return BroadcastWire.allocatedBytes(framing.answer(in));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
