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
 * Full TLS 1.3 handshakes as fast as a server answers them, from {@code openssl s_time -new}:
 * several clients side by side, each connecting, handshaking, and closing, then connecting again,
 * never offering a session to resume. OpenSSL rather than a Java client because the load must cost
 * the client less than the server: a JDK client pays the same key agreement and signature checks in
 * Java as the server it loads, and one core of it could not keep a server's core busy.
 *
 * <p>{@code s_time} prints a character per connection, {@code *} for a full handshake and
 * {@code r} for a resumed one (which {@code -new} should never give: each is counted as an error
 * here), then how many it made and its own user CPU seconds. It stops on the first connection that
 * fails, exiting non-zero, which fails the run. Its elapsed time is printed in whole seconds only,
 * so the rate is taken from the wall clock around each client.
 *
 * <p>Threading: {@link #run} blocks its caller until every client is done.
 */
final class HandshakeLoad {

    /** How to get openssl where it is missing. */
    static final String INSTALL_HINT = "openssl is not installed: apt-get install openssl (Debian, Ubuntu)";

    private static final Pattern CONNECTIONS = Pattern.compile("(\\d+) connections in ([\\d.]+)s;");

    /** What one client's report says. */
    record ClientReport(long handshakes, long resumed, double userSeconds) {
    }

    /**
     * What a run measured.
     *
     * @param handshakes        full handshakes made, all clients together
     * @param rate              full handshakes a second, each client's count over its wall time, summed
     * @param seconds           the longest client's wall time
     * @param resumed           handshakes that resumed a session (none expected)
     * @param clientUserSeconds the clients' user CPU time, summed
     */
    record Result(long handshakes, double rate, double seconds, long resumed, double clientUserSeconds) {

        /** As the runner logs every run: no latencies, the resumed handshakes as errors. */
        LoadResult asLoadResult() {
            return new LoadResult(handshakes, rate > 0 ? handshakes / rate : seconds, Double.NaN, Double.NaN, resumed);
        }
    }

    private final InetSocketAddress address;
    private final int clients;

    HandshakeLoad(InetSocketAddress address, int clients) {
        this.address = address;
        this.clients = clients;
    }

    /** Whether an {@code openssl} program is on the {@code PATH}. */
    static boolean installed() {
        return Programs.onPath("openssl");
    }

    /** Runs the clients for {@code duration} (whole seconds, at least one), all pinned by {@code pin}. */
    Result run(Duration duration, List<String> pin) throws IOException, InterruptedException {
        long seconds = Math.max(1, duration.toSeconds());
        List<String> command = new ArrayList<>(pin);
        command.addAll(List.of("openssl", "s_time", "-connect", address.getHostString() + ":" + address.getPort(),
                "-new", "-tls1_3", "-time", String.valueOf(seconds)));
        List<Process> running = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        long[] ended = new long[clients];
        try {
            for (int i = 0; i < clients; i++) {
                Path output = Files.createTempFile("s_time", ".txt");
                outputs.add(output);
                started.add(System.nanoTime());
                // The report goes to a file, so a client that hangs is stopped by the timeout below.
                running.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start());
            }
            long handshakes = 0;
            long resumed = 0;
            double userSeconds = 0;
            double rate = 0;
            double longest = 0;
            for (int i = 0; i < clients; i++) {
                Process client = running.get(i);
                // s_time runs until a whole second past its time: give it that and more.
                boolean done = client.waitFor(seconds + 30, TimeUnit.SECONDS);
                ended[i] = System.nanoTime();
                String report = Files.readString(outputs.get(i), StandardCharsets.UTF_8);
                if (!done || client.exitValue() != 0) {
                    throw new IOException(done ? "openssl s_time failed:\n" + report : "openssl s_time did not end in time:\n" + report);
                }
                ClientReport parsed = parse(report);
                // Measured from before the process started: a few milliseconds of start-up too.
                double wall = (ended[i] - started.get(i)) / 1e9;
                handshakes += parsed.handshakes();
                resumed += parsed.resumed();
                userSeconds += parsed.userSeconds();
                rate += parsed.handshakes() / wall;
                longest = Math.max(longest, wall);
            }
            return new Result(handshakes, rate, longest, resumed, userSeconds);
        } finally {
            for (Process client : running) {
                client.destroyForcibly();
            }
            for (Path output : outputs) {
                Files.deleteIfExists(output);
            }
        }
    }

    /**
     * What {@code openssl s_client -tls1_3 -alpn http/1.1} and the server at {@code address} agree
     * on: the protocol and suite, the key exchange group, the signature, the ALPN name; as one line.
     */
    static String negotiated(InetSocketAddress address) throws IOException, InterruptedException {
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", address.getHostString() + ":" + address.getPort(),
                "-tls1_3", "-alpn", "http/1.1").redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null"))).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(30, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new IOException("openssl s_client did not end:\n" + output);
        }
        return negotiatedIn(output);
    }

    /**
     * The lines of an {@code s_client} report that say what was agreed, as one line such as
     * {@code TLSv1.3, TLS_AES_256_GCM_SHA384, key exchange X25519, 253 bits, ECDSA signature, 256-bit
     * key, ALPN http/1.1}; what is missing is said so.
     */
    static String negotiatedIn(String report) {
        Matcher suite = Pattern.compile("New, (\\S+), Cipher is (\\S+)").matcher(report);
        if (!suite.find() || suite.group(1).equals("(NONE)")) {
            return "no handshake: " + report.strip().lines().findFirst().orElse("(no output)");
        }
        return suite.group(1) + ", " + suite.group(2)
                + ", key exchange " + field(report, "Server Temp Key: ")
                + ", " + field(report, "Peer signature type: ") + " signature"
                + ", " + field(report, "Server public key is ").replace(" bit", "-bit") + " key"
                + ", ALPN " + field(report, "ALPN protocol: ");
    }

    /** The rest of the line after {@code label}, or {@code none}. */
    private static String field(String report, String label) {
        int at = report.indexOf(label);
        if (at < 0) {
            return "none";
        }
        int end = report.indexOf('\n', at);
        return report.substring(at + label.length(), end < 0 ? report.length() : end).trim();
    }

    /**
     * Reads one {@code s_time} report: the handshakes it counted, those of them it marked resumed
     * ({@code r}), and its user CPU seconds.
     *
     * @throws IllegalStateException if the report holds no count
     */
    static ClientReport parse(String report) {
        Matcher count = CONNECTIONS.matcher(report);
        if (!count.find()) {
            throw new IllegalStateException("no connection count in openssl s_time's report:\n" + report);
        }
        // The marks come between the "Collecting" line and the count: one character per connection.
        String marks = report.substring(0, count.start());
        int collecting = marks.indexOf("Collecting connection statistics");
        if (collecting >= 0) {
            int lineEnd = marks.indexOf('\n', collecting);
            marks = lineEnd < 0 ? "" : marks.substring(lineEnd + 1);
        }
        long resumed = marks.chars().filter(c -> c == 'r').count();
        return new ClientReport(Long.parseLong(count.group(1)), resumed, Double.parseDouble(count.group(2)));
    }
}
