package io.eddy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine a run happened on, for the results: cores, CPU model, memory, kernel, JDK.
 *
 * <p>Threading: immutable facts, read once.
 */
final class Machine {

    /** Cores the runner could use when it started, before it pinned itself to one. */
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    private Machine() {
    }

    static int cores() {
        return CORES;
    }

    /** One markdown list describing the machine; {@code pin}: whether the run was asked to pin (no {@code --no-pin}). */
    static String describe(boolean pin) {
        return describe(pin, 1);
    }

    /** As {@link #describe(boolean)} for a run whose servers have up to {@code maxLoops} event loops. */
    static String describe(boolean pin, int maxLoops) {
        return "- cores: " + CORES + (pin && Programs.canPin() ? pinning(maxLoops)
                : pin ? " (no pinning: taskset missing or a single core)" : " (no pinning: --no-pin)") + "\n"
                + "- CPU: " + procField("/proc/cpuinfo", "model name") + "\n"
                + "- memory: " + procField("/proc/meminfo", "MemTotal") + "\n"
                + "- kernel: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + " (" + System.getProperty("os.arch") + ")\n"
                + "- JDK: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + "\n"
                + "- server JVM flags: `" + String.join(" ", ServerProcess.JVM_FLAGS) + "`"
                + (maxLoops > 1 ? " (`-XX:ActiveProcessorCount=N` for a server with N loops)" : "") + "\n";
    }

    private static String pinning(int maxLoops) {
        if (maxLoops <= 1) {
            return " (servers pinned to core 0, load generator to core 1)";
        }
        return " (servers with one loop pinned to core 0, with " + maxLoops + " loops to cores "
                + Programs.serverCores(maxLoops) + "; load generator on core 1, which servers with more than one"
                + " loop share with it: their throughput and latency are contended)";
    }

    /** The value of the first {@code name: value} line of a /proc file, or "unknown". */
    private static String procField(String file, String name) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                if (line.startsWith(name)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
