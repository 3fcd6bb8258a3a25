package io.eddy.core.net;

import io.eddy.core.loop.EventLoop;
import java.util.Arrays;

/**
 * The members of a {@link ConnectionGroup} that live on one loop, as arrays replaced on every
 * change (copy on write). Broadcasts read the members far more often than members come and go,
 * and walking an array allocates nothing, where an iterator over a concurrent set is an object per
 * broadcast: under a flood of broadcasts, garbage per message.
 *
 * <p>Threading: {@link #members()} and {@link #roster()} from any thread, returning a snapshot;
 * {@link #add} and {@link #remove} under the group's lock.
 */
final class LoopMembers {

    /**
     * The members and, by the same index, each one's wire format: an index into the group's
     * encoders, 0 for the group's own. Never changed once made.
     */
    record Roster(Connection<?>[] members, int[] wires) {
    }

    private static final Roster EMPTY = new Roster(new Connection<?>[0], new int[0]);

    private final EventLoop loop;
    private volatile Roster roster = EMPTY;

    LoopMembers(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /** The members now; the array is never changed, so walk it freely. */
    Connection<?>[] members() {
        return roster.members();
    }

    /** The members and their wire formats now, one consistent snapshot. */
    Roster roster() {
        return roster;
    }

    boolean contains(Connection<?> connection) {
        return indexOf(roster.members(), connection) >= 0;
    }

    /** Adds {@code connection} with wire format {@code wire}; false if it was a member already. Under the group's lock. */
    boolean add(Connection<?> connection, int wire) {
        Roster now = roster;
        int n = now.members().length;
        if (indexOf(now.members(), connection) >= 0) {
            return false;
        }
        Connection<?>[] more = Arrays.copyOf(now.members(), n + 1);
        more[n] = connection;
        int[] moreWires = Arrays.copyOf(now.wires(), n + 1);
        moreWires[n] = wire;
        roster = new Roster(more, moreWires);
        return true;
    }

    /** Removes {@code connection}; false if it was not a member. Under the group's lock. */
    boolean remove(Connection<?> connection) {
        Roster now = roster;
        int n = now.members().length;
        int i = indexOf(now.members(), connection);
        if (i < 0) {
            return false;
        }
        Connection<?>[] fewer = Arrays.copyOf(now.members(), n - 1);
        System.arraycopy(now.members(), i + 1, fewer, i, n - 1 - i);
        int[] fewerWires = Arrays.copyOf(now.wires(), n - 1);
        System.arraycopy(now.wires(), i + 1, fewerWires, i, n - 1 - i);
        roster = new Roster(fewer, fewerWires);
        return true;
    }

    private static int indexOf(Connection<?>[] members, Connection<?> connection) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == connection) {
                return i;
            }
        }
        return -1;
    }
}
