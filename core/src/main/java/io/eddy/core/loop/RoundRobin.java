package io.eddy.core.loop;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link LoopChooser#roundRobin()}. Thread-safe: one atomic counter. */
final class RoundRobin implements LoopChooser {

    private final AtomicInteger next = new AtomicInteger();

    @Override
    public EventLoop choose(List<EventLoop> loops) {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    @Override
    public String toString() {
        return "round robin";
    }
}
