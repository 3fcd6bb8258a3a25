package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.TextDatagramCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Many request/response round trips over loopback, with many in flight: none lost, every payload intact. */
class RoundTripTest {

    private static final Logger log = LoggerFactory.getLogger(RoundTripTest.class);
    private static final int ROUND_TRIPS = 10_000;
    private static final int IN_FLIGHT = 64;

    private final EventLoop serverLoop = EventLoop.start("udp-server-test");
    private final EventLoop clientLoop = EventLoop.start("udp-client-test");

    @AfterEach
    void closeLoops() {
        clientLoop.close();
        serverLoop.close();
    }

    @Test
    void tenThousandRequestsWithSixtyFourInFlightAreAllAnsweredIntact() throws Exception {
        UdpEndpoint<String, String> server = UdpEndpoint.on(serverLoop)
                .bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), datagram.payload()))
                .start();
        // No retries: on loopback nothing may be lost. The timeout only has to outlast a stalled
        // loop on a busy machine; a lost datagram fails the test when WAIT runs out first.
        UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(clientLoop).bind(HOST, 0)
                        .codec(TextDatagramCodec::new))
                .timeout(Duration.ofSeconds(30))
                .retries(0)
                .correlate(RoundTripTest::id, RoundTripTest::id)
                .start();
        List<String> requests = requests(new Random(4));
        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        CountDownLatch answered = new CountDownLatch(ROUND_TRIPS);

        long start = System.nanoTime();
        for (String request : requests) {
            assertTrue(inFlight.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS), "no reply freed a slot");
            client.request(server.localAddress(), request).whenComplete((reply, failure) -> {
                if (failure != null || !request.equals(reply)) {
                    wrong.add(request + " -> " + (failure != null ? failure : reply));
                }
                inFlight.release();
                answered.countDown();
            });
        }
        assertTrue(answered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), answered.getCount() + " unanswered");
        long nanos = System.nanoTime() - start;

        assertTrue(wrong.isEmpty(), wrong.size() + " wrong or failed, such as " + wrong.peek());
        assertEquals(0, client.pendingRequests());
        assertEquals(0, client.unmatchedReplies());
        // The last reply can reach the client before the server's loop counts it as sent.
        await().atMost(WAIT).until(() -> server.counters().datagramsOut() == ROUND_TRIPS);
        UdpCounters served = server.counters();
        UdpCounters asked = client.endpoint().counters();
        for (UdpCounters counters : List.of(served, asked)) {
            assertEquals(ROUND_TRIPS, counters.datagramsIn(), counters.toString());
            assertEquals(ROUND_TRIPS, counters.datagramsOut(), counters.toString());
            assertEquals(0, counters.dropped(), counters.toString());
        }
        double seconds = nanos / 1e9;
        log.info("{} round trips with up to {} in flight, no retries, in {} ms: {} round trips/s, {} datagrams/s"
                        + " (requests and replies)",
                ROUND_TRIPS, IN_FLIGHT, nanos / 1_000_000, Math.round(ROUND_TRIPS / seconds),
                Math.round(2 * ROUND_TRIPS / seconds));
    }

    /** {@code id:text}, the text of random length (up to 300 characters) and script. */
    private static List<String> requests(Random random) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 发送数据éß";
        List<String> requests = new ArrayList<>(ROUND_TRIPS);
        for (int i = 0; i < ROUND_TRIPS; i++) {
            StringBuilder text = new StringBuilder().append(i).append(':');
            for (int n = random.nextInt(301); n > 0; n--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            requests.add(text.toString());
        }
        return requests;
    }

    private static String id(String message) {
        int colon = message.indexOf(':');
        return colon < 0 ? null : message.substring(0, colon);
    }
}
