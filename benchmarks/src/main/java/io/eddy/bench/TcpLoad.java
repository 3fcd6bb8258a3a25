package io.eddy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in TCP load generator: {@code connections} kept-alive connections on one thread, each
 * sending {@code depth} requests in one write (pipelining when above 1) and the next batch as soon
 * as every answer of the last one is in. Every answer is checked by the {@link Protocol}; a wrong
 * one ends the run with an exception. Latency is measured per batch, from its write to its last
 * answer (with {@code depth} 1, per request).
 *
 * <p>With a {@code window} instead, each connection keeps {@code depth} requests in flight: each
 * answer's request is replaced at once, one write per request, as a client that sends each request
 * when it can. The server then reads what came in since its last read, a few requests rather than
 * whole batches (a batch written at once stays a batch, however the answers come back); latency is
 * measured per request.
 *
 * <p>Threading: {@link #run} blocks its caller, who is the only thread involved.
 */
final class TcpLoad {

    private final InetSocketAddress address;
    private final Protocol protocol;
    private final int connections;
    private final int depth;
    private final boolean window;

    /** Batches of {@code depth} requests. */
    TcpLoad(InetSocketAddress address, Protocol protocol, int connections, int depth) {
        this(address, protocol, connections, depth, false);
    }

    /** Batches of {@code depth} requests, or with {@code window} that many kept in flight. */
    TcpLoad(InetSocketAddress address, Protocol protocol, int connections, int depth, boolean window) {
        if (connections < 1 || depth < 1) {
            throw new IllegalArgumentException("connections and depth must be at least 1");
        }
        this.address = address;
        this.protocol = protocol;
        this.connections = connections;
        this.depth = depth;
        this.window = window;
    }

    /** Runs the load for {@code duration}; counts the answers received in that time. */
    LoadResult run(Duration duration) throws IOException {
        byte[] batch = new byte[protocol.request().length * depth];
        for (int i = 0; i < depth; i++) {
            System.arraycopy(protocol.request(), 0, batch, i * protocol.request().length, protocol.request().length);
        }
        Histogram latencies = new Histogram();
        List<Client> clients = new ArrayList<>(connections);
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(new Client(batch, selector));
                }
                long start = System.nanoTime();
                long deadline = start + duration.toNanos();
                long answers = 0;
                for (Client client : clients) {
                    client.send(start);
                }
                long now;
                while ((now = System.nanoTime()) < deadline) {
                    selector.select(Math.max(1, (deadline - now) / 1_000_000));
                    now = System.nanoTime();
                    for (SelectionKey key : selector.selectedKeys()) {
                        answers += ((Client) key.attachment()).onReady(now, latencies);
                    }
                    selector.selectedKeys().clear();
                }
                return LoadResult.of(answers, (System.nanoTime() - start) / 1e9, latencies, 0);
            } finally {
                for (Client client : clients) {
                    client.connection.close();
                }
            }
        }
    }

    /** One connection: the requests going out, the answers coming in. */
    private final class Client {
        final LoadConnection connection;
        final int requestLength;
        int awaiting;
        long sentAt;
        /** With a window: when each request in flight was sent, oldest first, and those owed a write. */
        final long[] sentTimes;
        int oldest;
        int owed;

        Client(byte[] batch, Selector selector) throws IOException {
            this.connection = new LoadConnection(address, protocol, batch, selector, this);
            this.requestLength = batch.length / depth;
            this.sentTimes = window ? new long[depth] : null;
        }

        void send(long now) throws IOException {
            if (window) {
                owed = depth;
                sendOwed(now);
                return;
            }
            awaiting = depth;
            sentAt = now;
            connection.send();
        }

        /** Handles readiness; returns the answers that arrived. */
        int onReady(long now, Histogram latencies) throws IOException {
            int answers = connection.onReady();
            awaiting -= answers;
            if (awaiting < 0) {
                throw new IllegalStateException("more answers than requests");
            }
            if (window) {
                for (int i = 0; i < answers; i++) {
                    latencies.record(now - sentTimes[oldest]);
                    oldest = (oldest + 1) % depth;
                }
                owed += answers;
                sendOwed(now);
            } else if (awaiting == 0) {
                latencies.record(now - sentAt);
                send(now);
            }
            return answers;
        }

        /** Sends the requests owed, one write each, until the socket takes no more. */
        private void sendOwed(long now) throws IOException {
            while (owed > 0 && !connection.writing()) {
                sentTimes[(oldest + awaiting) % depth] = now;
                awaiting++;
                owed--;
                connection.send(requestLength);
            }
        }
    }
}
