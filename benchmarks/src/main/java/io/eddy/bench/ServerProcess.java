package io.eddy.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark server in a JVM of its own: the same {@code java} and class path as the runner, the
 * same {@link #jvmFlags flags} for every server with as many loops, its open-files limit raised, and
 * pinned when asked: to core 0 with one loop, to as many cores as loops with more ({@link Programs#serverCores}). It is ready once it prints its port; it is killed when closed, and at the latest when the
 * runner's JVM exits, so no server outlives a run, failed or not.
 *
 * <p>Reads its CPU time and resident memory from {@code /proc}, and its heap after a full
 * collection through {@code jcmd}; NaN or -1 where those are missing.
 *
 * <p>Threading: used by the runner's thread; a daemon thread drains the server's output.
 */
final class ServerProcess implements AutoCloseable {

    /** The flags every one-loop server JVM gets, whichever framework it runs. */
    static final List<String> JVM_FLAGS = jvmFlags(1);

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Pattern HEAP_USED = Pattern.compile("total \\d+K, used (\\d+)K");
    /** Linux's USER_HZ, the unit of the CPU times in /proc/PID/stat, on every common architecture. */
    private static final double TICKS_PER_SECOND = 100;
    private static final int OPEN_FILES = 65_536;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "stop-servers"));
    }

    private final String name;
    private final Process process;
    private final int port;
    private final Deque<String> lastLines;

    private ServerProcess(String name, Process process, int port, Deque<String> lastLines) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.lastLines = lastLines;
    }

    /**
     * The flags of a server JVM with {@code loops} event loops: the JVM is told it has as many
     * processors as loops, so its own threads (the collector's) are sized as the server is.
     */
    static List<String> jvmFlags(int loops) {
        return List.of("-Xms256m", "-Xmx256m", "-XX:+UseParallelGC", "-XX:ActiveProcessorCount=" + loops,
                "-Dio.netty.leakDetection.level=disabled");
    }

    /**
     * Starts {@code mainClass} with {@code args}, {@code --port 0} and {@code --loops loops}, and
     * waits until it listens.
     */
    static ServerProcess start(String name, String mainClass, List<String> args, int loops, boolean pin) throws IOException {
        return start(name, mainClass, args, loops, pin, List.of());
    }

    /**
     * As {@link #start(String, String, List, int, boolean)}, the JVM given {@code extraFlags} after
     * the common ones (a flight recording, say).
     */
    static ServerProcess start(String name, String mainClass, List<String> args, int loops, boolean pin,
                               List<String> extraFlags) throws IOException {
        List<String> java = new ArrayList<>(Programs.pinnedTo(Programs.serverCores(loops), pin));
        java.addAll(java(System.getProperty("java.class.path"), mainClass, args, 0, loops, extraFlags));
        Process process = launch(java);
        Deque<String> lastLines = new ArrayDeque<>();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> drain(process, lastLines, ready), name + "-output");
        drain.setDaemon(true);
        drain.start();
        try {
            int port = ready.get(30, TimeUnit.SECONDS);
            return new ServerProcess(name, process, port, lastLines);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while " + name + " started", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException(name + " did not start: " + lastLines(lastLines), e);
        }
    }

    /**
     * The command that runs {@code mainClass} from {@code classPath} with the runner's {@code java}
     * and the flags of a server of {@code loops} loops, then {@code extraFlags}; {@code args} after
     * {@code --port port --loops loops}.
     */
    static List<String> java(String classPath, String mainClass, List<String> args, int port, int loops,
                             List<String> extraFlags) {
        List<String> java = new ArrayList<>();
        java.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.addAll(jvmFlags(loops));
        java.addAll(extraFlags);
        java.addAll(List.of("-cp", classPath, mainClass, "--port", String.valueOf(port), "--loops", String.valueOf(loops)));
        java.addAll(args);
        return java;
    }

    /**
     * Starts a server that is not one of the runner's Java mains (nginx, as a reference; a server
     * from another build's jar) on a free port, pinned as a one-loop server is, and waits until the
     * port accepts connections. The
     * program must run in the foreground, as one process, so that its CPU time is its own.
     */
    static ServerProcess start(String name, Program program, boolean pin, List<String> extraJvmFlags) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(Programs.pinnedTo(Programs.serverCores(1), pin));
        command.addAll(program.command(port, extraJvmFlags));
        Process process = launch(command);
        Deque<String> lastLines = new ArrayDeque<>();
        CompletableFuture<Integer> output = new CompletableFuture<>();
        Thread drain = new Thread(() -> drain(process, lastLines, output), name + "-output");
        drain.setDaemon(true);
        drain.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new ServerProcess(name, process, port, lastLines);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException(name + " did not start: " + lastLines(lastLines), notYet);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while " + name + " started", e);
            }
        }
    }

    /** Starts {@code command} with its open-files limit raised, its output and errors merged. */
    private static Process launch(List<String> command) throws IOException {
        List<String> prefix = Programs.onPath("bash")
                ? List.of("bash", "-c", "ulimit -n " + OPEN_FILES + " 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; exec \"$@\"",
                        "server")
                : List.of();
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
        RUNNING.add(process);
        return process;
    }

    /** Reads the server's output: the ready line, then the last lines kept for error messages. */
    private static void drain(Process process, Deque<String> lastLines, CompletableFuture<Integer> ready) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(ServerArgs.READY)) {
                    ready.complete(Integer.parseInt(line.substring(ServerArgs.READY.length()).trim()));
                    continue;
                }
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 20) {
                        lastLines.removeFirst();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        // A no-op once the server was ready: its output ends when it is stopped.
        ready.completeExceptionally(new IOException("the server's output ended before its ready line"));
    }

    private static String lastLines(Deque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "(no output)" : "\n" + String.join("\n", lines);
        }
    }

    String name() {
        return name;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    long pid() {
        return process.pid();
    }

    /** Fails, with the server's last words, when it is no longer running. */
    void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + " exited with " + process.exitValue() + ": " + lastLines(lastLines));
        }
    }

    /** User plus system CPU seconds the server used so far; NaN without {@code /proc}. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: utime is
            // the 14th field of the line, stime the 15th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident memory in bytes ({@code VmRSS}); -1 without {@code /proc}. */
    long rssBytes() {
        return rssBytes(pid());
    }

    /** Resident memory of process {@code pid} in bytes ({@code VmRSS}); -1 without {@code /proc}. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Heap in use after a full collection, in bytes, through {@code jcmd}; -1 where that fails. */
    long heapAfterGc() throws InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            jcmd(jcmd, "GC.run");
            Matcher used = HEAP_USED.matcher(jcmd(jcmd, "GC.heap_info"));
            long kib = 0;
            boolean found = false;
            while (used.find()) {
                kib += Long.parseLong(used.group(1));
                found = true;
            }
            return found ? kib * 1024 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private String jcmd(Path jcmd, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** Kills the server and waits for it to be gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + ", port " + port + ")";
    }

    /**
     * A server that is not a Java main of the runner's: how to run it on a port.
     */
    @FunctionalInterface
    interface Program {
        /**
         * The command that serves on {@code port} in the foreground; may first write the files it
         * needs. A Java program puts {@code extraJvmFlags} among its JVM's flags; others ignore them.
         */
        List<String> command(int port, List<String> extraJvmFlags) throws IOException;
    }

    /**
     * A server to start: its name in tables, its main class (for a {@link Program}, the name of the
     * program), its arguments, its event loops (threads), and the program that runs it when it is
     * not a Java main (null otherwise).
     */
    record Spec(String name, String mainClass, List<String> args, int loops, Program program) {

        /** A Java server on {@code loops} loops. */
        Spec(String name, String mainClass, List<String> args, int loops) {
            this(name, mainClass, args, loops, null);
        }

        /** A Java server on one loop. */
        Spec(String name, String mainClass, List<String> args) {
            this(name, mainClass, args, 1);
        }

        /** A server that is not a Java main, named {@code name}, run by {@code program} ({@code what} says which). */
        static Spec program(String name, String what, Program program) {
            return new Spec(name, what, List.of(), 1, program);
        }

        /** The same server on {@code loops} loops, named {@code name}. */
        Spec withLoops(String name, int loops) {
            return new Spec(name, mainClass, args, loops, program);
        }

        ServerProcess start(boolean pin) throws IOException {
            return start(pin, List.of());
        }

        /** Starts the server; a Java one's JVM is given {@code extraJvmFlags} too (a program that is not Java ignores them). */
        ServerProcess start(boolean pin, List<String> extraJvmFlags) throws IOException {
            return program != null ? ServerProcess.start(name, program, pin, extraJvmFlags)
                    : ServerProcess.start(name, mainClass, args, loops, pin, extraJvmFlags);
        }
    }
}
