package io.eddy.udp;

/**
 * Which datagram a full send queue gives up: UDP promises no delivery, so rather than block the
 * sender or grow without bound, an endpoint drops one and counts it
 * ({@link UdpCounters#droppedQueueFull()}).
 *
 * <p>Threading: an immutable value.
 */
public enum DropPolicy {

    /**
     * Drop the datagram that has waited longest and queue the new one: the freshest data goes out
     * (live media, game state, where a late datagram is worth nothing).
     */
    DROP_OLDEST,

    /**
     * Drop the new datagram and keep what is queued, in order: a router's tail drop (the default).
     */
    DROP_NEWEST
}
