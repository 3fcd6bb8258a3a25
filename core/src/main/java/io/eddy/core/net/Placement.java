package io.eddy.core.net;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.util.List;
import java.util.Objects;

/**
 * Where a TCP builder puts its connections: on the one loop it was given, or on the loop a group's
 * chooser picks for each. Both TCP builders keep one, so a loop and a group are handled alike.
 *
 * <p>Immutable; thread-safe (a group's chooser is).
 *
 * @param loop  the one loop, or null on a group
 * @param group the group, or null on one loop
 */
record Placement(EventLoop loop, EventLoopGroup group) {

    static Placement on(EventLoop loop) {
        return new Placement(Objects.requireNonNull(loop, "loop"), null);
    }

    static Placement on(EventLoopGroup group) {
        return new Placement(null, Objects.requireNonNull(group, "group"));
    }

    /** The loop for a new connection. */
    EventLoop choose() {
        return group == null ? loop : group.choose();
    }

    /** Every loop connections may go to. */
    List<EventLoop> loops() {
        return group == null ? List.of(loop) : group.loops();
    }

    @Override
    public String toString() {
        return group == null ? loop.toString() : group.toString();
    }
}
