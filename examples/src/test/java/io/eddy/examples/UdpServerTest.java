package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.udp.UdpEndpoint;
import io.eddy.udp.UdpEndpoints;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UdpServerTest {

    private static final String HOST = "127.0.0.1";

    private static final Output serverOut = new Output();
    private static EventLoop loop;
    private static UdpEndpoint<String, String> server;

    @BeforeAll
    static void startServer() throws IOException {
        loop = EventLoop.start("udp-server-test");
        server = UdpServer.start(loop, HOST, 0, serverOut.stream());
    }

    @AfterAll
    static void stop() {
        loop.close();
    }

    @Test
    void answersOverAndPrintsTheSenderAndText() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            socket.setSoTimeout(20_000);
            byte[] message = "发送数据7".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(message, message.length, server.localAddress()));

            DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
            socket.receive(reply);

            assertEquals("over", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
            String printed = "[127.0.0.1:" + socket.getLocalPort() + "] 发送数据7";
            await().atMost(20, SECONDS).until(() -> serverOut.text().lines().anyMatch(printed::equals));
        }
    }

    @Test
    void answersOnEveryLoopWithLoops() throws IOException {
        Output out = new Output();
        try (EventLoopGroup group = EventLoopGroup.start("udp-server-loops-test", 2);
             UdpEndpoints<String, String> endpoints = UdpServer.start(group, HOST, 0, out.stream())) {
            assertEquals(2, endpoints.endpoints().size());
            for (int i = 0; i < 16; i++) { // from 16 source ports: the kernel spreads them over the sockets
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
                    socket.setSoTimeout(20_000);
                    byte[] message = ("发送数据" + i).getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(message, message.length, new InetSocketAddress(HOST, endpoints.port())));
                    DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
                    socket.receive(reply);
                    assertEquals("over", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    @Test
    void clientProgramPrintsAReplyToEachOfItsHundredMessages() throws IOException {
        Output out = new Output();

        assertEquals(0, UdpClient.run(HOST, server.port(), UdpClient.MESSAGES, Duration.ofSeconds(5), out.stream()));

        for (int i = 0; i < UdpClient.MESSAGES; i++) {
            assertTrue(out.contains("server replied to 发送数据" + i + ": over\n"), out.text());
        }
    }

    @Test
    void clientProgramFailsClearlyWhenNothingAnswers() throws IOException {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            port = probe.getLocalPort();
        }

        IOException e = assertThrows(IOException.class,
                () -> UdpClient.run(HOST, port, 1, Duration.ofMillis(50), new Output().stream()));

        assertEquals("发送数据0: no reply from /127.0.0.1:" + port + " within 50 ms, 3 attempts;"
                + " is udp-server running?", e.getMessage());
    }
}
