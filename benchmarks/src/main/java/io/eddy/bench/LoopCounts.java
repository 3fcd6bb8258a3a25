package io.eddy.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A row family's servers at the run's {@code --loops} counts: with the default (one loop) the
 * family as it always was; otherwise Eddy and Netty NIO once per count, named by it ({@code Eddy 2
 * loops}, {@code Netty NIO 2 threads}), and the ratios taken between the two at equal counts. Other
 * servers of a family (Netty epoll, a reference) run only in the default rows, which keeps a run
 * with several counts to the comparison it is for.
 *
 * <p>Threading: stateless.
 */
final class LoopCounts {

    private LoopCounts() {
    }

    /** {@code family}'s servers at each of {@code loops}. */
    static List<ServerProcess.Spec> expand(List<ServerProcess.Spec> family, List<Integer> loops) {
        if (loops.equals(LoadOptions.DEFAULT_LOOPS)) {
            return family;
        }
        List<ServerProcess.Spec> servers = new ArrayList<>();
        for (int count : loops) {
            for (ServerProcess.Spec spec : family) {
                if (spec.name().equals(Report.SUBJECT) || spec.name().equals(Report.BASELINE)) {
                    servers.add(spec.withLoops(name(spec.name(), count), count));
                }
            }
        }
        return servers;
    }

    /** The pairs whose ratios a report of {@code loops} shows: Eddy over Netty NIO, at each count. */
    static List<Report.Pair> pairs(List<Integer> loops) {
        if (loops.equals(LoadOptions.DEFAULT_LOOPS)) {
            return List.of(Report.Pair.DEFAULT);
        }
        List<Report.Pair> pairs = new ArrayList<>();
        for (int count : loops) {
            pairs.add(new Report.Pair(name(Report.SUBJECT, count), name(Report.BASELINE, count)));
        }
        return pairs;
    }

    /** {@code Eddy 1 loop}, {@code Netty NIO 2 threads}: Netty calls its loops threads. */
    static String name(String server, int loops) {
        String unit = server.equals(Report.SUBJECT) ? "loop" : "thread";
        return String.format(Locale.ROOT, "%s %d %s%s", server, loops, unit, loops == 1 ? "" : "s");
    }
}
