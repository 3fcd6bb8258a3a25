package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.udp.UdpEndpoint;
import io.eddy.udp.UdpRequester;
import io.eddy.udp.codec.TextDatagramCodec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * The tutorial's UDP client ({@code for i in range(100): s.sendto(('发送数据' + str(i)).encode(),
 * (HOST, PORT)); data, address = s.recvfrom(1024); print(...)}), on an event loop.
 *
 * <p>What changed: UDP promises no delivery, and the tutorial's {@code recvfrom} waits for ever
 * for a reply that was lost. Here each message waits at most {@link #REPLY_TIMEOUT} for its reply
 * (a loop timer), is sent again at most {@link #RETRIES} times, and when still nothing comes the
 * program says so and exits 1.
 *
 * <p>Which reply answers which message: the tutorial's server answers {@code over} to everything,
 * so a reply cannot say which message it answers, and the requester matches by address alone. It
 * keeps one message in flight at a time (as the tutorial does), and before sending the next it
 * reads and drops what the server already sent, such as a second {@code over} to a message sent
 * twice. The one mix-up left: when a message had to be sent again and the reply to its first
 * attempt comes after the next message went out, that reply is taken for the next message's. Here
 * that is harmless, every reply being the same word; a protocol of your own should echo an id
 * in its replies and match on it ({@code UdpRequester.Builder.correlate}).
 *
 * <p>Threading: the program's thread waits for each reply; the loop sends, receives and times.
 */
public final class UdpClient {

    /** How many messages the tutorial's client sends. */
    public static final int MESSAGES = 100;
    /** How long each attempt waits for a reply. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(1);
    /** How many times a message is sent again when no reply comes. */
    public static final int RETRIES = 2;

    private UdpClient() {
    }

    /** The {@code i}-th message, as the tutorial's {@code '发送数据' + str(i)}. */
    static String message(int i) {
        return "发送数据" + i;
    }

    /** {@code udp-client [--host H] [--port N]}: prints each reply; exits 1 when one does not come. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("udp-client", args));
    }

    static int run(Arguments args, PrintStream out) throws IOException {
        return run(args.host(), args.port(UdpServer.PORT), MESSAGES, REPLY_TIMEOUT, out);
    }

    /**
     * The program: sends {@code count} messages to {@code host}:{@code port}, one after the other,
     * each once the previous one was answered, and prints every reply.
     *
     * @throws IOException when a message gets no reply after every attempt, or the host is unknown
     */
    static int run(String host, int port, int count, Duration timeout, PrintStream out) throws IOException {
        InetSocketAddress server = new InetSocketAddress(host, port);
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve " + host);
        }
        try (EventLoop loop = EventLoop.start("udp-client");
             UdpRequester<String, String> client = UdpRequester.on(UdpEndpoint.on(loop).codec(TextDatagramCodec::new))
                     .timeout(timeout)
                     .retries(RETRIES)
                     .start()) {
            out.println("sending " + count + " datagrams to " + host + ":" + port);
            for (int i = 0; i < count; i++) {
                String message = message(i);
                String reply;
                try {
                    reply = client.request(server, message).join();
                } catch (CompletionException e) {
                    Throwable cause = e.getCause();
                    throw new IOException(message + ": " + (cause.getMessage() != null ? cause.getMessage() : cause)
                            + "; is udp-server running?", cause);
                }
                out.println("server replied to " + message + ": " + reply);
            }
            return 0;
        }
    }
}
