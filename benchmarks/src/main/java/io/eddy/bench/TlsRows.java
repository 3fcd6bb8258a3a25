package io.eddy.bench;

import io.eddy.core.testing.TestCertificates;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS row family: Eddy's HTTPS server ({@link PlaintextServer} with a certificate) against
 * Netty's {@code SslHandler} on the JDK's engine ({@link NettyPlaintextServer} with the same
 * certificate and settings), nginx (OpenSSL) as a C reference where it is installed; each row's
 * servers alternating in one run, as in every family. Three rows, each its own table, as their
 * units differ:
 *
 * <ul>
 *   <li><b>full handshakes</b>: TLS 1.3 with the ECDSA P-256 certificate, no resumption, from
 *       {@value #HANDSHAKE_CLIENTS} {@code openssl s_time -new} clients ({@link HandshakeLoad});
 *       handshakes a second and the server's CPU per handshake;</li>
 *   <li><b>keep-alive HTTPS</b>: {@code wrk} over {@value #KEEP_ALIVE_CONNECTIONS} connections
 *       asking for {@code /plaintext}; requests a second and per server CPU-second;</li>
 *   <li><b>bulk</b>: {@code wrk} over {@value #BULK_CONNECTIONS} connections asking for the 1 MiB
 *       {@code /bulk}; MiB a second (one response is one MiB) and per server CPU-second.</li>
 * </ul>
 *
 * <p>The certificate is made when the rows run, never committed: the EC P-256 {@code localhost}
 * certificate (with {@code IP:127.0.0.1}) of {@link TestCertificates}, signed by its test CA, the
 * chain file holding both, given to every server.
 *
 * <p>Threading: the runner's thread.
 */
final class TlsRows {

    /** The page the rows are written to: {@code tls.md}. */
    static final String PAGE = "tls";
    static final int HANDSHAKE_CLIENTS = 4;
    static final int KEEP_ALIVE_CONNECTIONS = 64;
    static final int BULK_CONNECTIONS = 8;
    /** nginx's name in the tables. */
    static final String NGINX = "nginx";

    private TlsRows() {
    }

    /** The certificate chain and key every server of the rows is given. */
    static ServerArgs.TlsFiles certificate() {
        TestCertificates certificates = TestCertificates.get();
        return new ServerArgs.TlsFiles(certificates.serverEcChain(), certificates.serverEcKey());
    }

    /** Eddy and Netty NIO over TLS with {@code files}; nginx too when {@code nginx} is set. */
    static List<ServerProcess.Spec> servers(ServerArgs.TlsFiles files, boolean nginx) {
        return servers(files, nginx, null);
    }

    /** As {@link #servers(ServerArgs.TlsFiles, boolean)}, with Eddy's server from {@code other} build beside this one's. */
    static List<ServerProcess.Spec> servers(ServerArgs.TlsFiles files, boolean nginx, LoadOptions.OtherBuild other) {
        List<String> tls = List.of("--tls-cert", files.certificateChain().toString(),
                "--tls-key", files.privateKey().toString());
        List<String> netty = new ArrayList<>(List.of("--transport", "nio"));
        netty.addAll(tls);
        List<ServerProcess.Spec> servers = new ArrayList<>(List.of(
                new ServerProcess.Spec(Report.SUBJECT, PlaintextServer.class.getName(), tls),
                new ServerProcess.Spec(Report.BASELINE, NettyPlaintextServer.class.getName(), netty)));
        if (other != null) {
            String jar = other.jar().toAbsolutePath().toString();
            servers.add(1, ServerProcess.Spec.program(other.name(), PlaintextServer.class.getName() + " from " + jar,
                    (port, flags) -> ServerProcess.java(jar, PlaintextServer.class.getName(), tls, port, 1, flags)));
        }
        if (nginx) {
            servers.add(ServerProcess.Spec.program(NGINX, NGINX, new NginxServer(files)));
        }
        return servers;
    }

    /** The handshake row's columns: rate and CPU per handshake charted. */
    static List<Report.Metric> handshakeMetrics() {
        return List.of(new Report.Metric("rate", "full handshakes/s", true),
                new Report.Metric("cpu", "server CPU s", false),
                new Report.Metric("cpuPerHandshake", "server CPU µs per handshake", true),
                new Report.Metric("perCpu", "handshakes per server CPU-s", false),
                new Report.Metric("clientCpuPerHandshake", "client user CPU µs per handshake", false),
                new Report.Metric("errors", "resumed (must be 0)", false));
    }

    /** One handshake run's values, from its result and the server's CPU seconds. */
    static Map<String, Double> handshakeValues(HandshakeLoad.Result result, double cpuSeconds) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("rate", result.rate());
        values.put("cpu", cpuSeconds);
        values.put("cpuPerHandshake", PacedRow.cpuMicrosPerRequest(cpuSeconds, result.handshakes()));
        values.put("perCpu", cpuSeconds > 0 ? result.handshakes() / cpuSeconds : Double.NaN);
        values.put("clientCpuPerHandshake", result.handshakes() > 0 ? result.clientUserSeconds() * 1e6 / result.handshakes()
                : Double.NaN);
        values.put("errors", (double) result.resumed());
        return values;
    }

    /**
     * Runs the three rows (those whose load program is installed; the others are named in the
     * page's notes) and returns their reports, with the page's notes added to {@code notes}.
     */
    static List<Report> run(LoadOptions options, List<String> notes) throws Exception {
        List<Report> reports = new ArrayList<>();
        ServerArgs.TlsFiles files = certificate();
        boolean nginx = NginxServer.installed() && options.loops().equals(LoadOptions.DEFAULT_LOOPS);
        if (!NginxServer.installed()) {
            System.out.println(NginxServer.INSTALL_HINT);
            notes.add(NginxServer.INSTALL_HINT + ".");
        }
        LoadOptions.OtherBuild other = options.eddyFrom();
        if (other != null && !options.loops().equals(LoadOptions.DEFAULT_LOOPS)) {
            throw new IllegalArgumentException("--eddy-from runs with one loop only, not with --loops");
        }
        if (other != null && !Files.isRegularFile(other.jar())) {
            throw new IllegalArgumentException("--eddy-from: no jar at " + other.jar());
        }
        List<ServerProcess.Spec> servers = LoopCounts.expand(servers(files, nginx, other), options.loops());
        List<Report.Pair> pairs = new ArrayList<>(LoopCounts.pairs(options.loops()));
        if (other != null) {
            pairs.add(new Report.Pair(Report.SUBJECT, other.name()));
            notes.add("`" + other.name() + "` is Eddy's server from another build (`" + other.jar().getFileName()
                    + "`), run beside this build's `Eddy` in the same alternating rounds: Eddy / " + other.name()
                    + " is what the change between them did.");
        }
        if (nginx) {
            pairs.add(new Report.Pair(Report.SUBJECT, NGINX));
        }
        notes.add(negotiated(servers, options));
        List<String> pin = Programs.pinnedTo(1, options.pin());
        List<String> rows = options.tlsRows();
        if (rows.contains("handshake") && !HandshakeLoad.installed()) {
            System.out.println(HandshakeLoad.INSTALL_HINT + ": no handshake row");
            notes.add(HandshakeLoad.INSTALL_HINT + ": the handshake row was not run.");
        }
        if (rows.contains("handshake") && HandshakeLoad.installed()) {
            Report report = report("tls-handshake", "Full TLS 1.3 handshakes (ECDSA P-256, no resumption; load from "
                    + HANDSHAKE_CLIENTS + " openssl s_time clients)", handshakeMetrics(), pairs)
                    .note("Each `openssl s_time -new -tls1_3` client connects, completes a full handshake, closes the"
                            + " socket without waiting for the session ticket, and connects again; the "
                            + HANDSHAKE_CLIENTS + " clients run side by side on the load core, so a server always has"
                            + " a handshake waiting. The rate is each client's count over its wall time, summed; the"
                            + " clients' own user CPU per handshake is beside it, to show how much of the load core they"
                            + " need. The server's CPU per handshake (all its threads: Eddy runs the handshake's key"
                            + " agreement and signature on its handshake threads, Netty on its event loop) is the"
                            + " figure that does not depend on the client keeping up.");
            reports.add(Rounds.run(report, servers,
                    List.of(new Scenario("TLS 1.3, " + HANDSHAKE_CLIENTS + " clients", HANDSHAKE_CLIENTS, 1)),
                    (server, scenario, duration) -> new HandshakeLoad(server.address(), scenario.connections()).run(duration, pin),
                    HandshakeLoad.Result::asLoadResult, TlsRows::handshakeValues, options));
        }
        if (!Wrk.installed() && (rows.contains("keepalive") || rows.contains("bulk"))) {
            System.out.println(Wrk.INSTALL_HINT.replace(", or pass --generator java", "") + ": no keep-alive or bulk rows");
            notes.add("wrk is not installed: the keep-alive and bulk rows were not run.");
        }
        if (Wrk.installed() && rows.contains("keepalive")) {
            Report keepAlive = report("tls-keepalive", "Keep-alive HTTPS requests (load from wrk)",
                    Rounds.metrics("requests/s", "requests per server CPU-s", "errors"), pairs)
                    .note("`wrk -t1 -c" + KEEP_ALIVE_CONNECTIONS + "` over TLS 1.3 asks for `/plaintext` (`Hello, World!`)"
                            + " with the browser-like headers of the HTTP rows, one request in flight per connection."
                            + " Each run's connections are new, so its " + KEEP_ALIVE_CONNECTIONS + " handshakes are"
                            + " in its server CPU.");
            reports.add(Rounds.run(keepAlive, servers,
                    List.of(new Scenario("keep-alive, " + KEEP_ALIVE_CONNECTIONS + " conn", KEEP_ALIVE_CONNECTIONS, 1)),
                    (server, scenario, duration) -> Wrk.run(Wrk.url("https", server.address(), PlaintextRequest.PATH),
                            scenario.connections(), 1, duration, pin), options));
        }
        if (Wrk.installed() && rows.contains("bulk")) {
            Report bulk = report("tls-bulk", "1 MiB responses over HTTPS (load from wrk)",
                    Rounds.metrics("MiB/s", "MiB per server CPU-s", "errors"), pairs)
                    .note("`wrk -t1 -c" + BULK_CONNECTIONS + "` over TLS 1.3 asks for `/bulk`, 1 MiB"
                            + " (`application/octet-stream`, `Content-Length` framed), one request in flight per"
                            + " connection: MiB/s is responses a second, latency is per whole response. Eddy and Netty"
                            + " send the same byte array from memory (Eddy `HttpResponse.bytes`, Netty a wrapped"
                            + " buffer); nginx reads it from a file, as it serves static files.");
            reports.add(Rounds.run(bulk, servers,
                    List.of(new Scenario("1 MiB bodies, " + BULK_CONNECTIONS + " conn", BULK_CONNECTIONS, 1)),
                    (server, scenario, duration) -> Wrk.run(Wrk.url("https", server.address(), BulkBody.PATH),
                            scenario.connections(), 1, duration, pin), options));
        }
        return reports;
    }

    /** A row's report; when it has ratios other than Eddy's over Netty's, a sentence says what each is. */
    private static Report report(String family, String title, List<Report.Metric> metrics, List<Report.Pair> pairs) {
        Report report = new Report(family, title, metrics, pairs);
        List<Report.Pair> others = pairs.stream().filter(pair -> !pair.baseline().startsWith(Report.BASELINE)).toList();
        if (!others.isEmpty()) {
            StringBuilder sentence = new StringBuilder("Ratios are Eddy / Netty NIO (the comparison these rows are for)");
            for (Report.Pair pair : others) {
                sentence.append(pair.baseline().equals(NGINX) ? ", Eddy / nginx (a C reference, on OpenSSL)"
                        : ", Eddy / " + pair.baseline() + " (this build over the other)");
            }
            report.ratios(sentence.append(": above 1 is better for rates, below 1 for latencies and CPU.").toString());
        }
        return report;
    }

    /**
     * What an OpenSSL client and each server agree on, from {@code openssl s_client -brief}: the
     * same for every server, or the comparison would be unfair.
     */
    private static String negotiated(List<ServerProcess.Spec> specs, LoadOptions options) throws Exception {
        if (!HandshakeLoad.installed()) {
            return "What the servers negotiate was not checked: openssl is missing.";
        }
        StringBuilder note = new StringBuilder("What an OpenSSL client (`openssl s_client -tls1_3`, as `s_time`; `wrk`"
                + " is on OpenSSL too) and each server agreed on, checked before the rows ran:");
        for (ServerProcess.Spec spec : specs) {
            try (ServerProcess server = spec.start(options.pin())) {
                note.append("\n- ").append(spec.name()).append(": ").append(HandshakeLoad.negotiated(server.address()));
            }
        }
        return note.toString();
    }
}
