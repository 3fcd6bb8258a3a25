package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand Eddy clients on a client loop, and a few plain blocking sockets beside them, all at
 * once against one echo server: every line comes back intact and in order.
 *
 * <p>Both ends live in this process, so it holds about 2,000 sockets: it needs an open-files limit
 * above that (a connect then fails with "Too many open files").
 */
@Timeout(60)
class ManyClientsEchoTest {

    private static final int EDDY_CLIENTS = 1000;
    private static final int PLAIN_CLIENTS = 4;
    private static final int LINES = 100;
    /** Connects per wave, so a small somaxconn cannot drop SYNs into one-second retransmits. */
    private static final int CONNECT_WAVE = 200;

    @Test
    void echoesEveryLineOfAThousandClientsIntactAndInOrder() throws Exception {
        ExecutorService plainClients = Executors.newFixedThreadPool(PLAIN_CLIENTS);
        CountDownLatch plainConnected = new CountDownLatch(PLAIN_CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        try (EventLoop serverLoop = EventLoop.start("echo-server");
             EventLoop clientLoop = EventLoop.start("echo-clients")) {
            TcpServer<String, String> server = TcpServer.on(serverLoop)
                    .bind(HOST, 0)
                    .codec(LineCodec::new)
                    .handler((connection, line) -> connection.write(line))
                    .start();

            List<Client> clients = new ArrayList<>();
            for (int wave = 0; wave < EDDY_CLIENTS; wave += CONNECT_WAVE) {
                List<CompletableFuture<Connection<String>>> connects = new ArrayList<>();
                for (int i = wave; i < Math.min(EDDY_CLIENTS, wave + CONNECT_WAVE); i++) {
                    Client client = new Client(i);
                    clients.add(client);
                    connects.add(TcpClient.on(clientLoop).codec(LineCodec::new).handler(client)
                            .build().connect(HOST, server.port()));
                }
                for (int i = 0; i < connects.size(); i++) {
                    clients.get(wave + i).connection = connects.get(i).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }

            List<Future<String>> plain = new ArrayList<>();
            for (int i = 0; i < PLAIN_CLIENTS; i++) {
                int index = EDDY_CLIENTS + i;
                plain.add(plainClients.submit(() -> runPlainClient(server.port(), index, plainConnected, go)));
            }
            assertTrue(plainConnected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            // Everyone is connected before anyone sends: all the traffic overlaps.
            await().atMost(WAIT).until(() -> server.connectionCount() == EDDY_CLIENTS + PLAIN_CLIENTS);
            go.countDown();

            // Every Eddy client writes all its lines in one go, from its loop.
            clientLoop.execute(() -> {
                for (Client client : clients) {
                    for (int j = 0; j < LINES; j++) {
                        client.connection.write(line(client.index, j));
                    }
                }
            });

            for (Future<String> result : plain) {
                assertNull(result.get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS));
            }
            for (Client client : clients) {
                client.done.get(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
            }
            for (Client client : clients) {
                assertNull(client.mismatch, client.mismatch);
                assertEquals(LINES, client.count, "lines echoed to client " + client.index);
                assertEquals(expectedCrc(client.index), client.crc.getValue(),
                        "CRC32 of what client " + client.index + " received");
            }

            clientLoop.execute(() -> clients.forEach(client -> client.connection.close()));
            await().atMost(WAIT).until(() -> server.connectionCount() == 0);
        } finally {
            plainClients.shutdownNow();
        }
    }

    /** Sends all lines in one write, reads them back; returns null if all is well, else what went wrong. */
    private static String runPlainClient(int port, int index, CountDownLatch connected, CountDownLatch go)
            throws Exception {
        try (Socket socket = Loopback.connect(port)) {
            connected.countDown();
            if (!go.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return "plain client " + index + ": never told to start";
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int j = 0; j < LINES; j++) {
                all.write((line(index, j) + "\n").getBytes(UTF_8));
            }
            socket.getOutputStream().write(all.toByteArray());
            BufferedReader in = Loopback.reader(socket);
            CRC32 crc = new CRC32();
            for (int j = 0; j < LINES; j++) {
                String echoed = in.readLine();
                if (!line(index, j).equals(echoed)) {
                    return "plain client " + index + " line " + j + ": got " + echoed;
                }
                crc.update((echoed + "\n").getBytes(UTF_8));
            }
            if (crc.getValue() != expectedCrc(index)) {
                return "plain client " + index + ": CRC32 differs";
            }
            return null;
        }
    }

    /** Line {@code j} of client {@code i}: unique, of varied length, partly outside ASCII. */
    static String line(int i, int j) {
        StringBuilder line = new StringBuilder("client ").append(i).append(" line ").append(j).append(' ');
        int payload = (i * 31 + j * 17) % 120;
        for (int k = 0; k < payload; k++) {
            line.append(k % 29 == 0 ? 'é' : (char) ('a' + (i + j + k) % 26));
        }
        return line.toString();
    }

    private static long expectedCrc(int i) {
        CRC32 crc = new CRC32();
        for (int j = 0; j < LINES; j++) {
            crc.update((line(i, j) + "\n").getBytes(UTF_8));
        }
        return crc.getValue();
    }

    /** One Eddy client: checks each echo against the line it sent at that position. */
    private static final class Client implements Handler<String, String> {
        final int index;
        final CRC32 crc = new CRC32();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Connection<String> connection;
        volatile int count;
        volatile String mismatch;

        Client(int index) {
            this.index = index;
        }

        @Override
        public void onMessage(Connection<String> connection, String line) {
            if (mismatch == null && !line.equals(line(index, count))) {
                mismatch = "client " + index + " line " + count + ": got " + line;
            }
            crc.update((line + "\n").getBytes(UTF_8));
            count++;
            if (count == LINES) {
                done.complete(null);
            }
        }

        @Override
        public void onClose(Connection<String> connection, CloseReason reason) {
            done.complete(null);
        }
    }
}
