package io.eddy.udp.internal;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.DropPolicy;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datagrams of one endpoint on their way to its socket: sent at once while the socket has
 * room, otherwise kept, in order, in a bounded queue until it has room again. When the queue is
 * full its {@link DropPolicy} drops the oldest or the newest datagram, and counts it: the sender
 * never blocks and memory never grows without bound.
 *
 * <pre>
 *   offer on the loop ──────────────────────────────┐
 *                                                    ▼
 *   offer from another thread ──▶ hand-off ──▶ nothing waiting and the socket takes it? ──yes──▶ socket
 *         (bounded, same policy;   (one loop task      │ no
 *          lock-free)               per batch)         ▼
 *                                   waiting queue (bounded) ──socket has room (OP_WRITE)──▶ socket
 * </pre>
 *
 * <p>Datagrams offered from one thread leave in the order they were offered. At most
 * {@link #SENDS_PER_WAKEUP} queued datagrams are sent per wake-up, so one endpoint cannot hold
 * its loop. The hand-off from other threads has its own bound, equal to the queue's, so all in all
 * an endpoint holds at most twice its limit; its drops are counted with the queue's.
 *
 * <p>Threading: {@link #offer} and {@link #size} from any thread; the rest on
 * the loop thread.
 */
public final class SendQueue {

    /** At most this many queued datagrams leave per wake-up of the socket. */
    public static final int SENDS_PER_WAKEUP = 64;
    /** At most this many handed-off datagrams are taken per loop task. */
    private static final int HANDOFF_PER_TASK = 1024;

    private static final Logger log = LoggerFactory.getLogger(SendQueue.class);

    /** Hands one datagram to the socket. Called on the loop thread only. */
    @FunctionalInterface
    public interface Socket {
        /** Sends {@code payload} to {@code target}: its length, or 0 when the socket has no room for it now. */
        int send(ByteBuffer payload, SocketAddress target) throws IOException;
    }

    /** Asks to be told (or stops asking) when the socket has room again. Loop thread only. */
    @FunctionalInterface
    public interface WriteInterest {
        void set(boolean on);
    }

    private record Outgoing(SocketAddress target, ByteBuffer payload) {
    }

    private final EventLoop loop;
    private final Socket socket;
    private final WriteInterest writeInterest;
    private final Counters counters;
    private final int limit;
    private final DropPolicy policy;
    private final Object owner;
    /** Loop thread only. */
    private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
    private final Queue<Outgoing> handoff = new ConcurrentLinkedQueue<>();
    private final AtomicInteger handoffSize = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drainHandoff;
    /** {@code waiting.size()}, published for other threads. */
    private volatile int waitingCount;
    private volatile boolean closed;
    private boolean wantsWrite;

    /**
     * @param loop          the endpoint's loop
     * @param socket        where datagrams go
     * @param writeInterest how to ask the loop about room in the socket
     * @param counters      the endpoint's counters
     * @param limit         how many datagrams may wait (at least 1)
     * @param policy        which one goes when that many wait
     * @param owner         the endpoint, for log lines
     */
    public SendQueue(EventLoop loop, Socket socket, WriteInterest writeInterest, Counters counters,
                     int limit, DropPolicy policy, Object owner) {
        if (limit < 1) {
            throw new IllegalArgumentException("the send queue limit must be positive: " + limit);
        }
        this.loop = Objects.requireNonNull(loop, "loop");
        this.socket = Objects.requireNonNull(socket, "socket");
        this.writeInterest = Objects.requireNonNull(writeInterest, "writeInterest");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.limit = limit;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.owner = owner;
    }

    /**
     * Sends {@code payload} to {@code target}, or queues it: on the loop thread at once, from
     * another thread through the hand-off. The queue owns {@code payload} from here on. Any thread.
     */
    public void offer(SocketAddress target, ByteBuffer payload) {
        if (loop.inEventLoop()) {
            if (!sendNow(target, payload)) {
                enqueue(new Outgoing(target, payload));
            }
            return;
        }
        if (closed) {
            counters.unsent();
            return;
        }
        Outgoing outgoing = new Outgoing(target, payload);
        if (policy == DropPolicy.DROP_NEWEST) {
            if (handoffSize.incrementAndGet() > limit) {
                handoffSize.decrementAndGet();
                counters.queueFull();
                return;
            }
            handoff.add(outgoing);
        } else {
            handoff.add(outgoing);
            if (handoffSize.incrementAndGet() > limit && handoff.poll() != null) {
                handoffSize.decrementAndGet();
                counters.queueFull();
            }
        }
        scheduleDrain();
    }

    /**
     * Hands {@code payload} to the socket unless datagrams wait before it or the socket has no
     * room. Loop thread only.
     *
     * @return true when the queue is done with it (sent, or dropped and counted because the
     *         endpoint closed or the socket refused it), false when it must wait: then the caller
     *         hands a payload of its own to {@link #enqueue}
     */
    public boolean sendNow(SocketAddress target, ByteBuffer payload) {
        if (closed) {
            counters.unsent();
            return true;
        }
        return waiting.isEmpty() && handOver(target, payload);
    }

    /** Queues {@code payload}, which the queue now owns, behind what already waits. Loop thread only. */
    public void enqueue(SocketAddress target, ByteBuffer payload) {
        enqueue(new Outgoing(target, payload));
    }

    /** The socket has room again: sends what waits, at most {@link #SENDS_PER_WAKEUP}. Loop thread only. */
    public void flush() {
        flush(SENDS_PER_WAKEUP);
    }

    /**
     * Tries once more, without waiting, to send what waits, queued or handed over from other
     * threads, in order, until the socket has no room; then drops what is left, counting it as
     * unsent. Later offers are counted as unsent at once. Loop thread only.
     */
    public void close() {
        if (closed) {
            return;
        }
        flush(Integer.MAX_VALUE);
        Outgoing outgoing;
        while (waiting.isEmpty() && (outgoing = handoff.poll()) != null) {
            handoffSize.decrementAndGet();
            if (!handOver(outgoing.target(), outgoing.payload())) {
                waiting.add(outgoing);      // no room: it and everything after it stay unsent
            }
        }
        closed = true;
        for (int i = waiting.size(); i > 0; i--) {
            counters.unsent();
        }
        waiting.clear();
        waitingCount = 0;
        while (handoff.poll() != null) {
            handoffSize.decrementAndGet();
            counters.unsent();
        }
    }

    /** Datagrams waiting, handed off or queued. Any thread. */
    public int size() {
        return waitingCount + Math.max(0, handoffSize.get());
    }

    /** Whether datagrams wait in the queue for room in the socket. Loop thread only. */
    public boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    private void enqueue(Outgoing outgoing) {
        if (closed) {
            counters.unsent();
            return;
        }
        if (waiting.size() >= limit) {
            counters.queueFull();
            if (policy == DropPolicy.DROP_NEWEST) {
                return;
            }
            waiting.poll();
        }
        waiting.add(outgoing);
        waitingCount = waiting.size();
        if (!wantsWrite) {
            wantsWrite = true;
            writeInterest.set(true);
        }
    }

    private void flush(int max) {
        Outgoing next;
        for (int sent = 0; sent < max && (next = waiting.peek()) != null; sent++) {
            if (!handOver(next.target(), next.payload())) {
                break;
            }
            waiting.poll();
        }
        waitingCount = waiting.size();
        if (waiting.isEmpty() && wantsWrite) {
            wantsWrite = false;
            writeInterest.set(false);
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(drain);
            } catch (RejectedExecutionException e) {
                // The loop has ended, and the endpoint with it: nothing will send these.
                Outgoing dropped;
                while ((dropped = handoff.poll()) != null) {
                    handoffSize.decrementAndGet();
                    counters.unsent();
                }
            }
        }
    }

    private void drainHandoff() {
        // Cleared before taking, so whatever is offered after the last poll schedules another drain.
        drainScheduled.set(false);
        Outgoing outgoing;
        for (int n = 0; n < HANDOFF_PER_TASK && (outgoing = handoff.poll()) != null; n++) {
            handoffSize.decrementAndGet();
            if (!sendNow(outgoing.target(), outgoing.payload())) {
                enqueue(outgoing);
            }
        }
        if (!handoff.isEmpty()) {
            scheduleDrain();
        }
    }

    /**
     * Sends one datagram, trying once more when the send only reported that an earlier datagram
     * found no receiver (a connected socket hears of it on its next call, and that call sends
     * nothing): the report is counted, and this datagram still goes.
     */
    private int sendOnce(SocketAddress target, ByteBuffer payload) throws IOException {
        try {
            return socket.send(payload, target);
        } catch (PortUnreachableException e) {
            counters.unreachable();
            log.debug("{}: {} reported unreachable; sending the next datagram again", owner, target);
            return socket.send(payload, target);
        }
    }

    /**
     * Hands one datagram to the socket: true when done with it (sent, or refused and counted),
     * false when the socket has no room now.
     */
    private boolean handOver(SocketAddress target, ByteBuffer payload) {
        int length = payload.remaining();
        try {
            // An empty datagram cannot tell "sent" from "no room": both return 0. It counts as sent.
            if (sendOnce(target, payload) == 0 && length > 0) {
                return false;
            }
            counters.sent(length);
        } catch (PortUnreachableException e) {
            // Reported again at once: another earlier datagram found no receiver too. Not sent.
            counters.unreachable();
            counters.unsent();
            log.debug("{}: {} reported unreachable twice; a datagram of {} bytes was not sent", owner, target, length);
        } catch (ClosedChannelException e) {
            counters.unsent();
            log.debug("{}: socket closed; a datagram of {} bytes to {} was not sent", owner, length, target);
        } catch (IOException | RuntimeException e) {
            long unsent = counters.unsent();
            if (Counters.worthLogging(unsent)) {
                log.warn("{}: sending a datagram of {} bytes to {} failed ({} unsent so far)", owner, length, target,
                        unsent, e);
            } else {
                log.debug("{}: sending a datagram of {} bytes to {} failed: {}", owner, length, target, e.toString());
            }
        }
        return true;
    }
}
