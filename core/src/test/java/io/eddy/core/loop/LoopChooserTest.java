package io.eddy.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.eddy.core.internal.LoopConnections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The choosers over loops that never run: their figures are set by hand, nothing waits. */
class LoopChooserTest {

    private final List<EventLoop> loops = new ArrayList<>();

    private List<EventLoop> loops(int n) {
        for (int i = 0; i < n; i++) {
            loops.add(EventLoop.builder().name("chooser-" + i).build());
        }
        return loops;
    }

    private static void holdConnections(EventLoop loop, int n) {
        for (int i = 0; i < n; i++) {
            LoopConnections.add(loop, () -> { });
        }
    }

    @AfterEach
    void closeLoops() {
        loops.forEach(loop -> loop.shutdown(Duration.ZERO));
    }

    @Test
    void leastConnectionsPicksTheLoopWithFewest() {
        List<EventLoop> group = loops(3);
        holdConnections(group.get(0), 2);
        holdConnections(group.get(1), 1);
        holdConnections(group.get(2), 3);
        LoopChooser chooser = LoopChooser.leastConnections();
        for (int i = 0; i < 5; i++) {
            assertSame(group.get(1), chooser.choose(group));
        }
    }

    @Test
    void leastConnectionsTakesTurnsAmongLoopsThatTie() {
        List<EventLoop> group = loops(4);
        holdConnections(group.get(3), 1);
        LoopChooser chooser = LoopChooser.leastConnections();
        Set<EventLoop> chosen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            chosen.add(chooser.choose(group));
        }
        assertEquals(Set.copyOf(group.subList(0, 3)), chosen);
    }

    @Test
    void leastConnectionsSpreadsConnectionsThatStayEvenly() {
        List<EventLoop> group = loops(4);
        holdConnections(group.get(2), 100);
        LoopChooser chooser = LoopChooser.leastConnections();
        for (int i = 0; i < 1000; i++) {
            holdConnections(chooser.choose(group), 1);
        }
        // 1,100 in all: the loaded loop gets none until the others catch up, then all rise together.
        assertEquals(List.of(275, 275, 275, 275), group.stream().map(EventLoop::openConnections).toList());
    }

    @Test
    void roundRobinTakesEachLoopInTurnWhateverItHolds() {
        List<EventLoop> group = loops(3);
        holdConnections(group.get(0), 50);
        LoopChooser chooser = LoopChooser.roundRobin();
        Map<EventLoop, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            picks.merge(chooser.choose(group), 1, Integer::sum);
        }
        assertEquals(Map.of(group.get(0), 10, group.get(1), 10, group.get(2), 10), picks);
    }

    @Test
    void aCustomChooserWeighsTheLoopsFigures() {
        List<EventLoop> group = loops(2);
        // Never run, the first loop keeps the task: one pending.
        group.get(0).execute(() -> { });
        LoopChooser fewestTasks = candidates -> candidates.stream()
                .min(Comparator.comparingLong(EventLoop::pendingTasks)).orElseThrow();
        assertEquals(1, group.get(0).pendingTasks());
        assertSame(group.get(1), fewestTasks.choose(group));
    }
}
