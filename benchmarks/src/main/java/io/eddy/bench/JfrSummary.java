package io.eddy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a server's time went, from a flight recording the load runner made ({@code Load ... --jfr
 * DIR}): the Java execution samples of all its threads, split by what their top frame does (AES-GCM,
 * copying, the socket, the TLS engine, the HTTP codec, the framework), the methods most often on
 * top, and how often some frames are anywhere on the stack; then the process's user and kernel
 * shares of CPU from the recording's CPU load events.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.eddy.bench.JfrSummary [--last S] jfr/tls-bulk-Eddy.jfr [more.jfr ...]
 * </pre>
 *
 * <p>A recording covers the server's whole life, its warm-up (the JIT still compiling) included;
 * {@code --last S} keeps only the samples of the last {@code S} seconds before its busiest thread's
 * last sample: with one round per server ({@code --rounds 1 --duration S}), its measured run.
 *
 * <p>Execution samples see Java code only: time in system calls and the kernel is not in them,
 * which is why the kernel's share is given apart; and a thread caught in one of the JIT's stubs
 * (the AES and GHASH intrinsics, array copies) is usually not sampled at all, as its stack cannot
 * be walked from there, so a server whose time goes to AES-GCM shows few samples, and the shares
 * here are of its time in Java code. A sampling profiler that sees native code ({@code perf} with
 * the JVM's {@code -XX:+DumpPerfMapAtExit}) shows the stubs.
 *
 * <p>Threading: a plain {@code main}.
 */
public final class JfrSummary {

    private static final int TOP = 20;

    /** A category of top frames: its name and which frames belong to it; the first that matches wins. */
    private record Category(String name, Predicate<String> matches) {
    }

    private static final List<Category> CATEGORIES = List.of(
            new Category("AES-GCM (com.sun.crypto.provider: AES, GHASH, counter mode)",
                    frame -> frame.startsWith("com.sun.crypto.provider.")),
            new Category("copying (arraycopy, Unsafe.copyMemory, ByteBuffer get/put)", JfrSummary::isCopy),
            new Category("socket and selector (sun.nio.ch)", frame -> frame.startsWith("sun.nio.ch.")),
            new Category("TLS engine (sun.security.ssl, javax.crypto, javax.net.ssl)",
                    frame -> frame.startsWith("sun.security.ssl.") || frame.startsWith("javax.crypto.")
                            || frame.startsWith("javax.net.ssl.")),
            new Category("key agreement and signatures (sun.security.ec, util.math, BigInteger)",
                    frame -> frame.startsWith("sun.security.ec.") || frame.startsWith("sun.security.util.math.")
                            || frame.startsWith("java.math.")),
            new Category("hashing and other security (sun.security.provider, sun.security.*)",
                    frame -> frame.startsWith("sun.security.")),
            new Category("HTTP codec (io.eddy.http, io.netty.handler.codec)",
                    frame -> frame.startsWith("io.eddy.http.") || frame.startsWith("io.netty.handler.codec.")),
            new Category("Eddy core (loop, connection, TLS transport)", frame -> frame.startsWith("io.eddy.")),
            new Category("Netty (channel, buffers, SslHandler)", frame -> frame.startsWith("io.netty.")),
            new Category("other JDK", frame -> true));

    /** Frames whose share of samples anywhere on the stack is worth knowing. */
    private static final List<String> INCLUSIVE = List.of(
            "sun.security.ssl.SSLEngineImpl.wrap",
            "sun.security.ssl.SSLEngineImpl.unwrap",
            "sun.nio.ch.SocketChannelImpl.write",
            "sun.nio.ch.SocketChannelImpl.read",
            "io.eddy.core.internal.TlsTransport.",
            "io.netty.handler.ssl.SslHandler.",
            "io.eddy.http.",
            "io.netty.handler.codec.http.");

    private JfrSummary() {
    }

    /** Prints a summary of each recording named in {@code args}, after an optional {@code --last S}. */
    public static void main(String[] args) throws IOException {
        int first = 0;
        double last = Double.POSITIVE_INFINITY;
        if (args.length >= 2 && args[0].equals("--last")) {
            last = Double.parseDouble(args[1]);
            first = 2;
        }
        if (args.length == first) {
            System.err.println("usage: JfrSummary [--last S] FILE.jfr [FILE.jfr ...]");
            System.exit(2);
        }
        for (int i = first; i < args.length; i++) {
            System.out.print(summary(Path.of(args[i]), last));
            System.out.println();
        }
    }

    /**
     * The time of the last execution sample in {@code file} of the thread sampled most (the
     * server's busiest thread: a loop); null if none. Other threads (a watchdog) run on after the
     * server's last run, while the runner loads the other servers.
     */
    private static Instant lastSample(Path file) throws IOException {
        Map<Long, Integer> counts = new HashMap<>();
        Map<Long, Instant> lasts = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getThread("sampledThread") == null) {
                    continue;
                }
                long thread = event.getThread("sampledThread").getJavaThreadId();
                counts.merge(thread, 1, Integer::sum);
                lasts.merge(thread, event.getStartTime(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(entry -> lasts.get(entry.getKey()))
                .orElse(null);
    }

    /** The summary of one recording, as text: all of it, or its last {@code lastSeconds} of samples. */
    static String summary(Path file, double lastSeconds) throws IOException {
        Instant from = Instant.MIN;
        if (!Double.isInfinite(lastSeconds)) {
            Instant end = lastSample(file);
            if (end != null) {
                from = end.minusMillis(Math.round(lastSeconds * 1000));
            }
        }
        Map<String, Integer> byCategory = new LinkedHashMap<>();
        CATEGORIES.forEach(category -> byCategory.put(category.name(), 0));
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> inclusive = new LinkedHashMap<>();
        INCLUSIVE.forEach(frame -> inclusive.put(frame, 0));
        int samples = 0;
        double user = 0;
        double system = 0;
        int loads = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                if (event.getStartTime().isBefore(from)) {
                    continue;
                }
                if (type.equals("jdk.CPULoad")) {
                    user += event.getFloat("jvmUser");
                    system += event.getFloat("jvmSystem");
                    loads++;
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                List<String> frames = new ArrayList<>();
                for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                    RecordedMethod method = frame.getMethod();
                    frames.add(method.getType().getName() + "." + method.getName());
                }
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                String top = frames.get(0);
                topFrames.merge(top, 1, Integer::sum);
                String attributed = attributed(frames);
                for (Category category : CATEGORIES) {
                    if (category.matches().test(attributed)) {
                        byCategory.merge(category.name(), 1, Integer::sum);
                        break;
                    }
                }
                for (String marker : INCLUSIVE) {
                    if (frames.stream().anyMatch(frame -> frame.startsWith(marker))) {
                        inclusive.merge(marker, 1, Integer::sum);
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder(file.getFileName().toString()).append(": ").append(samples)
                .append(" Java execution samples")
                .append(Double.isInfinite(lastSeconds) ? "" : String.format(Locale.ROOT, " (its last %.0f s)", lastSeconds))
                .append('\n');
        if (samples == 0) {
            return out.toString();
        }
        out.append("  by top frame (below method and var handles):\n");
        int total = samples;
        byCategory.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .filter(entry -> entry.getValue() > 0)
                .forEach(entry -> out.append(line(entry.getValue(), total, entry.getKey())));
        out.append("  top frames:\n");
        topFrames.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP)
                .forEach(entry -> out.append(line(entry.getValue(), total, entry.getKey())));
        out.append("  anywhere on the stack:\n");
        inclusive.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .forEach(entry -> out.append(line(entry.getValue(), total, entry.getKey() + (entry.getKey().endsWith(".") ? "*" : ""))));
        if (loads > 0 && user + system > 0) {
            out.append(String.format(Locale.ROOT, "  process CPU (jdk.CPULoad, %d samples): %.0f%% user, %.0f%% kernel%n",
                    loads, 100 * user / (user + system), 100 * system / (user + system)));
        }
        return out.toString();
    }

    private static String line(int count, int total, String what) {
        return String.format(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * count / total, what);
    }

    /**
     * The frame a sample is put in a category by: the top one, unless it is a helper the JDK's
     * own code calls (method handles, var handles reading longs out of a byte array, Unsafe's
     * getters), in which case the first frame below that is not one: GHASH reading its blocks
     * through a var handle is AES-GCM's time, not the var handle's.
     */
    static String attributed(List<String> frames) {
        for (String frame : frames) {
            boolean helper = frame.startsWith("java.lang.invoke.")
                    || (frame.startsWith("jdk.internal.") && !isCopy(frame));
            if (!helper) {
                return frame;
            }
        }
        return frames.get(0);
    }

    private static boolean isCopy(String frame) {
        return frame.equals("java.lang.System.arraycopy")
                || frame.startsWith("jdk.internal.misc.Unsafe.copy")
                || frame.startsWith("jdk.internal.misc.ScopedMemoryAccess.copy")
                || frame.startsWith("java.util.Arrays.copyOf")
                || (frame.startsWith("java.nio.") && (frame.endsWith(".put") || frame.endsWith(".get")
                        || frame.endsWith(".putBuffer") || frame.endsWith(".getArray") || frame.endsWith(".putArray")));
    }
}
