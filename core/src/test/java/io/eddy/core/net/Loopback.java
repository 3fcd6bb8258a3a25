package io.eddy.core.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** What the loopback-socket tests share: plain-socket clients, hops onto a loop, a recording echo handler. */
final class Loopback {

    static final String HOST = "127.0.0.1";
    /** How long a test waits for something that should happen at once; a guard against hangs, not a timing claim. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private Loopback() {
    }

    /** A blocking client with TCP_NODELAY whose reads fail rather than hang. */
    static Socket connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** A blocking client with TCP_NODELAY and, if {@code receiveBuffer} is positive, that SO_RCVBUF. */
    static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) WAIT.toMillis());
            if (receiveBuffer > 0) {
                // Before connect, so the window the peer sees is small from the start.
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(HOST, port), (int) WAIT.toMillis());
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
    }

    static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(UTF_8));
        socket.getOutputStream().flush();
    }

    /** Reads until end of stream, and says whether it ended with a reset rather than a FIN. */
    static boolean readToEndWasReset(Socket socket) throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (socket.getInputStream().read(sink) >= 0) {
                // drain
            }
            return false;
        } catch (SocketException e) {
            return true;
        }
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
     * Returns once the loop has run a whole cycle that began after this call: every task, due
     * timer and end-of-cycle flush that was pending when it was called has run. (A task queued from
     * inside a cycle's task phase runs in the next cycle, after that cycle's timers.)
     */
    static void awaitCycle(EventLoop loop) throws Exception {
        onLoop(loop, () -> null);
        onLoop(loop, () -> null);
    }

    /** Echoes every line and records, per connection, what it received and why it closed. */
    static class EchoRecorder implements Handler<String, String> {
        final BlockingQueue<Connection<String>> opened = new LinkedBlockingQueue<>();
        final Map<Connection<String>, List<String>> received = new ConcurrentHashMap<>();

        @Override
        public void onOpen(Connection<String> connection) throws Exception {
            received.put(connection, Collections.synchronizedList(new ArrayList<>()));
            opened.add(connection);
        }

        @Override
        public void onMessage(Connection<String> connection, String line) throws Exception {
            received.get(connection).add(line);
            reply(connection, line);
        }

        /** What to do with a line once it is recorded: echo it. */
        void reply(Connection<String> connection, String line) throws Exception {
            connection.write(line);
        }

        /** The next connection the server opened, in the order clients connected. */
        Connection<String> nextOpened() throws InterruptedException {
            Connection<String> connection = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(connection, "the server did not open a connection");
            return connection;
        }

        /** A copy of the lines {@code connection} has received so far. */
        List<String> lines(Connection<String> connection) {
            return List.copyOf(received.get(connection));
        }
    }

    /** Waits for {@code connection} to close and returns why. */
    static CloseReason awaitClose(Connection<?> connection) throws Exception {
        return connection.closeFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a line on {@code socket} and checks it comes back: the server still serves it. */
    static void assertEchoes(Socket socket, BufferedReader in, String line) throws IOException {
        send(socket, line + "\n");
        assertEquals(line, in.readLine());
    }
}
