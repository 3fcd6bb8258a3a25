package io.eddy.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A group's loops, threads, figures and shutdown (the socket behaviour is in the net tests). */
@Timeout(30)
class EventLoopGroupTest {

    @Test
    void startsNamedLoopsEachOnAThreadOfItsOwn() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start("g", 3)) {
            assertEquals(List.of("g-0", "g-1", "g-2"), group.loops().stream().map(EventLoop::name).toList());
            List<String> threads = new ArrayList<>();
            for (EventLoop loop : group) {
                CompletableFuture<String> name = new CompletableFuture<>();
                loop.execute(() -> name.complete(Thread.currentThread().getName()));
                threads.add(name.get(10, TimeUnit.SECONDS));
            }
            assertEquals(List.of("g-0", "g-1", "g-2"), threads);
        }
    }

    @Test
    void hasOneLoopPerProcessorByDefaultAndRefusesNone() {
        try (EventLoopGroup group = EventLoopGroup.builder().name("default").daemon(true).start()) {
            assertEquals(Runtime.getRuntime().availableProcessors(), group.size());
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EventLoopGroup.builder().loops(0));
        assertEquals("loops must be positive: 0", none.getMessage());
    }

    @Test
    void choosesWithTheChooserItWasGiven() {
        LoopChooser last = loops -> loops.get(loops.size() - 1);
        try (EventLoopGroup group = EventLoopGroup.builder().name("chosen").loops(2).chooser(last).start()) {
            assertSame(group.loops().get(1), group.choose());
        }
    }

    @Test
    void figuresAreReadableFromAnyThread() {
        try (EventLoopGroup group = EventLoopGroup.start("figures", 2)) {
            for (LoopStats stats : group.stats()) {
                assertEquals(0, stats.openConnections());
                assertTrue(stats.busyRatio() >= 0 && stats.busyRatio() <= 1, stats.toString());
                assertTrue(stats.pendingTasks() >= 0, stats.toString());
                assertEquals(0, stats.stalls());
            }
        }
    }

    @Test
    void shutdownReturnsTheFutureOfEveryLoopsEnd() throws Exception {
        EventLoopGroup group = EventLoopGroup.start("ends", 2);
        group.shutdown(Duration.ofSeconds(1)).get(10, TimeUnit.SECONDS);
        for (EventLoop loop : group) {
            assertFalse(loop.isRunning());
            assertTrue(loop.terminationFuture().isDone());
        }
    }
}
