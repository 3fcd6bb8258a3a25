package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoopCountsTest {

    private static final List<ServerProcess.Spec> FAMILY = List.of(
            new ServerProcess.Spec(Report.SUBJECT, "Eddy", List.of()),
            new ServerProcess.Spec(Report.BASELINE, "Netty", List.of("--transport", "nio")),
            new ServerProcess.Spec("Netty epoll", "Netty", List.of("--transport", "epoll")));

    @Test
    void theDefaultLeavesTheFamilyAsItWas() {
        assertSame(FAMILY, LoopCounts.expand(FAMILY, LoadOptions.DEFAULT_LOOPS));
        assertEquals(List.of(Report.Pair.DEFAULT), LoopCounts.pairs(LoadOptions.DEFAULT_LOOPS));
    }

    @Test
    void eachCountGetsEddyAndNettyNioNamedByIt() {
        List<ServerProcess.Spec> servers = LoopCounts.expand(FAMILY, List.of(1, 2));
        assertEquals(List.of("Eddy 1 loop", "Netty NIO 1 thread", "Eddy 2 loops", "Netty NIO 2 threads"),
                servers.stream().map(ServerProcess.Spec::name).toList());
        assertEquals(List.of(1, 1, 2, 2), servers.stream().map(ServerProcess.Spec::loops).toList());
        assertEquals(List.of("--transport", "nio"), servers.get(3).args());
        assertEquals(List.of(new Report.Pair("Eddy 1 loop", "Netty NIO 1 thread"),
                new Report.Pair("Eddy 2 loops", "Netty NIO 2 threads")), LoopCounts.pairs(List.of(1, 2)));
    }
}
