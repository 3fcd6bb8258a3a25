package io.eddy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the soak reads of its server every few seconds: live heap (counted in a full collection), resident
 * memory, open file descriptors and threads of the process, and what the load has counted so far.
 * A figure that cannot be read (no {@code /proc}, no {@code jcmd}) is -1.
 *
 * <p>Threading: a value.
 *
 * @param seconds  since the load started
 * @param heap     bytes of live objects, counted in a full collection
 * @param rss      resident bytes ({@code VmRSS})
 * @param fds      entries of {@code /proc/PID/fd}
 * @param threads  {@code Threads} of {@code /proc/PID/status}
 * @param answered answers received and checked, every kind together
 * @param wrong    answers that were not the ones owed
 * @param failed   connections closed or reset by the server, answers that did not come
 * @param lost     datagrams whose echo did not come in time
 */
record SoakSample(double seconds, long heap, long rss, long fds, long threads, long answered, long wrong, long failed,
                  long lost) {

    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

    /** Reads the server's figures now, {@code seconds} into the load. */
    static SoakSample take(ServerProcess server, double seconds, SoakLoad.Tally tally) throws InterruptedException {
        long heap = liveHeap(server);
        return new SoakSample(seconds, heap, server.rssBytes(), openFiles(server.pid()), threads(server.pid()),
                tally.answered(), tally.wrong(), tally.failed(), tally.lost());
    }

    /**
     * Bytes of the objects alive in the server's heap, from {@code jcmd PID GC.class_histogram},
     * which collects fully and counts within one pause. ({@code GC.run} then {@code GC.heap_info},
     * as the memory rows read it, also counts what the server allocated between the two commands:
     * at a few thousand answers a second, megabytes that come and go.) -1 without {@code jcmd}.
     */
    static long liveHeap(ServerProcess server) throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            Matcher total = HISTOGRAM_TOTAL.matcher(server.jcmd(jcmd, "GC.class_histogram"));
            return total.find() ? Long.parseLong(total.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Open file descriptors of process {@code pid}; -1 without {@code /proc}. */
    static long openFiles(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Threads of process {@code pid}; -1 without {@code /proc}. */
    static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
