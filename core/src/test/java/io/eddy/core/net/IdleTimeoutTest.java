package io.eddy.core.net;

import static java.net.StandardSocketOptions.SO_SNDBUF;
import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.ManualTimeSource;
import java.io.BufferedReader;
import java.net.Socket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idle and close timeouts on a loop whose clock moves only when the test moves it. Three
 * connections per test, opened at the same instant: one the server reads from at +6 s, one it
 * writes to at +6 s, one left alone.
 */
@Timeout(30)
class IdleTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ManualTimeSource time = new ManualTimeSource();
    private final EventLoop loop = EventLoop.builder().name("idle").timeSource(time).start();
    private final Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
        @Override
        void reply(Connection<String> connection, String line) {
            // Reading must not also count as writing: answer nothing.
        }
    };

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /**
     * Lets the loop finish what it is doing at the current time, moves its clock, and returns once
     * every timer now due has run. (Without the first wait, a flush whose bytes the client has
     * already read may still be about to stamp its write time, and would stamp the new time.)
     */
    private void advance(Duration duration) throws Exception {
        Loopback.awaitCycle(loop);
        time.advance(duration);
        Loopback.awaitCycle(loop);
    }

    private final class Fixture implements AutoCloseable {
        final Socket readFrom;
        final Socket writtenTo;
        final Socket leftAlone;
        final Connection<String> readFromOnServer;
        final Connection<String> writtenToOnServer;
        final Connection<String> leftAloneOnServer;

        Fixture(ConnectionOptions options) throws Exception {
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                    .options(options).codec(LineCodec::new).handler(handler).start();
            readFrom = Loopback.connect(server.port());
            readFromOnServer = handler.nextOpened();
            writtenTo = Loopback.connect(server.port());
            writtenToOnServer = handler.nextOpened();
            leftAlone = Loopback.connect(server.port());
            leftAloneOnServer = handler.nextOpened();
        }

        /** At +6 s the server reads a line from one connection and writes one to another. */
        void trafficAtSixSeconds() throws Exception {
            advance(Duration.ofSeconds(6));
            Loopback.send(readFrom, "a line for the server\n");
            Awaitility.await().atMost(WAIT).until(() -> handler.lines(readFromOnServer).size() == 1);
            writtenToOnServer.write("a line for the client");
            BufferedReader in = Loopback.reader(writtenTo);
            assertEquals("a line for the client", in.readLine());
        }

        @Override
        public void close() throws Exception {
            readFrom.close();
            writtenTo.close();
            leftAlone.close();
        }
    }

    private static void assertIdleClosed(Connection<String> connection, String timeoutName) {
        CloseReason reason = connection.closeReason();
        assertTrue(reason != null, "still open");
        assertEquals(CloseReason.Kind.IDLE_TIMEOUT, reason.kind(), reason.toString());
        assertTrue(reason.detail().contains(timeoutName), reason.detail());
    }

    @Test
    void readIdleTimeoutClosesAConnectionNothingWasReadFrom() throws Exception {
        try (Fixture f = new Fixture(ConnectionOptions.defaults().withIdleTimeouts(TIMEOUT, Duration.ZERO, Duration.ZERO))) {
            f.trafficAtSixSeconds();
            advance(Duration.ofSeconds(6));
            // +12 s: reads reset the read timer; writes do not.
            assertTrue(f.readFromOnServer.isOpen());
            assertIdleClosed(f.writtenToOnServer, "readIdleTimeout");
            assertIdleClosed(f.leftAloneOnServer, "readIdleTimeout");
            assertNull(Loopback.reader(f.leftAlone).readLine(), "the peer sees the close");

            advance(Duration.ofSeconds(4));
            assertIdleClosed(f.readFromOnServer, "readIdleTimeout");
        }
    }

    @Test
    void writeIdleTimeoutClosesAConnectionNothingWasWrittenTo() throws Exception {
        try (Fixture f = new Fixture(ConnectionOptions.defaults().withIdleTimeouts(Duration.ZERO, TIMEOUT, Duration.ZERO))) {
            f.trafficAtSixSeconds();
            advance(Duration.ofSeconds(6));
            assertTrue(f.writtenToOnServer.isOpen());
            assertIdleClosed(f.readFromOnServer, "writeIdleTimeout");
            assertIdleClosed(f.leftAloneOnServer, "writeIdleTimeout");

            advance(Duration.ofSeconds(4));
            assertIdleClosed(f.writtenToOnServer, "writeIdleTimeout");
        }
    }

    @Test
    void idleTimeoutClosesOnlyAConnectionWithNeitherReadsNorWrites() throws Exception {
        try (Fixture f = new Fixture(ConnectionOptions.defaults().withIdleTimeout(TIMEOUT))) {
            f.trafficAtSixSeconds();
            advance(Duration.ofSeconds(6));
            assertTrue(f.readFromOnServer.isOpen());
            assertTrue(f.writtenToOnServer.isOpen());
            assertIdleClosed(f.leftAloneOnServer, "idleTimeout");

            advance(Duration.ofSeconds(4));
            assertIdleClosed(f.readFromOnServer, "idleTimeout");
            assertIdleClosed(f.writtenToOnServer, "idleTimeout");
        }
    }

    @Test
    void nothingClosesJustBeforeTheTimeout() throws Exception {
        try (Fixture f = new Fixture(ConnectionOptions.defaults().withIdleTimeouts(TIMEOUT, TIMEOUT, TIMEOUT))) {
            advance(TIMEOUT.minusNanos(1));
            assertTrue(f.leftAloneOnServer.isOpen());
            advance(Duration.ofNanos(1));
            assertFalse(f.leftAloneOnServer.isOpen());
            assertEquals(CloseReason.Kind.IDLE_TIMEOUT, f.leftAloneOnServer.closeReason().kind());
        }
    }

    @Test
    void closeTimeoutAbortsAConnectionWhosePeerNeverReads() throws Exception {
        int socketBuffer = 16 * 1024;
        ConnectionOptions options = ConnectionOptions.defaults()
                .withCloseTimeout(Duration.ofSeconds(30));
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .options(options).option(SO_SNDBUF, socketBuffer).codec(LineCodec::new).handler(handler).start();
        try (Socket socket = Loopback.connect(server.port(), socketBuffer)) {
            Connection<String> onServer = handler.nextOpened();
            Loopback.onLoop(loop, () -> {
                for (int i = 0; i < 256; i++) {
                    onServer.write("z".repeat(4095));
                }
                onServer.close();
                return null;
            });
            advance(Duration.ofSeconds(29));
            assertTrue(Loopback.onLoop(loop, onServer::pendingOutboundBytes) > 0, "everything fit in the socket buffers");
            assertNull(onServer.closeReason(), "closed before its close timeout");

            advance(Duration.ofSeconds(1));
            assertEquals(CloseReason.Kind.CLOSE_TIMEOUT, onServer.closeReason().kind());
            assertTrue(Loopback.readToEndWasReset(socket), "a close timeout resets the peer");
        }
    }
}
