package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.internal.TcpConnection;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ServerTls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * What a TLS port does with peers that do not speak TLS, or speak it badly: each is closed with a
 * logged reason, never reaches the handler, and costs its neighbours on the loop nothing.
 */
@Timeout(60)
class TlsHostileInputTest {

    private EventLoop loop;
    private TcpServer<String, String> server;
    private Loopback.EchoRecorder handler;
    private ListAppender<ILoggingEvent> logged;
    private Logger connectionLog;
    private Level levelBefore;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("tls-hostile");
        handler = new Loopback.EchoRecorder();
        ServerTls tls = ServerTls.builder()
                .certificate(TestCertificates.get().serverEcChain(), TestCertificates.get().serverEcKey())
                .handshakeTimeout(Duration.ofMillis(500))
                .build();
        server = TcpServer.on(loop).bind(HOST, 0).tls(tls).codec(LineCodec::new).handler(handler).start();
        connectionLog = (Logger) LoggerFactory.getLogger(TcpConnection.class);
        levelBefore = connectionLog.getLevel();
        connectionLog.setLevel(Level.DEBUG);
        logged = new ListAppender<>();
        logged.start();
        connectionLog.addAppender(logged);
    }

    @AfterEach
    void stop() {
        connectionLog.detachAppender(logged);
        connectionLog.setLevel(levelBefore);
        server.close();
        loop.close();
    }

    /** A TLS client already served, to show that its neighbours' troubles do not touch it. */
    private SSLSocket neighbour() throws Exception {
        SSLSocket socket = TlsPeers.connect(server.port());
        handler.nextOpened();
        return socket;
    }

    private static void assertServes(SSLSocket socket, String line) throws Exception {
        socket.getOutputStream().write((line + "\n").getBytes(UTF_8));
        socket.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        assertEquals(line, in.readLine());
    }

    private void assertLoggedFailure(String kind) {
        await().atMost(WAIT).until(() -> failures().stream().anyMatch(m -> m.contains(kind)));
    }

    private List<String> failures() {
        return List.copyOf(logged.list).stream().map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("TLS handshake failed")).toList();
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedWithAReason() throws Exception {
        try (SSLSocket good = neighbour(); Socket bad = Loopback.connect(server.port())) {
            byte[] garbage = new byte[2000];
            new Random(1).nextBytes(garbage);
            bad.getOutputStream().write(garbage);
            bad.getOutputStream().flush();
            Loopback.readToEndWasReset(bad);
            assertLoggedFailure("TLS_ERROR");
            assertServes(good, "still here");
            await().atMost(WAIT).until(() -> server.connectionCount() == 1);
        }
        assertEquals(1, handler.received.size(), "only the good client reached the handler");
    }

    @Test
    void plaintextHttpSentToTheTlsPortIsClosed() throws Exception {
        try (SSLSocket good = neighbour(); Socket bad = Loopback.connect(server.port())) {
            Loopback.send(bad, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            Loopback.readToEndWasReset(bad);
            assertLoggedFailure("TLS_ERROR");
            assertServes(good, "still here");
        }
    }

    @Test
    void aClientHelloCutOffAndStalledTimesOut() throws Exception {
        byte[] hello = TlsPeers.clientHello();
        try (SSLSocket good = neighbour(); Socket stalled = Loopback.connect(server.port())) {
            stalled.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
            stalled.getOutputStream().flush();
            Loopback.readToEndWasReset(stalled);
            assertLoggedFailure("HANDSHAKE_TIMEOUT");
            assertServes(good, "still here");
            await().atMost(WAIT).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void aRecordLargerThanTlsAllowsIsRefused() throws Exception {
        try (SSLSocket good = neighbour(); Socket bad = Loopback.connect(server.port())) {
            // A handshake record header claiming 65,535 bytes: past TLS's 2^14 + 2,048.
            byte[] header = {0x16, 0x03, 0x03, (byte) 0xff, (byte) 0xff};
            bad.getOutputStream().write(header);
            bad.getOutputStream().write(new byte[20_000]);
            bad.getOutputStream().flush();
            Loopback.readToEndWasReset(bad);
            assertLoggedFailure("TLS_ERROR");
            assertServes(good, "still here");
        }
    }

    @Test
    void aFloodOfStalledHandshakesIsClearedByTheTimeoutAndTheNeighbourIsServedThroughout() throws Exception {
        byte[] hello = TlsPeers.clientHello();
        List<Socket> flood = new ArrayList<>();
        try (SSLSocket good = neighbour()) {
            for (int i = 0; i < 200; i++) {
                Socket s = Loopback.connect(server.port());
                flood.add(s);
                s.getOutputStream().write(hello, 0, i % 2 == 0 ? 10 : hello.length - 1);
                s.getOutputStream().flush();
            }
            assertServes(good, "during the flood");
            await().atMost(WAIT).until(() -> server.connectionCount() == 1);
            assertServes(good, "after the flood");
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        assertTrue(failures().size() >= 200, "each was logged: " + failures().size());
    }

    @Test
    void aHandshakeThatNeverStartsCountsAgainstTheTimeoutToo() throws Exception {
        try (Socket silent = Loopback.connect(server.port())) {
            CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    Loopback.readToEndWasReset(silent);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertLoggedFailure("HANDSHAKE_TIMEOUT");
        }
    }
}
