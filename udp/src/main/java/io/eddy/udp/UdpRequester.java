package io.eddy.udp;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and response over UDP, for clients: sends a request, waits for the datagram that answers
 * it, sends the request again when none comes in time, and completes a future with the reply.
 *
 * <pre>{@code
 * UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).codec(TextDatagramCodec::new))
 *         .timeout(Duration.ofSeconds(1))
 *         .retries(2)
 *         .start();
 * String reply = client.request(new InetSocketAddress("127.0.0.1", 5005), "hello").get();
 * }</pre>
 *
 * <p><b>Matching by correlation key.</b> Give a key ({@link Builder#correlate}) that the peer
 * echoes, such as a request id, and a reply answers the request from the same address with the same
 * key, in whatever order replies come, with any number of requests in flight. This is the only
 * matching that cannot mistake one reply for another, so use it whenever the peer can echo a key,
 * and always with retries: a reply to an earlier attempt then answers its own request or nothing.
 *
 * <p><b>Matching by address alone</b> (no key, the default). A reply is a datagram from the
 * address the request went to. So that a reply cannot answer the wrong request, one request per
 * peer is in flight at a time: further requests to that peer wait, in order, and each goes out
 * when the one before it has finished (answered, failed, or cancelled). Once a request has
 * finished, the datagrams its peer sent that reached the socket before the next request goes out
 * are read first, and answer nothing. What this cannot tell apart: a late reply that reaches the
 * socket after the next request went out, such as the answer to an earlier attempt of a request
 * sent twice, or the answer to a request that timed out or was cancelled, answers the next
 * request. With no retries and a peer that answers each datagram once, that takes a reply slower
 * than the timeout; with retries it takes only a slow first reply. Correlate where you can.
 *
 * <p>A datagram that answers no request goes to the endpoint builder's handler if it had one, and
 * is otherwise logged at debug level and counted ({@link #unmatchedReplies()}), like a late second
 * reply to a request sent twice.
 *
 * <p><b>Timeouts and retries.</b> Each attempt waits {@code timeout} (a timer of the loop); then
 * the same bytes are sent again, at most {@code retries} times. After the last attempt the future
 * fails with a {@link TimeoutException}; when the endpoint closes first, with an
 * {@link IOException}. Cancelling the future (or completing it yourself) abandons the request at
 * once: its timer stops, it leaves the table, and the next request to its peer may go.
 *
 * <p><b>Bounded.</b> At most {@link Builder#maxPending maxPending} requests (4096 by default) are
 * pending at once, those waiting their turn included; a request beyond that fails at once with a
 * {@link RejectedExecutionException}, and nothing is sent. A request is held at most
 * {@code timeout × (retries + 1)} once sent.
 *
 * <p><b>Threading.</b> {@link #request} is safe from any thread. Futures complete on the loop
 * thread, so stages chained to them without an executor run there and must not block.
 *
 * @param <I> replies, as the endpoint's codec decodes them
 * @param <O> requests, as the endpoint's codec encodes them
 */
public final class UdpRequester<I, O> implements AutoCloseable {

    /** How many requests may be pending at once unless {@link Builder#maxPending} says otherwise. */
    public static final int DEFAULT_MAX_PENDING = 4096;

    private static final Logger log = LoggerFactory.getLogger(UdpRequester.class);

    private final EventLoop loop;
    private final Duration timeout;
    private final int retries;
    private final int maxPending;
    private final Function<? super O, ?> requestKey;
    private final Function<? super I, ?> replyKey;
    private final DatagramHandler<I, O> otherwise;
    /** Requests not yet finished, by what a reply must match, oldest first. Loop thread only. */
    private final Map<Match, Line> lines = new HashMap<>();
    /** Requests taken by {@link #request} and not yet finished; bounded by {@link #maxPending}. */
    private final AtomicInteger pending = new AtomicInteger();
    private final UdpEndpoint<I, O> endpoint;
    private volatile long unmatched;

    private UdpRequester(Builder<I, O> b) throws IOException {
        this.loop = b.endpoint.loop();
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.maxPending = b.maxPending;
        this.requestKey = b.requestKey;
        this.replyKey = b.replyKey;
        this.otherwise = b.endpoint.newHandler();
        // Last: from here on the loop may call the handler, which uses the fields above. The
        // endpoint builder keeps its own handler: it may start other endpoints, or requesters.
        this.endpoint = b.endpoint.start(new Replies());
    }

    /**
     * Starts building a requester on the endpoint {@code endpoint} describes, codec included. If
     * it has a handler, that handler gets the datagrams that answer no request.
     */
    public static <I, O> Builder<I, O> on(UdpEndpoint.Builder<I, O> endpoint) {
        return new Builder<>(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * Sends {@code request} to {@code target} and completes with the reply; see the class comment
     * for matching, timeouts and retries. Without a correlation key, the request waits for the one
     * before it to the same peer to finish before it is sent.
     *
     * @return the reply; failed at once with a {@link RejectedExecutionException} when
     *         {@link Builder#maxPending maxPending} requests are pending already
     * @throws DatagramTooLargeException if the request is over {@value UdpEndpoint#MAX_PAYLOAD}
     *         bytes once encoded; nothing is sent
     * @throws IllegalArgumentException if the endpoint could not send to {@code target} (see
     *         {@link UdpEndpoint#send}), or the correlation key of the request is null
     */
    public CompletableFuture<I> request(InetSocketAddress target, O request) {
        endpoint.checkTarget(target);
        Object key = null;
        if (requestKey != null) {
            key = Objects.requireNonNull(requestKey.apply(request), "the correlation key of a request must not be null");
        }
        ByteBuffer payload = endpoint.encode(request);
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException(this + ": " + maxPending
                    + " requests are pending already (maxPending); nothing was sent to " + target));
        }
        Pending p = new Pending(new Match(target, key), payload);
        // Whoever completes the future, the loop or a caller cancelling it, the request then leaves
        // the table at once (on the loop).
        p.reply.whenComplete((reply, failure) -> onLoop(() -> finish(p), () -> { }));
        onLoop(() -> start(p), () -> {
            pending.decrementAndGet();
            p.reply.completeExceptionally(closed());
        });
        return p.reply;
    }

    /**
     * Sends {@code request} to the peer the endpoint is connected to, and completes with the reply.
     *
     * @throws IllegalStateException if the endpoint is not connected
     */
    public CompletableFuture<I> request(O request) {
        InetSocketAddress remote = endpoint.remoteAddress();
        if (remote == null) {
            throw new IllegalStateException(endpoint + " is not connected: say where to, with request(target, message)");
        }
        return request(remote, request);
    }

    /** The endpoint requests go through: for its address, counters, and sends of other kinds. */
    public UdpEndpoint<I, O> endpoint() {
        return endpoint;
    }

    /**
     * Requests not yet answered, failed or abandoned: those in flight and those waiting their turn
     * behind another to the same peer. Thread-safe.
     */
    public int pendingRequests() {
        return pending.get();
    }

    /** Datagrams that answered no request and found no other handler. Thread-safe. */
    public long unmatchedReplies() {
        return unmatched;
    }

    /** Closes the endpoint; requests still waiting fail. Thread-safe. */
    @Override
    public void close() {
        endpoint.close();
    }

    @Override
    public String toString() {
        return "UdpRequester[" + endpoint + "]";
    }

    // ---- loop thread ----

    private boolean correlated() {
        return replyKey != null;
    }

    private void start(Pending p) {
        if (p.reply.isDone()) {
            finish(p);   // abandoned before it got here
            return;
        }
        if (!endpoint.isOpen()) {
            finish(p);
            p.reply.completeExceptionally(closed());
            return;
        }
        Line line = lines.computeIfAbsent(p.match, Line::new);
        line.requests.add(p);
        // By address alone, a request goes out only when none is in flight to its peer and no
        // finished one is still being cleared away.
        if (correlated() || (line.requests.size() == 1 && !line.clearing)) {
            attempt(p);
        }
    }

    private void attempt(Pending p) {
        p.attempts++;
        endpoint.sendPayload(p.match.peer(), p.payload.duplicate());
        p.timer = loop.schedule(timeout, () -> expired(p));
    }

    private void expired(Pending p) {
        if (p.finished) {
            return;
        }
        if (p.reply.isDone()) {
            finish(p);   // abandoned, and the loop has not heard yet
        } else if (p.attempts <= retries) {
            log.debug("{}: no reply from {} within {} ms; sending again", this, p.match.peer(), timeout.toMillis());
            attempt(p);
        } else {
            finish(p);
            p.reply.completeExceptionally(new TimeoutException("no reply from " + p.match.peer() + " within "
                    + timeout.toMillis() + " ms, " + p.attempts + (p.attempts == 1 ? " attempt" : " attempts")));
        }
    }

    /**
     * Runs {@code task} on the loop thread: now when called there, otherwise as a loop task; runs
     * {@code ended} instead, here, when the loop has ended (and closing the endpoint has failed
     * and freed every request it knew). Any thread.
     */
    private void onLoop(Runnable task, Runnable ended) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException e) {
                ended.run();
            }
        }
    }

    /**
     * Takes {@code p} out of the table, stops its timer and frees its place; by address alone,
     * lets the next request to its peer go, once what the peer already sent has been read. Does
     * nothing the second time.
     */
    private void finish(Pending p) {
        if (p.finished) {
            return;
        }
        p.finished = true;
        pending.decrementAndGet();
        if (p.timer != null) {
            p.timer.cancel();
        }
        Line line = lines.get(p.match);
        if (line == null) {
            return;
        }
        boolean wasFirst = line.requests.peekFirst() == p;
        if (!line.requests.remove(p)) {
            return;
        }
        if (!correlated() && wasFirst && !line.clearing) {
            // Not now: this may run inside the endpoint's read of a batch of datagrams, where more
            // replies to p may wait; and a request made from p's completion must wait for them too.
            line.clearing = true;
            try {
                loop.execute(() -> next(line));
            } catch (RejectedExecutionException e) {
                line.clearing = false;   // the loop has ended; the endpoint is closing
            }
        }
        if (line.requests.isEmpty() && !line.clearing) {
            lines.remove(p.match, line);
        }
    }

    /** By address alone: the request in flight to a peer has finished; sends the next, if any. */
    private void next(Line line) {
        // Replies to the finished request that have reached the socket by now answer nothing.
        endpoint.readWaiting();
        line.clearing = false;
        Pending p = line.requests.peekFirst();
        if (p == null) {
            lines.remove(line.match, line);
        } else if (p.attempts == 0) {
            attempt(p);
        }
    }

    /** The request {@code datagram} answers, or null. */
    private Pending answered(Datagram<I> datagram) {
        Object key = null;
        if (correlated()) {
            key = replyKey.apply(datagram.payload());
            if (key == null) {
                return null;
            }
        }
        Line line = lines.get(new Match(datagram.sender(), key));
        if (line == null) {
            return null;
        }
        Pending p;
        while ((p = line.requests.peekFirst()) != null && p.reply.isDone()) {
            finish(p);   // abandoned, and the loop has not heard yet
        }
        // By address alone, the first request waits unsent while a finished one is cleared away.
        return p != null && p.attempts > 0 ? p : null;
    }

    private void failAll() {
        List<Pending> all = new ArrayList<>();
        for (Line line : lines.values()) {
            all.addAll(line.requests);
            line.requests.clear();
        }
        lines.clear();
        for (Pending p : all) {
            finish(p);
            p.reply.completeExceptionally(closed());
        }
    }

    private IOException closed() {
        return new IOException(endpoint + " closed before a reply came");
    }

    /** What a reply must match: the address the request went to and, when correlating, its key. */
    private record Match(InetSocketAddress peer, Object key) {
    }

    /** The requests waiting for replies that match one {@link Match}, oldest first. Loop thread only. */
    private final class Line {
        final Match match;
        final ArrayDeque<Pending> requests = new ArrayDeque<>();
        /** By address alone: the request in flight finished, and the next waits for {@link #next}. */
        boolean clearing;

        Line(Match match) {
            this.match = match;
        }
    }

    /** One request. Loop thread only, but for its future. */
    private final class Pending {
        final Match match;
        final ByteBuffer payload;
        final CompletableFuture<I> reply = new CompletableFuture<>();
        int attempts;
        ScheduledTask timer;
        boolean finished;

        Pending(Match match, ByteBuffer payload) {
            this.match = match;
            this.payload = payload;
        }
    }

    /** The endpoint's handler: replies complete requests; anything else goes on. */
    private final class Replies implements DatagramHandler<I, O> {
        @Override
        public void onDatagram(UdpEndpoint<I, O> source, Datagram<I> datagram) throws Exception {
            Pending p = answered(datagram);
            if (p != null) {
                finish(p);   // first, so that a request made when the reply completes p waits its turn
                p.reply.complete(datagram.payload());
            } else if (otherwise != null) {
                otherwise.onDatagram(source, datagram);
            } else {
                unmatched++;
                log.debug("{}: a datagram from {} answers no request; dropped", UdpRequester.this, datagram.sender());
            }
        }

        @Override
        public void onClose(UdpEndpoint<I, O> source) throws Exception {
            failAll();
            if (otherwise != null) {
                otherwise.onClose(source);
            }
        }
    }

    /**
     * Settings of a requester. Not thread-safe. Starting it does not change the endpoint builder
     * it was made from, so both may start again (each start makes a new endpoint).
     */
    public static final class Builder<I, O> {
        private final UdpEndpoint.Builder<I, O> endpoint;
        private Duration timeout = Duration.ofSeconds(1);
        private int retries = 2;
        private int maxPending = DEFAULT_MAX_PENDING;
        private Function<? super O, ?> requestKey;
        private Function<? super I, ?> replyKey;

        private Builder(UdpEndpoint.Builder<I, O> endpoint) {
            this.endpoint = endpoint;
        }

        /** How long each attempt waits for a reply (default 1 s). */
        public Builder<I, O> timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How many times a request is sent again when no reply comes (default 2; 0: never). Without
         * {@link #correlate}, a reply to an earlier attempt that comes late may answer the next
         * request to the same peer: see the class comment.
         */
        public Builder<I, O> retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /**
         * How many requests may be pending at once, in flight or waiting their turn (default
         * {@value UdpRequester#DEFAULT_MAX_PENDING}); a request beyond that fails at once with a
         * {@link RejectedExecutionException}.
         */
        public Builder<I, O> maxPending(int maxPending) {
            if (maxPending < 1) {
                throw new IllegalArgumentException("maxPending must be positive: " + maxPending);
            }
            this.maxPending = maxPending;
            return this;
        }

        /**
         * Matches replies to requests by a key as well as by address: {@code requestKey} gives a
         * request's key, {@code replyKey} a reply's (null: the datagram answers no request). Keys
         * are compared with {@code equals}. Requests to one peer then go out at once, however
         * many are in flight.
         */
        public Builder<I, O> correlate(Function<? super O, ?> requestKey, Function<? super I, ?> replyKey) {
            this.requestKey = Objects.requireNonNull(requestKey, "requestKey");
            this.replyKey = Objects.requireNonNull(replyKey, "replyKey");
            return this;
        }

        /**
         * Starts an endpoint as the endpoint builder describes it, with the requester as its
         * handler.
         *
         * @throws IOException if the endpoint cannot bind or connect
         */
        public UdpRequester<I, O> start() throws IOException {
            return new UdpRequester<>(this);
        }
    }
}
