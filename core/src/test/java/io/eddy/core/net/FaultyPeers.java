package io.eddy.core.net;

import io.eddy.core.internal.TransportFaults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clients of the fault injection test: each binds its socket first, so that its port (the
 * server's remote address) names its connection's faults before the server accepts it.
 */
final class FaultyPeers {

    private FaultyPeers() {
    }

    /**
     * A client: sends its bytes in random pieces on one thread and reads on another until the
     * server closes, keeping everything it received.
     */
    static final class Peer {
        private final TransportFaults.Kind kind;
        private final TransportFaults faults;
        private final byte[] expected;
        private final int port;
        private final CompletableFuture<byte[]> received = new CompletableFuture<>();
        private volatile IOException writeFailure;

        private Peer(TransportFaults.Kind kind, TransportFaults faults, byte[] expected, int port) {
            this.kind = kind;
            this.faults = faults;
            this.expected = expected;
            this.port = port;
        }

        /**
         * Connects to {@code serverPort} with faults of {@code kind} on the server's side of the
         * connection (put into {@code byPort} under the client's port before it connects), sends
         * {@code request} in pieces, then ends its output; the faults' numbers and the pieces are
         * drawn from {@code random}.
         */
        static Peer start(int serverPort, byte[] request, byte[] expected, TransportFaults.Kind kind, Random random,
                          Map<Integer, TransportFaults> byPort) throws IOException {
            TransportFaults faults = kind.draw(random, expected.length);
            long seed = random.nextLong();
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Loopback.WAIT.toMillis());
            socket.bind(new InetSocketAddress(Loopback.HOST, 0));
            byPort.put(socket.getLocalPort(), faults);
            socket.connect(new InetSocketAddress(Loopback.HOST, serverPort), (int) Loopback.WAIT.toMillis());
            Peer peer = new Peer(kind, faults, expected, socket.getLocalPort());
            Thread writer = new Thread(() -> peer.send(socket, request, new Random(seed)), "faulty-peer-" + peer.port + "-out");
            Thread reader = new Thread(() -> peer.receive(socket), "faulty-peer-" + peer.port + "-in");
            writer.setDaemon(true);
            reader.setDaemon(true);
            writer.start();
            reader.start();
            return peer;
        }

        private void send(Socket socket, byte[] request, Random random) {
            try {
                OutputStream out = socket.getOutputStream();
                for (int at = 0; at < request.length; ) {
                    int n = Math.min(request.length - at, 1 + random.nextInt(random.nextBoolean() ? 16 : 4096));
                    out.write(request, at, n);
                    out.flush();
                    at += n;
                }
                socket.shutdownOutput();
            } catch (IOException e) {
                writeFailure = e; // the server reset the connection: whether it should have is checked later
            }
        }

        private void receive(Socket socket) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (socket) {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    all.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // A reset ends the stream too; what came before it is kept.
            }
            received.complete(all.toByteArray());
        }

        /** Waits until the server has closed the connection. */
        void await() throws Exception {
            received.get(2 * Loopback.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        TransportFaults.Kind kind() {
            return kind;
        }

        TransportFaults faults() {
            return faults;
        }

        byte[] expected() {
            return expected;
        }

        byte[] received() {
            return received.join();
        }

        IOException writeFailure() {
            return writeFailure;
        }

        @Override
        public String toString() {
            return "client port " + port + ", " + kind + ", " + expected.length + " bytes owed";
        }
    }
}
