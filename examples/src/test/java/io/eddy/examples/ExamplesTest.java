package io.eddy.examples;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExamplesTest {

    private static final String HOST = "127.0.0.1";
    private static final List<String> NAMES = List.of("showcase", "greeting-server", "greeting-client",
            "chat-server", "chat-client", "hello-http", "udp-server", "udp-client");

    @Test
    void showcaseStartsEveryServerOnOneLoop() throws Exception {
        try (EventLoop loop = EventLoop.start("showcase-test")) {
            Examples.Showcase showcase = Examples.showcase(loop, HOST, Examples.Ports.ANY);

            assertSame(loop, showcase.greeting().loop());
            assertSame(loop, showcase.chat().server().loop());
            assertSame(loop, showcase.udp().loop());
            assertTrue(HelloHttpTest.get(showcase.http().port(), "/hello").endsWith("\r\n\r\nhello world"));
            assertEquals("hello", GreetingClient.greet(loop, HOST, showcase.greeting().port()).get(20, SECONDS));
            try (Socket socket = new Socket(HOST, showcase.chat().port())) {
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("got: hi", in.readLine());
            }
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
                socket.setSoTimeout(20_000);
                socket.send(new DatagramPacket(new byte[] {'h', 'i'}, 2, showcase.udp().localAddress()));
                DatagramPacket reply = new DatagramPacket(new byte[16], 16);
                socket.receive(reply);
                assertEquals("over", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void showcaseSpreadsItsConnectionsOverTheLoopsOfAGroup() throws Exception {
        try (EventLoopGroup group = EventLoopGroup.start("showcase-group-test", 2);
             EventLoop clients = EventLoop.start("showcase-group-clients")) {
            Examples.Showcase showcase = Examples.showcase(group, HOST, Examples.Ports.ANY);
            for (int i = 0; i < 4; i++) {
                assertEquals("hello", GreetingClient.greet(clients, HOST, showcase.greeting().port()).get(20, SECONDS));
                assertTrue(HelloHttpTest.get(showcase.http().port(), "/hello").endsWith("\r\n\r\nhello world"));
            }
            assertTrue(group.loops().contains(showcase.udp().loop()), "the UDP socket is on one of the group's loops");
        }
    }

    @Test
    void aBadLoopCountFails() {
        Output err = new Output();
        assertEquals(2, Examples.run(new String[] {"greeting-server", "--loops", "0"}, new Output().stream(), err.stream()));
        assertTrue(err.contains("--loops must be a whole number of at least 1: '0'"), err.text());
    }

    @Test
    void theShowcaseFailsClearlyWhenItsUdpPortIsTaken() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
            Output err = new Output();
            String[] args = {"--greeting-port", "0", "--chat-port", "0", "--udp-port", String.valueOf(taken.getLocalPort()),
                "--http-port", "0"};

            assertEquals(1, Examples.run(args, new Output().stream(), err.stream()));
            assertTrue(err.contains("showcase: cannot listen on 127.0.0.1:0, 127.0.0.1:0, 127.0.0.1:"
                    + taken.getLocalPort() + " (UDP) and 127.0.0.1:0 (HTTP)"), err.text());
        }
    }

    @Test
    void helpListsEveryExample() {
        Output out = new Output();
        assertEquals(0, Examples.run(new String[] {"help"}, out.stream(), new Output().stream()));
        NAMES.forEach(name -> assertTrue(out.contains("  " + name + " "), out.text()));
    }

    @Test
    void anUnknownNameListsTheExamplesAndFails() {
        Output err = new Output();
        assertEquals(2, Examples.run(new String[] {"no-such-example"}, new Output().stream(), err.stream()));
        assertTrue(err.contains("no example named 'no-such-example'"), err.text());
        NAMES.forEach(name -> assertTrue(err.contains("  " + name + " "), err.text()));
    }

    @Test
    void anUnknownOptionFails() {
        Output err = new Output();
        assertEquals(2, Examples.run(new String[] {"greeting-client", "--prot", "1"}, new Output().stream(), err.stream()));
        assertTrue(err.contains("unknown option '--prot'"), err.text());
    }

    @Test
    void aBadPortFails() {
        Output err = new Output();
        assertEquals(2, Examples.run(new String[] {"chat-client", "--port", "99999"}, new Output().stream(), err.stream()));
        assertTrue(err.contains("--port must be a port number"), err.text());
    }

    @Test
    void aClientThatCannotConnectFailsWithAMessage() throws IOException {
        int port = GreetingServerTest.freePort();
        Output err = new Output();
        String[] args = {"greeting-client", "--port", String.valueOf(port)};

        assertEquals(1, Examples.run(args, new Output().stream(), err.stream()));
        assertTrue(err.contains("greeting-client: cannot greet 127.0.0.1:" + port), err.text());
    }
}
