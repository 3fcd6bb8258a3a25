package io.eddy.http.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a client program (curl, python3, a browser) as a separate process, with its output in
 * files, a bounded wait, and the process and everything it started killed in any case.
 *
 * <p>Threading: any thread.
 */
final class ExternalClient {

    private static final Map<String, Optional<String>> FOUND = new ConcurrentHashMap<>();

    /** What a run printed, and how it ended. */
    record Result(List<String> command, int status, String stdout, String stderr) {

        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        @Override
        public String toString() {
            return String.join(" ", command) + "\nexit status " + status
                    + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private ExternalClient() {
    }

    /**
     * The first of {@code names} that runs with {@code --version} and exits 0, or empty: for a
     * test's assumption, so that a machine without the program skips the test and says why.
     */
    static Optional<String> find(String... names) {
        String key = String.join(" ", names);
        return FOUND.computeIfAbsent(key, k -> {
            for (String name : names) {
                if (answers(name, "--version")) {
                    return Optional.of(name);
                }
            }
            return Optional.empty();
        });
    }

    /**
     * Whether {@code probe} (a program and its arguments, such as {@code openssl version}) runs and
     * exits 0: for programs that do not answer {@code --version}.
     */
    static boolean answers(String... probe) {
        return FOUND.computeIfAbsent("probe: " + String.join(" ", probe),
                k -> answersProbe(probe) ? Optional.of(probe[0]) : Optional.empty()).isPresent();
    }

    private static boolean answersProbe(String... command) {
        Process probe = null;
        try {
            probe = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (probe != null) {
                kill(probe);
            }
        }
    }

    /** Runs {@code command} in {@code dir}, waiting at most {@code limit}; fails the test if it takes longer. */
    static Result run(Path dir, Duration limit, List<String> command) throws IOException, InterruptedException {
        return run(dir, limit, command, new byte[0]);
    }

    /** As {@link #run(Path, Duration, List)}, with {@code stdin} on the program's standard input (then its end). */
    static Result run(Path dir, Duration limit, List<String> command, byte[] stdin) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(dir, "stdout", ".txt");
        Path stderr = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("PYTHONIOENCODING", "utf-8");
        Process process = builder.start();
        try {
            try (var in = process.getOutputStream()) {
                in.write(stdin);
            } catch (IOException closedEarly) {
                // the program ended, or closed its input, before it read all of it: its output says why
            }
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + limit
                        + "\n--- stdout\n" + read(stdout) + "\n--- stderr\n" + read(stderr));
            }
            return new Result(List.copyOf(command), process.exitValue(), read(stdout), read(stderr));
        } finally {
            kill(process);
        }
    }

    /** Kills what {@code process} started, then the process itself (a browser leaves helpers behind otherwise). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
