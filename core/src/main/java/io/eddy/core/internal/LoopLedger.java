package io.eddy.core.internal;

import io.eddy.core.loop.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a loop holds on behalf of its connections, counted at one instant, so that a test can say
 * that nothing leaked: a snapshot taken before a workload must equal one taken once its
 * connections are gone (a cancelled key leaves at the loop's next select, so take the second
 * with a wait, as a loop may need one more cycle).
 *
 * <p>Threading: {@link #of} may be called from any thread; off the loop it waits for the loop to
 * count. A record: immutable.
 *
 * @param registeredKeys  keys registered with the loop's selector (listeners and connections)
 * @param liveTimers      timers waiting that are not cancelled
 * @param lentChunks      outbound chunks the loop thread's pool has lent and not had back
 * @param openConnections connections counted on the loop
 */
public record LoopLedger(int registeredKeys, int liveTimers, int lentChunks, int openConnections) {

    /**
     * Counts what {@code loop} holds now, on its thread.
     *
     * @throws IllegalStateException if the loop does not count within ten seconds (it is stuck or gone)
     */
    public static LoopLedger of(EventLoop loop) {
        if (loop.inEventLoop()) {
            return count(loop);
        }
        CompletableFuture<LoopLedger> counted = new CompletableFuture<>();
        loop.execute(() -> counted.complete(count(loop)));
        try {
            return counted.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + loop + " counted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(loop + " did not count what it holds", e);
        }
    }

    private static LoopLedger count(EventLoop loop) {
        LoopTesting.Hooks hooks = LoopTesting.hooks();
        return new LoopLedger(hooks.registeredKeys(loop), hooks.liveTimers(loop), ChunkPool.current().lent(),
                loop.openConnections());
    }
}
