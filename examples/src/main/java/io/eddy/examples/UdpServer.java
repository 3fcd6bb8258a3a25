package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Metrics;
import io.eddy.udp.DatagramHandler;
import io.eddy.udp.UdpEndpoint;
import io.eddy.udp.UdpEndpoints;
import io.eddy.udp.codec.TextDatagramCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The tutorial's UDP server ({@code data, address = s.recvfrom(1024); print(...);
 * s.sendto(b'over', address)}), on an event loop.
 *
 * <p>What changed: the tutorial's loop blocks in {@code recvfrom}; here the endpoint shares its loop
 * thread with whatever else runs there (in the showcase, the TCP servers). Each datagram arrives
 * whole, where {@code recvfrom(1024)} cuts longer ones at 1024 bytes. A datagram that is not UTF-8
 * text is dropped and counted, where the tutorial's {@code data.decode()} would end the server
 * with an exception. For each text datagram the server prints {@code [address] text} and answers
 * the sender {@code over}.
 *
 * <p>Threading: {@link #start} may be called from any thread; the handler runs on the loop.
 * Printing goes to a {@link PrintStream}, the one blocking call left on the loop: fine for a
 * terminal, as the tutorial's {@code print} was.
 */
public final class UdpServer {

    /** The tutorial's port. */
    public static final int PORT = 5005;
    /** What every datagram is answered with, as the tutorial's {@code s.sendto(b'over', address)}. */
    public static final String ANSWER = "over";

    private UdpServer() {
    }

    /** Receives on {@code host}:{@code port} (0: any free port) and prints to standard output, in UTF-8. */
    public static UdpEndpoint<String, String> start(EventLoop loop, String host, int port) throws IOException {
        return start(loop, host, port, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /** Receives on {@code host}:{@code port} (0: any free port) and prints what arrives to {@code out}. */
    public static UdpEndpoint<String, String> start(EventLoop loop, String host, int port, PrintStream out)
            throws IOException {
        return start(loop, host, port, out, Metrics.none());
    }

    /** As {@link #start(EventLoop, String, int, PrintStream)}, registering its figures with {@code metrics}. */
    static UdpEndpoint<String, String> start(EventLoop loop, String host, int port, PrintStream out, Metrics metrics)
            throws IOException {
        return UdpEndpoint.on(loop)
                .bind(host, port)
                .metrics(metrics)
                .codec(TextDatagramCodec::new)
                .handler(answer(out))
                .start();
    }

    /**
     * Receives on {@code host}:{@code port} with one socket per loop of {@code group}, all bound to
     * the port with {@code SO_REUSEPORT}: the kernel spreads the senders over them.
     */
    public static UdpEndpoints<String, String> start(EventLoopGroup group, String host, int port, PrintStream out)
            throws IOException {
        return UdpEndpoint.on(group)
                .bind(host, port)
                .reusePort(true)
                .codec(TextDatagramCodec::new)
                .handler(answer(out)) // keeps no state, and a PrintStream is thread-safe: one serves every loop
                .start();
    }

    /** Prints each datagram with its sender, and answers it. */
    private static DatagramHandler<String, String> answer(PrintStream out) {
        return (endpoint, datagram) -> {
            InetSocketAddress sender = datagram.sender();
            out.println("[" + sender.getHostString() + ":" + sender.getPort() + "] " + datagram.payload());
            endpoint.send(sender, ANSWER);
        };
    }

    /** {@code udp-server [--host H] [--port N] [--loops N]}: serves until the process is stopped. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("udp-server", args));
    }

    static int run(Arguments args, PrintStream out) throws IOException {
        String host = args.host();
        int port = args.port(PORT);
        return Examples.serve("udp-server", host + ":" + port + " (UDP)", args.loops(), loop -> start(loop, host, port, out),
                group -> start(group, host, port, out));
    }
}
