package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.LengthFieldCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.DatagramCodec;
import io.eddy.udp.codec.FramedDatagramCodec;
import io.eddy.udp.codec.TextDatagramCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Datagrams that do not decode, and handlers that throw, are counted; the endpoint goes on serving. */
class MalformedDatagramTest {

    private final EventLoop loop = EventLoop.start("udp-malformed-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void malformedTextIsCountedAndDroppedWhileTheEndpointKeepsServing() throws Exception {
        UdpEndpoint<String, String> server = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), "got " + datagram.payload()))
                .start();
        try (Udp.Peer peer = new Udp.Peer()) {
            for (int i = 0; i < 5; i++) {
                peer.send(server.localAddress(), new byte[] {'o', 'k', (byte) 0xC3});   // a cut two-byte character
                peer.send(server.localAddress(), new byte[] {(byte) 0xFF, (byte) 0xFE});
                peer.send(server.localAddress(), "你好 " + i);
                assertEquals("got 你好 " + i, peer.receiveText());
            }
        }
        // The reply can reach the peer before the loop counts it as sent.
        await().atMost(WAIT).until(() -> server.counters().datagramsOut() == 5);
        UdpCounters counters = server.counters();
        assertEquals(15, counters.datagramsIn());
        assertEquals(10, counters.droppedMalformed());
        assertEquals(0, counters.handlerFailures());
    }

    @Test
    void framesThatBreakTheCoreCodecAreCountedAndDropped() throws Exception {
        UdpEndpoint<String, String> server = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(() -> new FramedDatagramCodec<>(() -> new LengthFieldCodec(1, 100)
                        .map(frame -> StandardCharsets.UTF_8.decode(frame).toString(),
                                (String text) -> ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))))
                .handler((endpoint, datagram) -> endpoint.send(datagram.sender(), "got " + datagram.payload()))
                .start();
        try (Udp.Peer peer = new Udp.Peer()) {
            peer.send(server.localAddress(), new byte[] {5, 'a', 'b'});             // shorter than it says
            peer.send(server.localAddress(), new byte[] {101});                     // over maxFrameLength
            peer.send(server.localAddress(), new byte[] {1, 'a', 1, 'b'});          // two frames in one datagram
            peer.send(server.localAddress(), new byte[] {2, 'h', 'i'});

            byte[] reply = peer.receive().getData();
            assertEquals(6, reply[0]);
            assertEquals("got hi", new String(reply, 1, 6, StandardCharsets.UTF_8));
        }
        assertEquals(3, server.counters().droppedMalformed());
    }

    @Test
    void aHandlerThatThrowsIsCountedAndTheEndpointGoesOn() throws Exception {
        UdpEndpoint<String, String> server = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> {
                    if (datagram.payload().startsWith("boom")) {
                        throw new IllegalStateException("the handler fails on " + datagram.payload());
                    }
                    if (datagram.payload().equals("deep")) {
                        recurse(0);
                    }
                    endpoint.send(datagram.sender(), "got " + datagram.payload());
                })
                .start();
        try (Udp.Peer peer = new Udp.Peer()) {
            peer.send(server.localAddress(), "boom 1");
            peer.send(server.localAddress(), "deep");
            peer.send(server.localAddress(), "boom 2");
            peer.send(server.localAddress(), "still there?");
            assertEquals("got still there?", peer.receiveText());
        }
        assertEquals(3, server.counters().handlerFailures());
        assertEquals(true, server.isOpen());
        await().atMost(WAIT).until(loop::isRunning);
    }

    @Test
    void aCodecThatThrowsIsCountedAsMalformed() throws Exception {
        UdpEndpoint<String, String> server = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(() -> new FramedDatagramCodec<String, String>(() -> in -> {
                    throw new IllegalStateException("a buggy decoder");
                }, (text, out) -> out.write(text.getBytes(StandardCharsets.UTF_8))))
                .start();
        try (Udp.Peer peer = new Udp.Peer()) {
            peer.send(server.localAddress(), "x");
            peer.send(server.localAddress(), "y");
        }
        await().atMost(WAIT).until(() -> server.counters().droppedMalformed() == 2);
        assertEquals(true, server.isOpen());
    }

    @Test
    void aDecoderThatOverflowsItsStackOrFailsAnAssertionIsCountedAsMalformedAndTheEndpointGoesOn() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        DatagramCodec<String, String> buggy = new DatagramCodec<>() {
            @Override
            public String decode(ByteBuffer payload) {
                String text = StandardCharsets.UTF_8.decode(payload).toString();
                if (text.equals("deep")) {
                    recurse(0);
                }
                if (text.equals("assert")) {
                    throw new AssertionError("a decoder's own check failed");
                }
                return text;
            }

            @Override
            public void encode(String message, ByteSink out) {
                out.write(message.getBytes(StandardCharsets.UTF_8));
            }
        };
        UdpEndpoint<String, String> server = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(() -> buggy)
                .handler((endpoint, datagram) -> received.add(datagram.payload()))
                .start();
        try (Udp.Peer peer = new Udp.Peer()) {
            peer.send(server.localAddress(), "deep");
            peer.send(server.localAddress(), "assert");
            peer.send(server.localAddress(), "still there?");
        }

        await().atMost(WAIT).until(() -> received.contains("still there?"));
        assertEquals(List.of("still there?"), received);
        assertEquals(2, server.counters().droppedMalformed());
        assertEquals(true, server.isOpen());
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
