package io.eddy.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outside programs the runner uses, where they exist: {@code taskset} to pin a process to a
 * core, {@code wrk}, and {@code bash} to raise the open-files limit of a child.
 *
 * <p>Threading: stateless.
 */
final class Programs {

    private Programs() {
    }

    /** Whether {@code name} is an executable on the {@code PATH}. */
    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The prefix that runs a command on {@code core}: {@code taskset -c core}, or nothing when
     * pinning is off, there is no taskset, or the machine has a single core.
     */
    static List<String> pinnedTo(int core, boolean pin) {
        return pinnedTo(String.valueOf(core), pin);
    }

    /** As {@link #pinnedTo(int, boolean)} for a {@code taskset} core list such as {@code 0-1}. */
    static List<String> pinnedTo(String cores, boolean pin) {
        List<String> prefix = new ArrayList<>();
        if (pin && canPin()) {
            prefix.addAll(List.of("taskset", "-c", cores));
        }
        return prefix;
    }

    /**
     * The cores a server with {@code loops} loops is pinned to: core 0 for one loop, as the load
     * generator has core 1 to itself; for more, cores 0 to {@code loops - 1} (as many as there
     * are), which on a 2-core machine includes the generator's core.
     */
    static String serverCores(int loops) {
        int last = Math.min(loops, Machine.cores()) - 1;
        return last <= 0 ? "0" : "0-" + last;
    }

    /** Whether processes can be pinned, the servers on core 0 and the load on core 1. */
    static boolean canPin() {
        return Machine.cores() >= 2 && onPath("taskset");
    }
}
