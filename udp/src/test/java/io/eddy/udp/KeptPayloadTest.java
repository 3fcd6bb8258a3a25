package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.codec.LengthFieldCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.FramedDatagramCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a handler keeps of a datagram stays as it was when later datagrams arrive. */
class KeptPayloadTest {

    private final EventLoop loop = EventLoop.start("udp-kept-payload-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void aFrameOfACoreCodecThatTheHandlerKeepsIsNotOverwrittenByTheNextDatagram() throws Exception {
        List<ByteBuffer> kept = new CopyOnWriteArrayList<>();
        UdpEndpoint<ByteBuffer, ByteBuffer> endpoint = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(() -> new FramedDatagramCodec<>(() -> new LengthFieldCodec(1, 100)))
                .handler((source, datagram) -> kept.add(datagram.payload()))
                .start();
        try (Udp.Peer peer = new Udp.Peer()) {
            peer.send(endpoint.localAddress(), new byte[] {5, 'h', 'e', 'l', 'l', 'o'});
            peer.send(endpoint.localAddress(), new byte[] {5, 'X', 'X', 'X', 'X', 'X'});
        }

        await().atMost(WAIT).until(() -> kept.size() == 2);
        assertEquals("hello", StandardCharsets.UTF_8.decode(kept.get(0).duplicate()).toString());
        assertEquals("XXXXX", StandardCharsets.UTF_8.decode(kept.get(1).duplicate()).toString());
    }
}
