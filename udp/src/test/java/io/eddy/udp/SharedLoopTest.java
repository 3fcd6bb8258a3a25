package io.eddy.udp;

import static io.eddy.udp.Udp.HOST;
import static io.eddy.udp.Udp.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.TcpServer;
import io.eddy.udp.codec.TextDatagramCodec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TCP and UDP on one loop: one thread serves a TCP echo connection and a UDP endpoint at the same time. */
class SharedLoopTest {

    private static final int EXCHANGES = 500;

    private final EventLoop loop = EventLoop.start("udp-shared-loop-test");

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void oneLoopServesATcpEchoConnectionAndAUdpEndpointAtOnce() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        TcpServer<String, String> tcp = TcpServer.on(loop).bind(HOST, 0)
                .codec(LineCodec::new)
                .handler((connection, line) -> {
                    threads.add(Thread.currentThread().getName());
                    connection.write("tcp " + line);
                })
                .start();
        UdpEndpoint<String, String> udp = UdpEndpoint.on(loop).bind(HOST, 0)
                .codec(TextDatagramCodec::new)
                .handler((endpoint, datagram) -> {
                    threads.add(Thread.currentThread().getName());
                    endpoint.send(datagram.sender(), "udp " + datagram.payload());
                })
                .start();

        CompletableFuture<Void> overTcp = CompletableFuture.runAsync(() -> exchangeOverTcp(tcp.port()));
        CompletableFuture<Void> overUdp = CompletableFuture.runAsync(() -> exchangeOverUdp(udp));
        CompletableFuture.allOf(overTcp, overUdp).get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);

        assertEquals(Set.of(loop.name()), threads);
        assertEquals(EXCHANGES, udp.counters().datagramsIn());
        // The last reply can reach the peer before the loop counts it as sent.
        await().atMost(WAIT).until(() -> udp.counters().datagramsOut() == EXCHANGES);
    }

    private static void exchangeOverTcp(int port) {
        try (Socket socket = new Socket(HOST, port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (int i = 0; i < EXCHANGES; i++) {
                out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                assertEquals("tcp line " + i, in.readLine());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void exchangeOverUdp(UdpEndpoint<String, String> udp) {
        try (Udp.Peer peer = new Udp.Peer()) {
            for (int i = 0; i < EXCHANGES; i++) {
                peer.send(udp.localAddress(), "datagram " + i);
                assertEquals("udp datagram " + i, peer.receiveText());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
