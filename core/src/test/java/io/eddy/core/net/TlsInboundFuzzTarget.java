package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.internal.LoopLedger;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.core.testing.FuzzInput;
import io.eddy.core.testing.LogCapture;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ServerTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the inbound side of a server's TLS connection ({@code TlsTransport}
 * under a {@code TcpConnection}, over loopback): the fuzzer's bytes arrive in place of a
 * ClientHello, or after a real one, on a TLS port, or after a PROXY protocol header (or in its
 * place) on a port that expects one before TLS, in the reads the fuzzer chooses; then the client
 * ends its output, or now and then stays silent until the handshake's deadline. No byte string
 * can finish a handshake without the client's keys, so whatever the bytes:
 *
 * <ul>
 *   <li>the connection closes with {@code TLS_ERROR} or {@code HANDSHAKE_TIMEOUT} (or
 *       {@code PROXY_HEADER_ERROR}, on the PROXY port) and for no other reason, and the client
 *       sees its end (a FIN or a reset): nothing hangs;</li>
 *   <li>the handler never hears of it;</li>
 *   <li>nothing throws out of the loop: no warning or error is logged by any Eddy class;</li>
 *   <li>nothing is left behind: the server counts no connection, and the loop's registered keys,
 *       live timers, lent chunks and open connections are back to what they were before.</li>
 * </ul>
 *
 * <p>One loop and two servers serve every input of a run, as a long-lived server would.
 */
class TlsInboundFuzzTarget {

    private static final Set<CloseReason.Kind> TLS_PORT = EnumSet.of(CloseReason.Kind.TLS_ERROR,
            CloseReason.Kind.HANDSHAKE_TIMEOUT);
    private static final Set<CloseReason.Kind> PROXY_PORT = EnumSet.of(CloseReason.Kind.TLS_ERROR,
            CloseReason.Kind.HANDSHAKE_TIMEOUT, CloseReason.Kind.PROXY_HEADER_ERROR);
    /** Short, so that an input that waits for it costs little; an input that ends its output never does. */
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(100);
    private static LogCapture logged;
    private static EventLoop loop;
    private static MetricRegistry metrics;
    private static TcpServer<String, String> tls;
    private static TcpServer<String, String> proxied;
    private static final AtomicInteger OPENED = new AtomicInteger();
    private static LoopLedger baseline;

    @BeforeAll
    static void start() throws Exception {
        logged = LogCapture.of("io.eddy"); // the tests' configuration passes warnings and errors
        // Stalls are not what this target looks for, and a fuzzing machine is busy: only a long one is logged.
        loop = EventLoop.builder().name("tls-fuzz").stallThreshold(Duration.ofSeconds(10)).start();
        metrics = MetricRegistry.create();
        ServerTls settings = ServerTls.builder()
                .certificate(TestCertificates.get().serverEcChain(), TestCertificates.get().serverEcKey())
                .handshakeTimeout(HANDSHAKE_TIMEOUT)
                .build();
        Handler<String, String> handler = new Handler<>() {
            @Override
            public void onOpen(Connection<String> connection) {
                OPENED.incrementAndGet();
            }

            @Override
            public void onMessage(Connection<String> connection, String line) {
                connection.write(line);
            }
        };
        tls = TcpServer.on(loop).bind(HOST, 0).tls(settings).metrics(metrics).codec(LineCodec::new).handler(handler).start();
        proxied = TcpServer.on(loop).bind(HOST, 0).tls(settings).metrics(metrics)
                .proxyProtocol(ProxyProtocol.required().withHeaderTimeout(HANDSHAKE_TIMEOUT))
                .codec(LineCodec::new).handler(handler).start();
        baseline = LoopLedger.of(loop);
    }

    @AfterAll
    static void stop() {
        if (loop != null) {
            loop.close();
        }
        logged.close();
    }

