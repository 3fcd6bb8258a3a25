package io.eddy.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.loop.EventLoop;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that answers a large upload before reading it (413), then never reads again: the
 * connection is not reused, and is closed at once, so the only slot serves the next request.
 */
class EarlyResponseTest {

    /**
     * Far more than the two sockets' buffers hold (the server's is set small, the client's send
     * buffer is at most a few MiB), so most of it stays queued in the client; under the
     * connection's outbound limit (16 MiB by default).
     */
    private static final int BODY = 12 << 20;

    private EventLoop loop;
    private ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        loop = EventLoop.start("early-response-test");
    }

    @AfterEach
    void stop() throws IOException {
        loop.close();
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** The first connection gets {@code early} as soon as a request head arrives, then is never read; later ones say hello. */
    private String serve(String early) throws IOException {
        listener = new ServerSocket();
        listener.setReceiveBufferSize(64 << 10); // inherited by accepted sockets; no autotuning then
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    Socket socket = listener.accept();
                    sockets.add(socket);
                    boolean first = accepted.getAndIncrement() == 0;
                    Thread t = new Thread(() -> answer(socket, first ? early : null), "early-response-connection");
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "early-response-server");
        acceptor.setDaemon(true);
        acceptor.start();
        return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    private static void answer(Socket socket, String early) {
        try {
            InputStream in = socket.getInputStream();
            while (ScriptedServer.readHead(in) != null) {
                String reply = early != null ? early : ScriptedServer.OK_HELLO;
                socket.getOutputStream().write(reply.getBytes(StandardCharsets.ISO_8859_1));
                if (early != null) {
                    return; // never reads the rest; the socket stays open until the test ends
                }
            }
        } catch (IOException gone) {
            // the client closed or reset the connection
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"})
    void anUploadAnsweredBeforeItWasReadLeavesItsConnectionAndFreesTheSlot(String early) throws Exception {
        String url = serve(early);
        // The response timeout exceeds the test's patience only when something is stuck.
        try (HttpClient client = HttpClient.on(loop).maxConnectionsPerOrigin(1).responseTimeout(Duration.ofSeconds(20)).build()) {
            Response refused = client.send(Request.post(url, new byte[BODY], "application/octet-stream")).join();
            assertEquals(413, refused.status());
            assertEquals("hello", client.send(Request.get(url)).join().text());
            assertEquals(2, accepted.get());
            assertEquals(1, (int) CompletableFuture.supplyAsync(() -> client.openConnections(url), loop).join());
        }
    }
}
