package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.ManualTimeSource;
import io.eddy.udp.codec.TextDatagramCodec;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timeouts, retries and matching of {@link UdpRequester}, on a loop whose clock moves only when the
 * test moves it. The peer is a plain blocking socket the test answers from (or not).
 */
class UdpRequesterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final ManualTimeSource time = new ManualTimeSource();
    private final EventLoop loop = EventLoop.builder().name("udp-requester-test").timeSource(time).start();
    private Udp.Peer peer;

    @BeforeEach
    void openPeer() throws IOException {
        peer = new Udp.Peer();
    }

    @AfterEach
    void close() {
        loop.close();
        peer.close();
    }

    @Test
    void sendsTheRequestAgainAfterEachTimeoutThenFails() throws Exception {
        UdpRequester<String, String> client = client(2);

        CompletableFuture<String> reply = client.request(peer.address(), "ping");

        assertEquals("ping", peer.receiveText());
        advance(TIMEOUT);
        assertEquals("ping", peer.receiveText());
        advance(TIMEOUT);
        assertEquals("ping", peer.receiveText());
        assertFalse(reply.isDone());
        advance(TIMEOUT);

        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals("no reply from " + peer.address() + " within 1000 ms, 3 attempts", e.getCause().getMessage());
        assertEquals(0, client.pendingRequests());
        assertEquals(3, client.endpoint().counters().datagramsOut());
    }

    @Test
    void nothingIsSentAgainBeforeTheTimeout() throws Exception {
        UdpRequester<String, String> client = client(2);

        CompletableFuture<String> reply = client.request(peer.address(), "ping");
        assertEquals("ping", peer.receiveText());
        advance(TIMEOUT.minusNanos(1));

        assertEquals(1, client.endpoint().counters().datagramsOut());
        assertFalse(reply.isDone());
    }

    @Test
    void aReplyToTheSecondAttemptCompletesTheRequestAndEndsTheRetries() throws Exception {
        UdpRequester<String, String> client = client(5);

        CompletableFuture<String> reply = client.request(peer.address(), "ping");
        peer.receive();                              // lost, as far as the client can tell
        advance(TIMEOUT);
        DatagramPacket second = peer.receive();
        peer.send((InetSocketAddress) second.getSocketAddress(), "pong");

        assertEquals("pong", reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        advance(TIMEOUT.multipliedBy(10));
        assertEquals(2, client.endpoint().counters().datagramsOut());
        assertEquals(0, client.pendingRequests());
    }

    @Test
    void aSecondReplyToARequestSentTwiceAnswersNothing() throws Exception {
        UdpRequester<String, String> client = client(1);

        CompletableFuture<String> reply = client.request(peer.address(), "ping");
        peer.receive();
        advance(TIMEOUT);
        peer.receive();
        InetSocketAddress clientAddress = client.endpoint().localAddress();
        peer.send(clientAddress, "pong 1");
        peer.send(clientAddress, "pong 2");

        assertEquals("pong 1", reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        await().atMost(WAIT).until(() -> client.unmatchedReplies() == 1);
    }

    @Test
    void aDatagramFromAnotherAddressGoesToTheEndpointsOwnHandler() throws Exception {
        List<String> others = new CopyOnWriteArrayList<>();
        UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0)
                        .codec(TextDatagramCodec::new)
                        .handler((endpoint, datagram) -> others.add(datagram.payload())))
                .timeout(TIMEOUT)
                .start();

        CompletableFuture<String> reply = client.request(peer.address(), "ping");
        peer.receive();
        try (Udp.Peer stranger = new Udp.Peer()) {
            stranger.send(client.endpoint().localAddress(), "not the answer");
            await().atMost(WAIT).until(() -> others.size() == 1);
        }
        peer.send(client.endpoint().localAddress(), "pong");

        assertEquals("pong", reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(List.of("not the answer"), others);
    }

    @Test
    void correlatedRepliesCompleteTheirOwnRequestsInWhateverOrderTheyCome() throws Exception {
        UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0)
                        .codec(TextDatagramCodec::new))
                .timeout(TIMEOUT)
                .correlate(request -> request.split(" ")[0], reply -> reply.split(" ")[0])
                .start();

        CompletableFuture<String> first = client.request(peer.address(), "1 ping");
        CompletableFuture<String> second = client.request(peer.address(), "2 ping");
        CompletableFuture<String> third = client.request(peer.address(), "3 ping");
        for (int i = 0; i < 3; i++) {
            peer.receive();
        }
        InetSocketAddress clientAddress = client.endpoint().localAddress();
        peer.send(clientAddress, "3 pong");
        peer.send(clientAddress, "9 pong");      // answers nothing
        peer.send(clientAddress, "1 pong");
        peer.send(clientAddress, "2 pong");

        assertEquals("1 pong", first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("2 pong", second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("3 pong", third.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(1, client.unmatchedReplies());
    }

    @Test
    void withoutCorrelationASecondRequestToOnePeerWaitsUntilTheFirstIsAnswered() throws Exception {
        UdpRequester<String, String> client = client(0);

        CompletableFuture<String> first = client.request(peer.address(), "a");
        CompletableFuture<String> second = client.request(peer.address(), "b");
        assertEquals("a", peer.receiveText());
        Udp.awaitCycle(loop);
        assertEquals(1, client.endpoint().counters().datagramsOut(), "b went out before a was answered");
        assertEquals(2, client.pendingRequests());
        peer.send(client.endpoint().localAddress(), "reply 1");
        assertEquals("b", peer.receiveText());
        peer.send(client.endpoint().localAddress(), "reply 2");

        assertEquals("reply 1", first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("reply 2", second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(0, client.pendingRequests());
    }

    @Test
    void aDuplicateReplyToARetriedRequestDoesNotAnswerTheNextRequestWaitingBehindIt() throws Exception {
        UdpRequester<String, String> client = client(1);
        InetSocketAddress clientAddress = client.endpoint().localAddress();

        CompletableFuture<String> first = client.request(peer.address(), "a");
        receiveTwice("a");
        CompletableFuture<String> second = client.request(peer.address(), "b");
        answerTwiceAtOnce(clientAddress, "a");

        assertEquals("reply to a", first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertAnswersOnlyItsOwnReply(client, "b", second);
    }

    @Test
    void aDuplicateReplyAlreadyWaitingDoesNotAnswerARequestMadeWhenTheFirstReplyCame() throws Exception {
        UdpRequester<String, String> client = client(1);
        InetSocketAddress clientAddress = client.endpoint().localAddress();
        CompletableFuture<CompletableFuture<String>> next = new CompletableFuture<>();

        client.request(peer.address(), "a")
                .thenRun(() -> next.complete(client.request(peer.address(), "b")));   // on the loop, at once
        receiveTwice("a");
        answerTwiceAtOnce(clientAddress, "a");

        assertAnswersOnlyItsOwnReply(client, "b", next.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void cancellingARequestFreesItsPlaceAtOnceAndItsLateReplyAnswersNothing() throws Exception {
        UdpRequester<String, String> client = client(3);
        InetSocketAddress clientAddress = client.endpoint().localAddress();

        CompletableFuture<String> first = client.request(peer.address(), "a");
        assertEquals("a", peer.receiveText());
        first.cancel(false);
        Udp.awaitCycle(loop);
        assertEquals(0, client.pendingRequests());          // no timer had to fire for it

        peer.send(clientAddress, "reply to a");
        await().atMost(WAIT).until(() -> client.unmatchedReplies() == 1);
        CompletableFuture<String> second = client.request(peer.address(), "b");
        assertEquals("b", peer.receiveText());
        peer.send(clientAddress, "reply to b");
        assertEquals("reply to b", second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void aRequestOverTheLimitOfPendingRequestsFailsAtOnceAndNothingIsSent() throws Exception {
        UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0)
                        .codec(TextDatagramCodec::new))
                .timeout(TIMEOUT)
                .retries(0)
                .maxPending(2)
                .start();

        CompletableFuture<String> first = client.request(peer.address(), "a");
        CompletableFuture<String> second = client.request(peer.address(), "b");   // waits its turn: counts too
        CompletableFuture<String> third = client.request(peer.address(), "c");

        ExecutionException e = assertThrows(ExecutionException.class, () -> third.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
        assertEquals(client + ": 2 requests are pending already (maxPending); nothing was sent to " + peer.address(),
                e.getCause().getMessage());
        assertEquals(2, client.pendingRequests());
        assertEquals("a", peer.receiveText());
        advance(TIMEOUT);                                   // a times out: b goes, and there is room again
        assertInstanceOf(TimeoutException.class, assertThrows(ExecutionException.class,
                () -> first.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).getCause());
        assertEquals("b", peer.receiveText());
        CompletableFuture<String> fourth = client.request(peer.address(), "d");
        assertFalse(fourth.isDone());
        peer.send(client.endpoint().localAddress(), "reply to b");
        assertEquals("reply to b", second.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("d", peer.receiveText());
    }

    @Test
    void aBuilderStartedTwiceMakesTwoRequestersThatKnowNothingOfEachOther() throws Exception {
        UdpRequester.Builder<String, String> builder = UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)).timeout(TIMEOUT);
        UdpRequester<String, String> first = builder.start();
        UdpRequester<String, String> second = builder.start();

        peer.send(second.endpoint().localAddress(), "stray");

        await().atMost(WAIT).until(() -> second.unmatchedReplies() == 1);
        assertEquals(0, first.unmatchedReplies());
    }

    @Test
    void aCancelledRequestIsNotSentAgain() throws Exception {
        UdpRequester<String, String> client = client(3);

        CompletableFuture<String> reply = client.request(peer.address(), "ping");
        peer.receive();
        reply.cancel(false);
        advance(TIMEOUT.multipliedBy(5));

        assertEquals(1, client.endpoint().counters().datagramsOut());
        assertEquals(0, client.pendingRequests());
    }

    @Test
    void closingTheEndpointFailsTheRequestsStillWaiting() throws Exception {
        UdpRequester<String, String> client = client(3);

        CompletableFuture<String> reply = client.request(peer.address(), "ping");
        peer.receive();
        client.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(e.getCause().getMessage().endsWith("closed before a reply came"), e.getCause().getMessage());
        assertEquals(0, client.pendingRequests());
        ExecutionException later = assertThrows(ExecutionException.class,
                () -> client.request(peer.address(), "again").get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertInstanceOf(IOException.class, later.getCause());
    }

    @Test
    void aRequestToAnUnresolvedAddressIsRefusedAtOnce() throws Exception {
        UdpRequester<String, String> client = client(0);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client.request(InetSocketAddress.createUnresolved("nowhere.invalid", 5005), "ping"));
        assertEquals("unresolved address: nowhere.invalid", e.getMessage());
    }

    private UdpRequester<String, String> client(int retries) throws IOException {
        return UdpRequester.on(UdpEndpoint.on(loop).bind(HOST, 0).codec(TextDatagramCodec::new))
                .timeout(TIMEOUT)
                .retries(retries)
                .start();
    }

    /** Receives {@code request} from the client twice: sent, then sent again after a timeout. */
    private void receiveTwice(String request) throws Exception {
        assertEquals(request, peer.receiveText());
        advance(TIMEOUT);
        assertEquals(request, peer.receiveText());
    }

    /**
     * Answers {@code request} twice, from the loop thread, so that both replies wait in the
     * client's socket before it reads either.
     */
    private void answerTwiceAtOnce(InetSocketAddress client, String request) throws Exception {
        Udp.onLoop(loop, () -> {
            peer.send(client, "reply to " + request);
            peer.send(client, "reply to " + request + ", again");
            return null;
        });
    }

    /**
     * {@code request} goes out after the second reply to the one before it arrived, and only its
     * own reply answers it; that second reply answered nothing.
     */
    private void assertAnswersOnlyItsOwnReply(UdpRequester<String, String> client, String request,
                                              CompletableFuture<String> reply) throws Exception {
        assertEquals(request, peer.receiveText());
        peer.send(client.endpoint().localAddress(), "reply to " + request);
        assertEquals("reply to " + request, reply.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(1, client.unmatchedReplies());
    }

    /**
     * Lets the loop finish what it is doing, moves its clock, and returns once every timer now due
     * has run.
     */
    private void advance(Duration duration) throws Exception {
        Udp.awaitCycle(loop);
        time.advance(duration);
        Udp.awaitCycle(loop);
    }
}
