package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocket;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core's flight recorder events, recorded with the shipped {@code eddy.jfc} and read back from the
 * recording file: connections opened and closed with their reason, a loop stall with the loop's
 * stack, TLS handshakes done and failed.
 */
@Timeout(60)
class FlightRecorderEventsTest {

    @TempDir
    Path dir;

    /** The settings file shipped in the jar. */
    static Configuration eddyJfc() throws Exception {
        try (Reader jfc = new InputStreamReader(FlightRecorderEventsTest.class.getResourceAsStream("/io/eddy/core/eddy.jfc"),
                UTF_8)) {
            return Configuration.create(jfc);
        }
    }

    private List<RecordedEvent> record(Recording recording) throws Exception {
        recording.stop();
        Path file = dir.resolve("eddy-" + System.nanoTime() + ".jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file);
    }

    private static boolean reportedWithin(Duration wait, Callable<Boolean> condition) {
        try {
            await().atMost(wait).until(condition);
            return true;
        } catch (ConditionTimeoutException notYet) {
            return false;
        }
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).collect(Collectors.toList());
    }

    @Test
    void eventsAreOffUnlessARecordingAsks() throws Exception {
        try (EventLoop loop = EventLoop.start("jfr-off")) {
            TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new).handler((c, line) -> { }).start();
        }
        for (String name : List.of("io.eddy.ConnectionOpened", "io.eddy.ConnectionClosed", "io.eddy.LoopStall",
                "io.eddy.TlsHandshake")) {
            EventType type = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                    .filter(t -> t.getName().equals(name)).findFirst().orElse(null);
            if (type != null) { // registered once its class has loaded
                assertFalse(type.isEnabled(), name + " is off without a recording");
            }
        }
    }

    @Test
    void recordsConnectionsWithTheirCloseReasonAndALoopStallWithItsStack() throws Exception {
        AtomicLong stallsBeforeBlocking = new AtomicLong();
        Semaphore blocking = new Semaphore(0);
        Semaphore release = new Semaphore(0);
        try (Recording recording = new Recording(eddyJfc());
             EventLoop loop = EventLoop.builder().name("jfr-loop").stallThreshold(Duration.ofMillis(50)).start()) {
            recording.start();
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new)
                    .handler((connection, line) -> {
                        if (line.equals("block")) {
                            // Holds the loop until the watchdog has seen it: a stall, without sleeping.
                            stallsBeforeBlocking.set(loop.stallsReported());
                            blocking.release();
                            release.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        }
                        connection.write(line);
                    })
                    .start();
            try (Socket client = Loopback.connect(server.port())) {
                BufferedReader reader = Loopback.reader(client);
                boolean reportedWhileBlocked = false;
                // A stall reported once the handler blocks is this cycle's, with the handler on its
                // stack. On a busy machine the cycle may have crossed the threshold before reaching
                // the handler and been reported then, with another stack (once per cycle): block again.
                for (int attempt = 0; attempt < 3 && !reportedWhileBlocked; attempt++) {
                    client.getOutputStream().write("block\n".getBytes(UTF_8));
                    assertTrue(blocking.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the handler blocks");
                    reportedWhileBlocked = reportedWithin(Duration.ofSeconds(5),
                            () -> loop.stallsReported() > stallsBeforeBlocking.get());
                    release.release();
                    assertEquals("block", reader.readLine());
                }
                assertTrue(reportedWhileBlocked, "the watchdog reported the blocked cycle");
            }
            await().atMost(WAIT).until(() -> server.connectionCount() == 0);
            List<RecordedEvent> events = record(recording);

            RecordedEvent opened = named(events, "io.eddy.ConnectionOpened").get(0);
            RecordedEvent closed = named(events, "io.eddy.ConnectionClosed").get(0);
            assertEquals(opened.getLong("connectionId"), closed.getLong("connectionId"));
            assertEquals("jfr-loop", opened.getString("loop"));
            assertTrue(opened.getString("localAddress").endsWith(":" + server.port()), opened.toString());
            assertEquals("PEER_CLOSED", closed.getString("reason"));
            assertNotNull(closed.getString("detail"));

            RecordedEvent stall = named(events, "io.eddy.LoopStall").stream()
                    .filter(e -> e.getString("stack").contains("FlightRecorderEventsTest")).findFirst().orElseThrow();
            assertEquals("jfr-loop", stall.getString("loop"));
            assertTrue(stall.getDuration("stalledFor").toMillis() >= 50, stall.toString());
            assertEquals(Duration.ofMillis(50), stall.getDuration("threshold"));
        }
    }

    @Test
    void recordsTlsHandshakesDoneAndFailed() throws Exception {
        try (Recording recording = new Recording(eddyJfc()); EventLoop loop = EventLoop.start("jfr-tls")) {
            recording.start();
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                    .codec(LineCodec::new).handler((connection, line) -> connection.write(line)).start();
            try (SSLSocket client = TlsPeers.connect(server.port(), "TLSv1.3")) {
                client.getOutputStream().write("hi\n".getBytes(UTF_8));
                assertEquals("hi", Loopback.reader(client).readLine());
            }
            try (Socket plain = Loopback.connect(server.port())) {
                plain.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(UTF_8)); // no TLS at all
                plain.getInputStream().readAllBytes(); // an alert at most, then the close
            }
            await().atMost(WAIT).until(() -> server.connectionCount() == 0);
            List<RecordedEvent> handshakes = named(record(recording), "io.eddy.TlsHandshake");
            assertEquals(2, handshakes.size(), handshakes.toString());
            RecordedEvent done = handshakes.stream().filter(e -> e.getBoolean("succeeded")).findFirst().orElseThrow();
            assertEquals("TLSv1.3", done.getString("protocol"));
            assertNotNull(done.getString("cipherSuite"));
            RecordedEvent failed = handshakes.stream().filter(e -> !e.getBoolean("succeeded")).findFirst().orElseThrow();
            assertTrue(failed.getString("failure").startsWith("TLS_ERROR"), failed.toString());
        }
    }
}
