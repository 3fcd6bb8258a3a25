package io.eddy.core.net;

import io.eddy.core.loop.EventLoop;
import java.util.Arrays;

/**
 * The members of a {@link ConnectionGroup} that live on one loop, as an array replaced on every
 * change (copy on write). Broadcasts read the members far more often than members come and go,
 * and walking an array allocates nothing, where an iterator over a concurrent set is an object per
 * broadcast: under a flood of broadcasts, garbage per message.
 *
 * <p>Threading: {@link #members()} from any thread, returning a snapshot; {@link #add} and
 * {@link #remove} under the group's lock.
 */
final class LoopMembers {

    private static final Connection<?>[] NONE = {};

    private final EventLoop loop;
    private volatile Connection<?>[] members = NONE;

    LoopMembers(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /** The members now; the array is never changed, so walk it freely. */
    Connection<?>[] members() {
        return members;
    }

    boolean contains(Connection<?> connection) {
        return indexOf(members, connection) >= 0;
    }

    /** Adds {@code connection}; false if it was a member already. Under the group's lock. */
    boolean add(Connection<?> connection) {
        Connection<?>[] now = members;
        if (indexOf(now, connection) >= 0) {
            return false;
        }
        Connection<?>[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = connection;
        members = more;
        return true;
    }

    /** Removes {@code connection}; false if it was not a member. Under the group's lock. */
    boolean remove(Connection<?> connection) {
        Connection<?>[] now = members;
        int i = indexOf(now, connection);
        if (i < 0) {
            return false;
        }
        Connection<?>[] fewer = Arrays.copyOf(now, now.length - 1);
        System.arraycopy(now, i + 1, fewer, i, now.length - 1 - i);
        members = fewer;
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
