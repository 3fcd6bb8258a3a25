package io.eddy.udp;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.eddy.core.loop.EventLoop;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What the loopback tests share: the address, hops onto a loop, and a plain blocking UDP peer. */
final class Udp {

    static final String HOST = "127.0.0.1";
    /** How long a test waits for something that should happen at once; a guard against hangs, not a timing claim. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Udp() {
    }

    /** Runs {@code task} on the loop thread and returns its result. */
    static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Returns once the loop has run a whole cycle that began after this call, timers included (a
     * cycle runs its tasks before its timers, so one hop is not enough).
     */
    static void awaitCycle(EventLoop loop) throws Exception {
        onLoop(loop, () -> null);
        onLoop(loop, () -> null);
    }

    /** A plain blocking UDP socket on loopback, whose receives fail rather than hang. */
    static final class Peer implements AutoCloseable {
        final DatagramSocket socket;

        Peer() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(HOST, 0));
            socket.setSoTimeout((int) WAIT.toMillis());
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(InetSocketAddress to, byte[] payload) throws IOException {
            socket.send(new DatagramPacket(payload, payload.length, to));
        }

        void send(InetSocketAddress to, String text) throws IOException {
            send(to, text.getBytes(StandardCharsets.UTF_8));
        }

        /** The next datagram; fails the test when none comes. */
        DatagramPacket receive() throws IOException {
            DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no datagram within " + WAIT.toSeconds() + " s", e);
            }
            return packet;
        }

        String receiveText() throws IOException {
            DatagramPacket packet = receive();
            assertNotNull(packet);
            return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
