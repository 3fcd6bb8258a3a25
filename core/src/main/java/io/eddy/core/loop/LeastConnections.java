package io.eddy.core.loop;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link LoopChooser#leastConnections()}: the loop with the fewest open connections. The scan
 * starts one loop further at each call and keeps the first least loop it meets, so loops that tie
 * take turns rather than the first one taking every connection until it is ahead.
 *
 * <p>Thread-safe: it reads each loop's published count and one atomic counter. Two threads
 * choosing at the same instant may both see the same least loop; the counts then differ by one for
 * a moment, which the next choices even out.
 */
final class LeastConnections implements LoopChooser {

    private final AtomicInteger start = new AtomicInteger();

    @Override
    public EventLoop choose(List<EventLoop> loops) {
        int n = loops.size();
        int first = Math.floorMod(start.getAndIncrement(), n);
        EventLoop least = loops.get(first);
        int fewest = least.openConnections();
        for (int i = 1; i < n && fewest > 0; i++) {
            EventLoop loop = loops.get((first + i) % n);
            int open = loop.openConnections();
            if (open < fewest) {
                least = loop;
                fewest = open;
            }
        }
        return least;
    }

    @Override
    public String toString() {
        return "least connections";
    }
}
