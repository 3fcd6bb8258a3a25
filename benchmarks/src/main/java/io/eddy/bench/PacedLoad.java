package io.eddy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An open-loop load generator: requests at a fixed rate, spread over {@code connections}
 * kept-alive connections on one thread, sent when the {@link Schedule} says they are due and not
 * when the last answer came back. So the server is loaded below its limit, and its CPU time per
 * request can be compared with another server's at the same rate. A request that comes due while
 * every connection waits for an answer is not sent and is counted; latency runs from when a
 * request was due, not when it went out, so a late generator or a slow server both show in it.
 * Every answer is checked by the {@link Protocol}; a wrong one ends the run with an exception.
 *
 * <p>When the run's time is up no more requests are scheduled, and the answers still owed are
 * waited for (at most {@link #DRAIN}), so every request sent is answered and measured.
 *
 * <p>The generator polls its selector without sleeping while the next request is due within a
 * millisecond (at 25,000 requests a second one is due every 40 µs, below what a timed select can
 * wait for): it takes its whole core, the load generator's core, to keep to the schedule.
 *
 * <p>Threading: {@link #run} blocks its caller, who is the only thread involved.
 */
final class PacedLoad {

    /** The longest wait, after the run, for the answers still owed. */
    static final Duration DRAIN = Duration.ofSeconds(5);

    private static final long NANOS_PER_MILLI = 1_000_000;

    private final InetSocketAddress address;
    private final Protocol protocol;
    private final int connections;
    private final long ratePerSecond;

    PacedLoad(InetSocketAddress address, Protocol protocol, int connections, long ratePerSecond) {
        if (connections < 1 || ratePerSecond < 1) {
            throw new IllegalArgumentException("connections and the rate must be at least 1");
        }
        this.address = address;
        this.protocol = protocol;
        this.connections = connections;
        this.ratePerSecond = ratePerSecond;
    }

    /**
     * What one paced run did.
     *
     * @param scheduled requests that came due during the run
     * @param answered  requests sent and answered correctly ({@code scheduled - unsent})
     * @param unsent    requests that came due while no connection was free
     * @param seconds   from the first request due to the last answer
     * @param latencies from each request's due time to its answer
     */
    record Result(long scheduled, long answered, long unsent, double seconds, Histogram latencies) {

        /** As the rows report it: answers, latencies, and requests not sent in the errors column. */
        LoadResult asLoadResult() {
            return LoadResult.of(answered, seconds, latencies, unsent);
        }
    }

    /** Runs the schedule for {@code duration}, then collects the answers still owed. */
    Result run(Duration duration) throws IOException {
        Histogram latencies = new Histogram();
        List<Client> clients = new ArrayList<>(connections);
        Deque<Client> free = new ArrayDeque<>(connections);
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(new Client(selector, free));
                }
                free.addAll(clients);
                long start = System.nanoTime();
                long deadline = start + duration.toNanos();
                Schedule schedule = new Schedule(ratePerSecond, start);
                long answered = 0;
                long now = start;
                while (now < deadline) {
                    schedule.dispatch(now, free, Client::send);
                    long wait = Math.min(schedule.nextDue(), deadline) - now;
                    if (wait >= NANOS_PER_MILLI) {
                        selector.select(wait / NANOS_PER_MILLI);
                    } else {
                        selector.selectNow();
                    }
                    now = System.nanoTime();
                    answered += answers(selector, now, latencies);
                }
                long drainDeadline = now + DRAIN.toNanos();
                while (free.size() < clients.size()) {
                    if (now >= drainDeadline) {
                        throw new IOException((clients.size() - free.size()) + " answers still owed "
                                + DRAIN.toSeconds() + " s after the run");
                    }
                    selector.select(Math.max(1, (drainDeadline - now) / NANOS_PER_MILLI));
                    now = System.nanoTime();
                    answered += answers(selector, now, latencies);
                }
                return new Result(schedule.scheduled(), answered, schedule.unsent(), (now - start) / 1e9, latencies);
            } finally {
                for (Client client : clients) {
                    client.connection.close();
                }
            }
        }
    }

    private static int answers(Selector selector, long now, Histogram latencies) throws IOException {
        int answers = 0;
        for (SelectionKey key : selector.selectedKeys()) {
            answers += ((Client) key.attachment()).onReady(now, latencies);
        }
        selector.selectedKeys().clear();
        return answers;
    }

    /** One connection: at most one request outstanding; back in the free queue once it is answered. */
    private final class Client {
        final LoadConnection connection;
        final Deque<Client> free;
        boolean outstanding;
        long dueAt;

        Client(Selector selector, Deque<Client> free) throws IOException {
            this.connection = new LoadConnection(address, protocol, protocol.request(), selector, this);
            this.free = free;
        }

        void send(long due) throws IOException {
            outstanding = true;
            dueAt = due;
            connection.send();
        }

        /** Handles readiness; returns 1 when the outstanding request was answered, else 0. */
        int onReady(long now, Histogram latencies) throws IOException {
            int answers = connection.onReady();
            if (answers == 0) {
                return 0;
            }
            if (answers > 1 || !outstanding) {
                throw new IllegalStateException(answers + " answers to " + (outstanding ? "one request" : "no request"));
            }
            latencies.record(now - dueAt);
            outstanding = false;
            // To the back of the queue: requests go round all the connections, as from that many clients.
            free.addLast(this);
            return 1;
        }
    }
}
