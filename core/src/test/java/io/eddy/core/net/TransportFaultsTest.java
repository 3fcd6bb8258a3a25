package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.internal.LoopLedger;
import io.eddy.core.internal.TransportFaults;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults injected in the transport of a line echo server's connections, over loopback: per seed, a
 * dozen clients at once on one loop, each sending a random run of lines in random pieces, each of
 * its connection's transport failing in its own way ({@link TransportFaults.Kind}) while the loop's
 * selector is woken for nothing and every key reported ready for nothing, over and over. A
 * connection whose fault fired closes for it ({@code PEER_RESET} for a reset, {@code IO_ERROR}
 * for a channel closed under it), after sending exactly the bytes its transport took, all of
 * them the start of its echo; every other connection, its neighbours on the same loop, echoes
 * every line byte for byte and closes when its peer does. Afterwards the loop holds nothing more
 * than before: keys, timers, chunks, connections. A failure names its seed; run one seed again
 * with {@code -Deddy.faults.seed=N}.
 */
@Timeout(120)
class TransportFaultsTest {

    private static final TransportFaults.Kind[] KINDS = TransportFaults.Kind.values();

    static LongStream seeds() {
        Long seed = Long.getLong("eddy.faults.seed");
        return seed != null ? LongStream.of(seed) : LongStream.rangeClosed(1, 4);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aFailingConnectionClosesForItsFaultAndItsNeighboursAreEchoedWhole(long seed) throws Exception {
        try (EventLoop loop = EventLoop.builder().name("faults-" + seed)
                // A cycle of many one-byte writes on a shared machine is no stall worth a warning here.
                .stallThreshold(Duration.ofSeconds(5)).start();
             LogCapture closedUnder = LogCapture.of(Connection.class)) { // its warnings, kept off the console
            TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).codec(LineCodec::new)
                    .handler((connection, line) -> connection.write(line)).start();
            LoopLedger before = LoopLedger.of(loop);
            Map<Integer, TransportFaults> byPort = new ConcurrentHashMap<>();
            List<FaultyPeers.Peer> peers = new ArrayList<>();
            try (AutoCloseable plan = TransportFaults.install(loop,
                    remote -> byPort.get(((InetSocketAddress) remote).getPort()));
                 AutoCloseable noise = TransportFaults.wakeForNothing(loop)) {
                Random random = new Random(seed);
                for (int i = 0; i < 12; i++) {
                    byte[] lines = lines(random);
                    peers.add(FaultyPeers.Peer.start(server.port(), lines, lines, KINDS[i % KINDS.length], random, byPort));
                }
                for (FaultyPeers.Peer peer : peers) {
                    peer.await();
                }
            }
            int fired = 0;
            for (FaultyPeers.Peer peer : peers) {
                String about = "seed " + seed + ", " + peer;
                CloseReason reason = peer.faults().closed().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                String firedAt = peer.faults().firedAt();
                if (firedAt == null) {
                    assertEquals(CloseReason.Kind.PEER_CLOSED, reason.kind(), about);
                    assertArrayEquals(peer.expected(), peer.received(), about + ": the whole echo");
                    assertNull(peer.writeFailure(), about);
                    continue;
                }
                fired++;
                assertEquals(peer.kind().closeReason(), reason.kind(), about + ", fired: " + firedAt);
                byte[] start = Arrays.copyOf(peer.expected(), (int) peer.faults().written());
                assertArrayEquals(start, peer.received(), about + ", fired: " + firedAt
                        + ": exactly the bytes the transport took, the start of the echo");
            }
            assertTrue(fired > 0, "seed " + seed + ": no fault fired");
            await().atMost(WAIT).until(() -> server.connectionCount() == 0 && LoopLedger.of(loop).equals(before));
        }
    }

    /** A few dozen lines of up to a few hundred printable ASCII characters each. */
    private static byte[] lines(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(60);
        for (int i = 0; i < count; i++) {
            int length = random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(80);
            for (int j = 0; j < length; j++) {
                out.write(' ' + random.nextInt(95));
            }
            out.write('\n');
        }
        return out.toByteArray();
    }
}
