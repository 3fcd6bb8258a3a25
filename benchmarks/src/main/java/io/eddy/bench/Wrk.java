package io.eddy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code wrk} (one thread, the plaintext request's headers, pipelined through a small Lua
 * script when the depth is above 1, as TechEmpower does) and reads its report.
 *
 * <p>Threading: {@link #run} blocks its caller until wrk is done.
 */
final class Wrk {

    /** How to get wrk where it is missing. */
    static final String INSTALL_HINT = "wrk is not installed: apt-get install wrk (Debian, Ubuntu), or pass --generator java";

    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(50|99)%\\s+([\\d.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE);
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final String PIPELINE_SCRIPT = """
            init = function(args)
              local depth = tonumber(args[1]) or 1
              local batch = {}
              for i = 1, depth do batch[i] = wrk.format() end
              pipelined = table.concat(batch)
            end
            request = function() return pipelined end
            """;

    private Wrk() {
    }

    /** Whether a {@code wrk} program is on the {@code PATH}. */
    static boolean installed() {
        return Programs.onPath("wrk");
    }

    /** One run against the plaintext path of {@code address}. */
    static LoadResult run(InetSocketAddress address, int connections, int depth, Duration duration, List<String> pin)
            throws IOException, InterruptedException {
        return run(url("http", address, PlaintextRequest.PATH), connections, depth, duration, pin);
    }

    /** {@code scheme://host:port/path} of a server at {@code address}. */
    static String url(String scheme, InetSocketAddress address, String path) {
        return scheme + "://" + address.getHostString() + ":" + address.getPort() + path;
    }

    /**
     * One run against {@code url}, {@code http://} or {@code https://} (wrk speaks TLS through
     * OpenSSL, taking whatever certificate the server shows), with the plaintext request's headers.
     */
    static LoadResult run(String url, int connections, int depth, Duration duration, List<String> pin)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(pin);
        command.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--latency"));
        for (String header : PlaintextRequest.HEADERS) {
            command.add("-H");
            command.add(header);
        }
        Path script = null;
        if (depth > 1) {
            script = Files.createTempFile("pipeline", ".lua");
            Files.writeString(script, PIPELINE_SCRIPT);
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        if (depth > 1) {
            command.addAll(List.of("--", String.valueOf(depth)));
        }
        // The report goes to a file, so a wrk that hangs is stopped by the timeout below rather
        // than holding the runner in a read that never ends.
        Path output = Files.createTempFile("wrk", ".txt");
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean ended = wrk.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS);
            String report = Files.readString(output, StandardCharsets.UTF_8);
            if (!ended || wrk.exitValue() != 0) {
                throw new IOException(ended ? "wrk failed:\n" + report : "wrk did not end in time:\n" + report);
            }
            return parse(report, depth);
        } finally {
            wrk.destroyForcibly();
            Files.deleteIfExists(output);
            if (script != null) {
                Files.deleteIfExists(script);
            }
        }
    }

    /** Reads wrk's report; its latencies are per batch when pipelining. */
    static LoadResult parse(String report, int depth) {
        Matcher requests = REQUESTS.matcher(report);
        if (!requests.find()) {
            throw new IllegalStateException("no request count in wrk's report:\n" + report);
        }
        long count = Long.parseLong(requests.group(1));
        double seconds = micros(requests.group(2), requests.group(3)) / 1e6;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Matcher percentile = PERCENTILE.matcher(report);
        while (percentile.find()) {
            double micros = micros(percentile.group(2), percentile.group(3));
            if (micros == 0) {
                // wrk's histogram overflows when it pipelines and prints 0 for the upper
                // percentiles: unknown, not zero.
                continue;
            }
            if (percentile.group(1).equals("50")) {
                p50 = micros;
            } else {
                p99 = micros;
            }
        }
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(report);
        if (socket.find()) {
            for (int group = 1; group <= 4; group++) {
                errors += Long.parseLong(socket.group(group));
            }
        }
        Matcher non2xx = NON_2XX.matcher(report);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new LoadResult(count, seconds, p50, p99, errors);
    }

    private static double micros(String value, String unit) {
        double number = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> number;
            case "ms" -> number * 1e3;
            case "s" -> number * 1e6;
            case "m" -> number * 60e6;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
