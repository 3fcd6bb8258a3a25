package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.loop.EventLoop;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The hand-written echo ceilings answer what Eddy's echo servers answer, byte for byte: lines
 * (each written back with {@code \n}, a CR before it dropped, a line cut over several writes
 * joined) and datagrams.
 */
class EchoParityTest {

    /** LF and CRLF lines, an empty one, a line cut in three, a CR cut from its LF. */
    private static final String[] WRITES = {"one\ntwo\r\n\n", "thr", "ee and", " more\r", "\nfour\n"};
    private static final String ECHOED = "one\ntwo\n\nthree and more\nfour\n";

    @Test
    void theLineCeilingEchoesWhatEddyEchoes() throws Exception {
        try (EventLoop loop = EventLoop.start("echo-parity"); NioCeilingLineEchoServer ceiling = NioCeilingLineEchoServer.open(0)) {
            PlaintextParityTest.startServing(ceiling::run);
            String eddy = echo(new InetSocketAddress("127.0.0.1", LineEchoServer.start(loop, 0).port()));
            assertEquals(ECHOED, eddy);
            assertEquals(eddy, echo(new InetSocketAddress("127.0.0.1", ceiling.port())));
        }
    }

    @Test
    void theUdpCeilingEchoesWhatEddyEchoes() throws Exception {
        byte[] datagram = "a datagram of some bytes\n".getBytes(StandardCharsets.US_ASCII);
        try (EventLoop loop = EventLoop.start("echo-parity"); NioCeilingUdpEchoServer ceiling = NioCeilingUdpEchoServer.open(0)) {
            PlaintextParityTest.startServing(ceiling::run);
            byte[] eddy = echo(new InetSocketAddress("127.0.0.1", UdpEchoServer.start(loop, 0).port()), datagram);
            assertArrayEquals(datagram, eddy);
            assertArrayEquals(eddy, echo(new InetSocketAddress("127.0.0.1", ceiling.port()), datagram));
            UdpLoad.exchangeOnce(new InetSocketAddress("127.0.0.1", ceiling.port()));
        }
    }

    /** Writes {@link #WRITES} one by one, then reads until the whole echo is in. */
    private static String echo(InetSocketAddress address) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            for (String write : WRITES) {
                out.write(write.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream echoed = new ByteArrayOutputStream();
            while (echoed.size() < ECHOED.length()) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                echoed.write(b);
            }
            return echoed.toString(StandardCharsets.US_ASCII);
        }
    }

    private static byte[] echo(InetSocketAddress address, byte[] datagram) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(datagram, datagram.length, address));
            DatagramPacket echo = new DatagramPacket(new byte[2048], 2048);
            socket.receive(echo);
            return Arrays.copyOf(echo.getData(), echo.getLength());
        }
    }
}
