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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and response over UDP, for clients: sends a request, waits for the datagram that answers
 * it, sends the request again when none comes in time, and completes a future with the reply.
 *
 * <pre>{@code
 * UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).codec(new TextDatagramCodec()))
 *         .timeout(Duration.ofSeconds(1))
 *         .retries(2)
 *         .start();
 * String reply = client.request(new InetSocketAddress("127.0.0.1", 5005), "hello").get();
 * }</pre>
 *
 * <p><b>Matching.</b> By default a reply is the next datagram from the address the request went
 * to, and requests to one address are answered in the order they were sent: right for one request
 * at a time (as the tutorial's client does). With several requests in flight to one peer, give a
 * correlation key ({@link Builder#correlate}) that the peer echoes, such as a request id: then a
 * reply answers the request from the same address with the same key, in whatever order replies
 * come. A datagram that answers no request goes to the endpoint builder's handler if it had one,
 * and is otherwise logged at debug level and counted ({@link #unmatchedReplies()}), like a late
 * second reply to a request sent twice.
 *
 * <p><b>Timeouts and retries.</b> Each attempt waits {@code timeout} (a timer of the loop); then
 * the same bytes are sent again, at most {@code retries} times. After the last attempt the future
 * fails with a {@link TimeoutException}; when the endpoint closes first, with an
 * {@link IOException}. A request is held at most {@code timeout × (retries + 1)}, so memory stays
 * bounded by the rate of requests. Cancelling the future abandons the request.
 *
 * <p><b>Threading.</b> {@link #request} is safe from any thread. Futures complete on the loop
 * thread, so stages chained to them without an executor run there and must not block.
 *
 * @param <I> replies, as the endpoint's codec decodes them
 * @param <O> requests, as the endpoint's codec encodes them
 */
public final class UdpRequester<I, O> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UdpRequester.class);

    private final EventLoop loop;
    private final Duration timeout;
    private final int retries;
    private final Function<? super O, ?> requestKey;
    private final Function<? super I, ?> replyKey;
    private final DatagramHandler<I, O> otherwise;
    /** Requests waiting for a reply, by what a reply must match, oldest first. Loop thread only. */
    private final Map<Match, ArrayDeque<Pending>> pending = new HashMap<>();
    private final UdpEndpoint<I, O> endpoint;
    private volatile int pendingCount;
    private volatile long unmatched;

    private UdpRequester(Builder<I, O> b) throws IOException {
        this.loop = b.endpoint.loop();
        this.timeout = b.timeout;
        this.retries = b.retries;
        this.requestKey = b.requestKey;
        this.replyKey = b.replyKey;
        this.otherwise = b.endpoint.handler();
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
     * for matching, timeouts and retries.
     *
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
        Pending p = new Pending(new Match(target, key), endpoint.encode(request));
        if (loop.inEventLoop()) {
            start(p);
        } else {
            try {
                loop.execute(() -> start(p));
            } catch (RejectedExecutionException e) {
                p.reply.completeExceptionally(closed());
            }
        }
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

    /** Requests sent and not yet answered, failed or abandoned. Thread-safe. */
    public int pendingRequests() {
        return pendingCount;
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

    private void start(Pending p) {
        if (!endpoint.isOpen()) {
            p.reply.completeExceptionally(closed());
            return;
        }
        pending.computeIfAbsent(p.match, m -> new ArrayDeque<>()).add(p);
        pendingCount++;
        attempt(p);
    }

    private void attempt(Pending p) {
        p.attempts++;
        endpoint.sendPayload(p.match.peer(), p.payload.duplicate());
        p.timer = loop.schedule(timeout, () -> expired(p));
    }

    private void expired(Pending p) {
        if (p.reply.isDone()) {
            remove(p);   // abandoned by the caller
        } else if (p.attempts <= retries) {
            log.debug("{}: no reply from {} within {} ms; sending again", this, p.match.peer(), timeout.toMillis());
            attempt(p);
        } else {
            remove(p);
            p.reply.completeExceptionally(new TimeoutException("no reply from " + p.match.peer() + " within "
                    + timeout.toMillis() + " ms, " + p.attempts + (p.attempts == 1 ? " attempt" : " attempts")));
        }
    }

    private void remove(Pending p) {
        ArrayDeque<Pending> waiting = pending.get(p.match);
        if (waiting != null && waiting.remove(p)) {
            pendingCount--;
            if (waiting.isEmpty()) {
                pending.remove(p.match);
            }
        }
    }

    /** The oldest request still waiting for {@code match}, taken out of the table; null if none. */
    private Pending take(Match match) {
        ArrayDeque<Pending> waiting = pending.get(match);
        if (waiting == null) {
            return null;
        }
        Pending p;
        while ((p = waiting.poll()) != null) {
            pendingCount--;
            p.timer.cancel();
            if (!p.reply.isDone()) {
                break;
            }
        }
        if (waiting.isEmpty()) {
            pending.remove(match);
        }
        return p;
    }

    private void failAll() {
        List<Pending> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        pending.clear();
        pendingCount = 0;
        for (Pending p : all) {
            p.timer.cancel();
            p.reply.completeExceptionally(closed());
        }
    }

    private IOException closed() {
        return new IOException(endpoint + " closed before a reply came");
    }

    /** What a reply must match: the address the request went to and, when correlating, its key. */
    private record Match(InetSocketAddress peer, Object key) {
    }

    /** One request in flight. Loop thread only, but for its future. */
    private final class Pending {
        final Match match;
        final ByteBuffer payload;
        final CompletableFuture<I> reply = new CompletableFuture<>();
        int attempts;
        ScheduledTask timer;

        Pending(Match match, ByteBuffer payload) {
            this.match = match;
            this.payload = payload;
        }
    }

    /** The endpoint's handler: replies complete requests; anything else goes on. */
    private final class Replies implements DatagramHandler<I, O> {
        @Override
        public void onDatagram(UdpEndpoint<I, O> source, Datagram<I> datagram) throws Exception {
            Match match = new Match(datagram.sender(), null);
            if (replyKey != null) {
                Object key = replyKey.apply(datagram.payload());
                match = key == null ? null : new Match(datagram.sender(), key);
            }
            Pending p = match == null ? null : take(match);
            if (p != null) {
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

        /** How many times a request is sent again when no reply comes (default 2; 0: never). */
        public Builder<I, O> retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must not be negative: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /**
         * Matches replies to requests by a key as well as by address: {@code requestKey} gives a
         * request's key, {@code replyKey} a reply's (null: the datagram answers no request). Keys
         * are compared with {@code equals}.
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
