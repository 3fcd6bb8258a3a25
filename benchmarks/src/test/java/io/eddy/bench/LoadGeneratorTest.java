package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.UdpEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generators against Eddy's benchmark servers in this JVM, on port 0: they must count
 * only correct answers. Each run starts after one checked exchange, so "some answers" needs no timing.
 */
class LoadGeneratorTest {

    private static final Duration RUN = Duration.ofMillis(200);
    private EventLoop loop;

    @BeforeEach
    void startLoop() {
        loop = EventLoop.start("bench-test");
    }

    @AfterEach
    void stopLoop() {
        loop.close();
    }

    @Test
    void countsPlaintextAnswersKeptAliveAndPipelined() throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", PlaintextServer.start(loop, 0).port());
        Protocol plaintext = Protocol.plaintext("127.0.0.1:" + address.getPort());
        MemoryProbe.exchangeOnce(address, plaintext).close();
        LoadResult pipelined = new TcpLoad(address, plaintext, 2, 16).run(RUN);
        assertTrue(pipelined.messages() > 0, pipelined::toString);
        assertEquals(0, pipelined.errors());
        assertTrue(pipelined.p99Micros() >= pipelined.p50Micros(), pipelined::toString);
    }

    @Test
    void countsEchoedLines() throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", LineEchoServer.start(loop, 0).port());
        MemoryProbe.exchangeOnce(address, Protocol.lineEcho()).close();
        assertTrue(new TcpLoad(address, Protocol.lineEcho(), 4, 16).run(RUN).messages() > 0);
    }

    @Test
    void countsEchoedLinesKeptInFlightByAWindow() throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", LineEchoServer.start(loop, 0).port());
        MemoryProbe.exchangeOnce(address, Protocol.lineEcho()).close();
        LoadResult result = new TcpLoad(address, Protocol.lineEcho(), 4, 16, true).run(RUN);
        assertTrue(result.messages() > 0, result::toString);
        assertTrue(result.p99Micros() >= result.p50Micros(), result::toString);
    }

    @Test
    void countsEchoedDatagrams() throws Exception {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", UdpEchoServer.start(loop, 0).port());
        UdpLoad.exchangeOnce(address);
        assertTrue(new UdpLoad(address, 8).run(RUN).messages() > 0);
    }

    /**
     * A lost datagram is counted and its slot sends anew: the window stays full. The server drops
     * three early datagrams and echoes everything else; the run lasts five times the loss time
     * ({@value UdpLoad#LOSS_MILLIS} ms), so each loss is noticed. Before slots, a lost datagram
     * silently shrank the window and nothing was counted.
     */
    @Test
    void countsEachLostDatagramAndKeepsTheWindowFull() throws Exception {
        Set<Integer> dropped = Set.of(3, 7, 11);
        AtomicInteger received = new AtomicInteger();
        UdpEndpoint<ByteBuffer, ByteBuffer> lossy = UdpEndpoint.on(loop).bind("127.0.0.1", 0)
                .handler((self, datagram) -> {
                    if (!dropped.contains(received.incrementAndGet())) {
                        self.send(datagram.sender(), datagram.payload());
                    }
                })
                .start();
        LoadResult result = new UdpLoad(lossy.localAddress(), 8)
                .run(Duration.ofMillis(UdpLoad.LOSS_MILLIS * 5));
        // At least the three never echoed; a stall of the machine longer than the loss time
        // could add an echo that came late, which is a loss as the generator counts it.
        assertTrue(result.errors() >= 3, result::toString);
        assertTrue(result.messages() > 0, result::toString);
    }

    @Test
    void plaintextAnswersAreParsedAcrossReadsAndWrongOnesRejected() {
        String one = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\ncontent-length: 13\r\n\r\nHello, World!";
        Protocol plaintext = Protocol.plaintext("x");
        ByteBuffer in = ByteBuffer.allocate(1024).put((one + one + one.substring(0, 20)).getBytes(StandardCharsets.US_ASCII)).flip();
        assertEquals(2, plaintext.answers(in));
        assertEquals(20, in.remaining());
        in.compact().put(one.substring(20).getBytes(StandardCharsets.US_ASCII)).flip();
        assertEquals(1, plaintext.answers(in));

        assertThrows(IllegalStateException.class, () -> plaintext.answers(wire(one.replace("Hello", "Jello"))));
        assertThrows(IllegalStateException.class, () -> plaintext.answers(wire(one.replace("200 OK", "404 Not Found"))));
        assertThrows(IllegalStateException.class, () -> plaintext.answers(wire(one.replace("content-length: 13", "X: y"))));
    }

    private static ByteBuffer wire(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
