package io.eddy.core.net;

import io.eddy.core.codec.Encoder;
import io.eddy.core.internal.AbstractConnection;
import io.eddy.core.internal.ConnectionAccess;
import io.eddy.core.internal.SharedBytes;
import io.eddy.core.loop.EventLoop;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of connections that one message can be sent to at once, encoded once: a chat room, the
 * subscribers of a topic.
 *
 * <p><b>Encoding once.</b> {@link #broadcast} encodes the message with the group's own
 * {@link Encoder}, on the caller's thread, into one read-only buffer, and queues those same bytes
 * on every member, bypassing the member's codec. So the group's encoder must write exactly what
 * its members' codecs would (give it the same encoder, such as the {@code LineCodec} the members
 * use), and must be safe to call from every thread that broadcasts (a stateless encoder is).
 * Messages up to 1 KiB are copied into each member's pooled chunk, where they join its next
 * gathering write; larger ones are shared, queued by every member without a copy.
 *
 * <p><b>Members of other protocols.</b> A member may speak another wire format than the group's
 * encoder writes: {@link #add(Connection, Encoder)} gives it an encoder of its own, which writes a
 * group message as that member's codec would (a chat line as a WebSocket text frame for a browser,
 * beside the line the TCP clients get). A broadcast then encodes once per distinct encoder, not
 * once per member: give every member of one format the same encoder instance.
 *
 * <p><b>Members that do not read.</b> A member that is not writable when a message reaches it
 * (its queue is above its high water mark) is {@linkplain WhenNotWritable#SKIP skipped} for that
 * message, or {@linkplain WhenNotWritable#CLOSE closed}; either way it counts in
 * {@link #skipped()}. So one member that stops reading costs the group at most its high water mark
 * in memory, and the others go on receiving.
 *
 * <p><b>Threading.</b> Every method is safe from any thread. Members may live on different loops:
 * each member's bytes are queued on its own loop, at once for members of the caller's loop and
 * with one {@link EventLoop#execute} task per other loop. Messages broadcast from one thread reach
 * each member in the order they were broadcast. A member leaves by itself when it closes. Iteration
 * is weakly consistent (it never fails, and may or may not see changes made while it runs).
 *
 * <p><b>Costs.</b> A broadcast walks arrays of the members, replaced whenever one comes or goes,
 * so it allocates nothing per member and, for members of the caller's loop, nothing but the
 * encoded bytes; joining, leaving and {@link #contains} take time in proportion to the members of
 * the connection's loop.
 *
 * @param <O> the messages the members write
 */
public final class ConnectionGroup<O> implements Iterable<Connection<O>> {

    private static final Logger log = LoggerFactory.getLogger(ConnectionGroup.class);

    /** What a broadcast does with a member that is not writable. */
    public enum WhenNotWritable {
        /** The member misses this message, counted in {@link #skipped()}; it gets the next one if writable again. */
        SKIP,
        /**
         * The member is closed at once with a reset and {@link CloseReason.Kind#OUTBOUND_OVERFLOW},
         * dropping what it has queued: for members that must not miss a message.
         */
        CLOSE
    }

    private final Encoder<? super O> encoder;
    private final WhenNotWritable whenNotWritable;
    /**
     * The wire formats: the group's encoder first, then each other encoder a member was added with,
     * by identity; only grows. Replaced, never changed, under {@code this}'s lock.
     */
    private volatile Encoder<?>[] wires;
    /**
     * Members by their loop, so a broadcast hands each loop one task, not one per member; replaced,
     * never changed, when a loop joins. Written under {@code this}'s lock.
     */
    private volatile LoopMembers[] byLoop = {};
    private final AtomicInteger size = new AtomicInteger();
    private final LongAdder skipped = new LongAdder();

    /** A group whose broadcasts skip members that are not writable. */
    public ConnectionGroup(Encoder<? super O> encoder) {
        this(encoder, WhenNotWritable.SKIP);
    }

    /**
     * A group that encodes with {@code encoder}, which must write what its members' codecs would,
     * and treats members that are not writable as {@code whenNotWritable} says.
     */
    public ConnectionGroup(Encoder<? super O> encoder, WhenNotWritable whenNotWritable) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.whenNotWritable = Objects.requireNonNull(whenNotWritable, "whenNotWritable");
        this.wires = new Encoder<?>[] {encoder};
    }

    /**
     * Adds {@code connection}, which leaves by itself when it closes (at once, if it is closed
     * already).
     *
     * @return false if it was a member already
     */
    public boolean add(Connection<O> connection) {
        return join(connection, encoder);
    }

    /**
     * Adds {@code connection}, whose codec writes another wire format than the group's encoder:
     * {@code encoder} writes each group message as that codec would, encoded once per broadcast
     * for every member added with the same encoder instance (so use one instance per format). The
     * member must be a connection of Eddy's (its bytes are queued on its pipeline), and leaves by
     * itself when it closes.
     *
     * @return false if it was a member already
     * @throws IllegalArgumentException if {@code connection} is not one of Eddy's connections
     */
    public boolean add(Connection<?> connection, Encoder<? super O> encoder) {
        Objects.requireNonNull(encoder, "encoder");
        if (encoder != this.encoder && ConnectionAccess.pipeline(connection) == null) {
            throw new IllegalArgumentException(connection + " is not a connection of Eddy's: it can only take the group's own format");
        }
        return join(connection, encoder);
    }

    private boolean join(Connection<?> connection, Encoder<?> wireEncoder) {
        Objects.requireNonNull(connection, "connection");
        synchronized (this) {
            if (!membersOf(connection.loop(), true).add(connection, wireOf(wireEncoder))) {
                return false;
            }
            size.incrementAndGet();
        }
        connection.closeFuture().whenComplete((reason, failure) -> remove(connection));
        return true;
    }

    /** The index of {@code wireEncoder} among the wire formats, added if new. Under this group's lock. */
    private int wireOf(Encoder<?> wireEncoder) {
        Encoder<?>[] known = wires;
        for (int i = 0; i < known.length; i++) {
            if (known[i] == wireEncoder) {
                return i;
            }
        }
        Encoder<?>[] more = Arrays.copyOf(known, known.length + 1);
        more[known.length] = wireEncoder;
        wires = more;
        return known.length;
    }

    /**
     * Takes {@code connection} out of the group.
     *
     * @return false if it was not a member
     */
    public synchronized boolean remove(Connection<?> connection) {
        LoopMembers members = membersOf(connection.loop(), false);
        if (members != null && members.remove(connection)) {
            size.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Whether {@code connection} is a member. */
    public boolean contains(Connection<?> connection) {
        LoopMembers members = membersOf(connection.loop(), false);
        return members != null && members.contains(connection);
    }

    /** How many members there are. */
    public int size() {
        return size.get();
    }

    /**
     * The members, weakly consistent; {@code remove} is not supported (use {@link #remove}). Members
     * added with an encoder of their own are among them, though their codecs write another type
     * than {@code O}: reach them through the group's broadcasts, or their own typed references.
     */
    @Override
    @SuppressWarnings("unchecked") // only Connection<O>s are ever added
    public Iterator<Connection<O>> iterator() {
        return Arrays.stream(byLoop)
                .flatMap(loop -> Arrays.stream(loop.members()))
                .map(member -> (Connection<O>) member)
                .iterator();
    }

    /**
     * Sends {@code message} to every member: encoded once, now, on this thread (an encoder that
     * refuses it throws here, and no member gets it), then queued on each member on its loop.
     */
    public void broadcast(O message) {
        broadcastExcept(message, null);
    }

    /** {@link #broadcast} to every member but {@code except} (its sender, say); null excepts none. */
    public void broadcastExcept(O message, Connection<?> except) {
        if (whenNotWritable == WhenNotWritable.SKIP && !anyWritable(except)) {
            // Nobody would take it: a room whose one listener stopped reading costs no encoding.
            skipped.add(size() - (except != null && contains(except) ? 1 : 0));
            return;
        }
        ByteBuffer[] bytes = encodeOnce(message);
        for (LoopMembers members : byLoop) {
            if (members.members().length == 0) {
                continue;
            }
            EventLoop loop = members.loop();
            if (loop.inEventLoop()) {
                deliver(members, message, bytes, except);
                continue;
            }
            try {
                loop.execute(() -> deliver(members, message, bytes, except));
            } catch (RejectedExecutionException e) {
                // Its connections closed with it, and leave the group as they do.
                log.debug("{}: loop {} has terminated; its members get nothing", this, loop.name());
            }
        }
    }

    /**
     * {@code message} in the group's format and in every other format a member was added with, each
     * encoded once (a format no member speaks any longer is still encoded: formats are few, and
     * members of one come and go).
     */
    @SuppressWarnings("unchecked")
    private ByteBuffer[] encodeOnce(O message) {
        Encoder<?>[] formats = wires;
        ByteBuffer[] encoded = new ByteBuffer[formats.length];
        for (int i = 0; i < formats.length; i++) {
            encoded[i] = SharedBytes.encode((Encoder<? super O>) formats[i], message);
        }
        return encoded;
    }

    /** The members of {@code loop}, made (and the array of loops replaced) if {@code make} and none yet. */
    private LoopMembers membersOf(EventLoop loop, boolean make) {
        LoopMembers[] loops = byLoop;
        for (LoopMembers members : loops) {
            if (members.loop() == loop) {
                return members;
            }
        }
        if (!make) {
            return null;
        }
        // Under this group's lock (add is its only maker): no other thread replaces the array meanwhile.
        LoopMembers members = new LoopMembers(loop);
        LoopMembers[] more = Arrays.copyOf(loops, loops.length + 1);
        more[loops.length] = members;
        byLoop = more;
        return members;
    }

    /**
     * Deliveries not made because the member was not writable: members skipped for a message, or
     * closed for it under {@link WhenNotWritable#CLOSE}. Ever, since the group was made.
     */
    public long skipped() {
        return skipped.sum();
    }

    /** What the group does with a member that is not writable. */
    public WhenNotWritable whenNotWritable() {
        return whenNotWritable;
    }

    @Override
    public String toString() {
        return "ConnectionGroup[" + size() + " members, " + whenNotWritable + "]";
    }

    /**
     * Whether some member but {@code except} is open and writable now: it stops at the first, so a
     * group of readers pays one look. (A member that turns writable after the look misses this
     * message, as it would had the look come a moment earlier.)
     */
    private boolean anyWritable(Connection<?> except) {
        for (LoopMembers members : byLoop) {
            for (Connection<?> member : members.members()) {
                if (member != except && member.isOpen() && member.isWritable()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** On the loop of {@code members}: queues the encoded bytes, in its format, on each. */
    @SuppressWarnings("unchecked") // members of the group's own format are Connection<O>s
    private void deliver(LoopMembers members, O message, ByteBuffer[] bytes, Connection<?> except) {
        // A snapshot: a member closing during the walk (and leaving the group) is skipped as closed.
        LoopMembers.Roster roster = members.roster();
        Connection<?>[] all = roster.members();
        for (int i = 0; i < all.length; i++) {
            Connection<?> member = all[i];
            if (member == except || !member.isOpen()) {
                continue;
            }
            AbstractConnection<?, ?> pipeline = ConnectionAccess.pipeline(member);
            if (!member.isWritable()) {
                notWritable(member, pipeline);
            } else if (pipeline != null) {
                pipeline.writeEncoded(bytes[roster.wires()[i]]);
            } else {
                // A Connection made outside core has no queue to share bytes with: its own codec
                // encodes (only members of the group's own format can be such).
                ((Connection<O>) member).write(message);
            }
        }
    }

    private void notWritable(Connection<?> member, AbstractConnection<?, ?> pipeline) {
        skipped.increment();
        if (whenNotWritable == WhenNotWritable.SKIP) {
            return;
        }
        log.debug("{}: closing {}, which is not writable", this, member);
        if (pipeline != null) {
            pipeline.abort(CloseReason.of(CloseReason.Kind.OUTBOUND_OVERFLOW,
                    "not writable when a group broadcast a message (" + member.pendingOutboundBytes() + " bytes queued)"));
        } else {
            member.abort();
        }
    }
}