    @FuzzTest
    void closesForATlsReasonAndLeavesNothingBehind(byte[] data) throws Exception {
        FuzzInput input = FuzzInput.of(data);
        boolean proxy = input.flag(0);
        TcpServer<String, String> server = proxy ? proxied : tls;
        byte[] bytes = wire(input, proxy);
        boolean silent = input.bits(4, 3) == 7;
        String where = (proxy ? "PROXY port" : "TLS port") + (silent ? ", silent" : ", output ended") + ", bytes "
                + HexFormat.of().formatHex(bytes);
        int loggedBefore = logged.events().size();
        double[] before = closes(server);
        int openedBefore = OPENED.get();

        // The target connects on purpose, to its own servers only: Jazzer's detector of requests to
        // places chosen by the input would take that for one.
        try (SilentCloseable ownServers = BugDetectors.allowNetworkConnections((host, port) -> port == server.port()
                && (host.equals("localhost") || host.equals(HOST)));
             Socket client = Loopback.connect(server.port())) {
            send(client, bytes, input.reads());
            if (!silent) {
                client.shutdownOutput();
            }
            try {
                Loopback.readToEndWasReset(client);
            } catch (SocketTimeoutException e) {
                throw new AssertionError(where + ": the server kept the connection open for " + WAIT.toSeconds() + " s");
            }
        }
        // Polled at once and often: the close is usually done by the time the client has read its end.
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(WAIT)
                .until(() -> server.connectionCount() == 0 && sum(closes(server)) > sum(before));
        double[] after = closes(server);
        for (CloseReason.Kind kind : CloseReason.Kind.values()) {
            double more = after[kind.ordinal()] - before[kind.ordinal()];
            boolean allowed = (proxy ? PROXY_PORT : TLS_PORT).contains(kind);
            if (more != 0 && !(allowed && more == 1)) {
                throw new AssertionError(where + ": " + more + " more closed with " + kind);
            }
        }
        if (OPENED.get() != openedBefore) {
            throw new AssertionError(where + ": the handler heard of a connection that never finished a handshake");
        }
        List<ILoggingEvent> events = logged.events();
        if (events.size() > loggedBefore) {
            throw new AssertionError(where + ": logged " + events.get(loggedBefore).getFormattedMessage());
        }
        // The socket closes after its linger (the peer's FIN ends it); the key goes at the next select.
        await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(WAIT)
                .until(() -> LoopLedger.of(loop).equals(baseline));
    }

    /** What the client sends: a PROXY header or not, a real ClientHello or not, then the fuzzer's bytes. */
    private static byte[] wire(FuzzInput input, boolean proxy) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (proxy && input.flag(1)) {
            InetSocketAddress client = new InetSocketAddress("192.0.2.7", 50000);
            InetSocketAddress service = new InetSocketAddress("192.0.2.1", 443);
            out.writeBytes((input.flag(2) ? ProxyHeader.v2(client, service) : ProxyHeader.v1(client, service)).encode());
        }
        if (input.flag(3)) {
            out.writeBytes(TlsPeers.clientHello());
        }
        out.writeBytes(input.stream());
        return out.toByteArray();
    }

    /** Writes {@code bytes} in the fuzzer's reads; stops when the server has closed and reset. */
    private static void send(Socket client, byte[] bytes, int[] reads) {
        OutputStream out;
        try {
            out = client.getOutputStream();
            int at = 0;
            for (int read : reads) {
                int n = Math.min(read, bytes.length - at);
                out.write(bytes, at, n);
                out.flush();
                at += n;
            }
        } catch (IOException closedByTheServer) {
            // The server refused what came first: what it does next is what is checked.
        }
    }

    /** The server's closes so far, by reason, indexed by ordinal. */
    private static double[] closes(TcpServer<String, String> server) {
        String label = HOST + ":" + server.port();
        double[] counts = new double[CloseReason.Kind.values().length];
        for (CloseReason.Kind kind : CloseReason.Kind.values()) {
            counts[kind.ordinal()] = ServerMetricsTest.value(metrics, "eddy_tcp_server_connections_closed_total", label,
                    kind.name().toLowerCase(Locale.ROOT));
        }
        return counts;
    }

    private static double sum(double[] counts) {
        double sum = 0;
        for (double count : counts) {
            sum += count;
        }
        return sum;
    }
}
