package io.eddy.bench;

import io.eddy.core.testing.TestCertificates;
import java.io.PrintStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The runner's smoke mode, for CI: a few seconds in all. Starts every benchmark server (unpinned),
 * sends each a tiny load of every shape the benchmarks use (keep-alive, pipelined and paced HTTP,
 * line echo, UDP echo, a few idle connections, a broadcast to a few receivers, HTTPS with the TLS
 * rows' certificate: see {@link HttpsProbe}, WebSocket echo and broadcast) and checks every answer; then a 20-second soak
 * ({@link Soak#check}), every kind of traffic at once against one server process. Measures nothing. Each server
 * first answers one exchange with a generous timeout, so a slow start does not fail the check;
 * the short loads after it then only need some answer each.
 *
 * <p>Threading: the runner's thread; servers start in parallel on the common pool.
 */
final class Smoke {

    private static final Duration RUN = Duration.ofMillis(300);
    private static final int IDLE_CONNECTIONS = 20;
    /** Short, as it runs once per HTTP server: under half a second for all of them. */
    private static final Duration PACED_RUN = Duration.ofMillis(150);
    private static final int BROADCAST_RECEIVERS = 50;
    private static final int BROADCAST_MESSAGES = 100;
    /** Every kind of traffic against one server, briefly: a soak's checks, not its verdict. */
    private static final Duration SOAK = Duration.ofSeconds(20);

    /** A server and what it must answer. */
    private record Check(ServerProcess.Spec spec, Probe probe) {
    }

    @FunctionalInterface
    private interface Probe {
        /** Returns what was checked; throws if anything was wrong. */
        String run(ServerProcess server) throws Exception;
    }

    private Smoke() {
    }

    /** Runs every check; returns whether all passed, having said which failed and why. */
    static boolean run(PrintStream out) {
        List<Check> checks = new ArrayList<>();
        for (ServerProcess.Spec spec : Load.httpServers()) {
            checks.add(new Check(spec, Smoke::http));
        }
        for (ServerProcess.Spec spec : Load.metricsServers().subList(1, 3)) {
            checks.add(new Check(spec, Smoke::http));
        }
        for (ServerProcess.Spec spec : Load.lineServers()) {
            checks.add(new Check(spec, server -> {
                MemoryProbe.exchangeOnce(server.address(), Protocol.lineEcho()).close();
                return answered("line echo", new TcpLoad(server.address(), Protocol.lineEcho(), 2, 4).run(RUN)) + ", "
                        + answered("in flight", new TcpLoad(server.address(), Protocol.lineEcho(), 2, 4, true).run(RUN));
            }));
        }
        // Both loop counts: on two loops a broadcast crosses from the sender's loop to the other.
        for (ServerProcess.Spec spec : LoopCounts.expand(Load.broadcastServers(), List.of(1, 2))) {
            checks.add(new Check(spec, Smoke::broadcast));
        }
        // The TLS rows' servers with their certificate, made here as the rows make it (a second or two).
        ServerArgs.TlsFiles tls = TlsRows.certificate();
        HttpsProbe https;
        try {
            https = new HttpsProbe(TestCertificates.get().caPem());
        } catch (GeneralSecurityException e) {
            out.println("FAILED  no TLS client to check the HTTPS servers with: " + e);
            return false;
        }
        for (ServerProcess.Spec spec : TlsRows.servers(tls, false)) {
            checks.add(new Check(spec, server -> "HTTPS " + https.check(server.address())));
        }
        for (ServerProcess.Spec spec : WebSocketRows.servers()) {
            checks.add(new Check(spec, Smoke::websocket));
        }
        for (ServerProcess.Spec spec : Load.udpServers()) {
            checks.add(new Check(spec, server -> {
                UdpLoad.exchangeOnce(server.address());
                return answered("UDP echo", new UdpLoad(server.address(), 4).run(RUN));
            }));
        }
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (Check check : checks) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return check.spec().start(false);
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }));
        }
        int failed = 0;
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            String what = check.spec().name() + " (" + check.spec().mainClass().substring(check.spec().mainClass().lastIndexOf('.') + 1)
                    + (check.spec().args().contains("--tls-cert") ? " over TLS" : "") + ")";
            ServerProcess server = null;
            try {
                server = starting.get(i).join();
                out.println("ok      " + what + ": " + check.probe().run(server));
            } catch (Exception | AssertionError e) {
                failed++;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                out.println("FAILED  " + what + ": " + cause);
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
        try {
            out.println("ok      soak (SoakServer): " + Soak.check(SOAK));
        } catch (Exception | AssertionError e) {
            failed++;
            out.println("FAILED  soak (SoakServer): " + e);
        }
        int servers = checks.size() + 1;
        out.println(failed == 0 ? "smoke: all " + servers + " servers answered correctly"
                : "smoke: " + failed + " of " + servers + " servers did not answer correctly");
        return failed == 0;
    }

    /** Keep-alive, pipelined, paced, and a few idle connections with heap and RSS read. */
    private static String http(ServerProcess server) throws Exception {
        Protocol plaintext = Protocol.plaintext("127.0.0.1:" + server.address().getPort());
        // One exchange first, with a generous timeout: a cold server may be slow to answer it.
        MemoryProbe.exchangeOnce(server.address(), plaintext).close();
        String keepAlive = answered("keep-alive", new TcpLoad(server.address(), plaintext, 2, 1).run(RUN));
        String pipelined = answered("pipelined 16", new TcpLoad(server.address(), plaintext, 2, 16).run(RUN));
        // The first paced request is due at once, with every connection free, so it is always sent.
        PacedLoad.Result paced = new PacedLoad(server.address(), plaintext, 2, 1_000).run(PACED_RUN);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(MemoryProbe.exchangeOnce(server.address(), plaintext));
            }
            long heap = server.heapAfterGc();
            server.checkAlive();
            return keepAlive + ", " + pipelined + ", paced " + paced.answered() + " answers (" + paced.unsent()
                    + " not sent), " + IDLE_CONNECTIONS + " idle connections answered (heap "
                    + (heap < 0 ? "not readable" : heap / 1024 + " KiB") + ", RSS " + server.rssBytes() / 1024 + " KiB)";
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
        }
    }

    /** A few receivers, each of which must get every message, in order; the allocation counter must answer. */
    private static String broadcast(ServerProcess server) throws Exception {
        BroadcastLoad.Result result = new BroadcastLoad(server.address(), BROADCAST_RECEIVERS, BroadcastRow.WINDOW)
                .run(BROADCAST_MESSAGES);
        if (result.allocatedBytes() < 0) {
            throw new AssertionError("the server could not count the bytes its loops allocated");
        }
        return "broadcast " + result.messages() + " messages to " + result.receivers() + " receivers, "
                + result.delivered() + " delivered (" + Math.round(result.allocatedPerDelivery()) + " B allocated each)";
    }

    /** Echo on a few sockets, then a broadcast to a few receivers, each of which must get every message. */
    private static String websocket(ServerProcess server) throws Exception {
        WebSocketRows.EchoResult echo = WebSocketRows.echo(server, new Scenario("smoke", 2, 4), RUN);
        BroadcastLoad.Result broadcast = new BroadcastLoad(server.address(), BROADCAST_RECEIVERS, BroadcastRow.WINDOW,
                WebSocketWire.BROADCAST).run(BROADCAST_MESSAGES);
        if (echo.allocatedBytes() < 0 || broadcast.allocatedBytes() < 0) {
            throw new AssertionError("the server could not count the bytes its loops allocated");
        }
        return answered("WebSocket echo", echo.load()) + ", broadcast " + broadcast.messages() + " messages to "
                + broadcast.receivers() + " sockets, " + broadcast.delivered() + " delivered";
    }

    private static String answered(String what, LoadResult result) {
        if (result.messages() == 0) {
            throw new AssertionError(what + ": no answer in " + RUN.toMillis() + " ms");
        }
        return what + " " + result.messages() + " answers";
    }
}
