package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static io.eddy.core.net.Loopback.awaitClose;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.BytesCodec;
import io.eddy.core.codec.FileRegion;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.Outgoing;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ClientTls;
import io.eddy.core.tls.TlsSession;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TCP over TLS on real loopback sockets: Eddy's server against the JDK's own TLS socket and
 * against Eddy's client, with large transfers, backpressure, files, and both ways of closing.
 */
@Timeout(60)
class TlsOverSocketTest {

    private static final int MiB = 1024 * 1024;

    @TempDir
    Path dir;

    private EventLoop loop;
    private EventLoop clientLoop;

    @BeforeEach
    void startLoops() {
        loop = EventLoop.start("tls-server");
        clientLoop = EventLoop.start("tls-client");
    }

    @AfterEach
    void closeLoops() {
        clientLoop.close();
        loop.close();
    }

    private TcpServer<String, String> lineEchoServer(Loopback.EchoRecorder handler) throws Exception {
        return TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .codec(LineCodec::new).handler(handler).start();
    }

    @Test
    void echoesLinesToTheJdkTlsClientOverTls13And12AndOpensOnlyAfterTheHandshake() throws Exception {
        List<TlsSession> seenAtOpen = new CopyOnWriteArrayList<>();
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            public void onOpen(Connection<String> connection) throws Exception {
                seenAtOpen.add(connection.tls().orElseThrow());
                super.onOpen(connection);
            }
        };
        TcpServer<String, String> server = lineEchoServer(handler);
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            try (SSLSocket socket = TlsPeers.connect(server.port(), protocol)) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 50; i++) {
                    out.write(("line " + i + "\n").getBytes(UTF_8));
                }
                out.flush();
                for (int i = 0; i < 50; i++) {
                    assertEquals("line " + i, in.readLine());
                }
                Connection<String> onServer = handler.nextOpened();
                assertEquals(protocol, onServer.tls().orElseThrow().protocol());
            }
        }
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), seenAtOpen.stream().map(TlsSession::protocol).toList());
    }

    @Test
    void eddyClientAndServerCarryThirtyTwoMebibytesEachWayIntact() throws Exception {
        byte[] payload = new byte[32 * MiB];
        new Random(7).nextBytes(payload);
        byte[] expected = sha256(payload);
        // The server echoes raw bytes; the client counts and hashes what comes back.
        TcpServer<ByteBuffer, ByteBuffer> server = TcpServer.on(loop).bind(HOST, 0)
                .tls(TestCertificates.get().serverTls())
                .codec(BytesCodec::new).handler((connection, bytes) -> connection.write(copy(bytes))).start();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        AtomicLong received = new AtomicLong();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        // Both ends write without waiting for the other to read: the client must go on reading
        // while its own queue is full, or each would wait for the other.
        try (TcpClient<ByteBuffer, ByteBuffer> client = TcpClient.on(clientLoop).tls(TestCertificates.get().clientTls())
                .options(ConnectionOptions.defaults().withReadPausedWhileUnwritable(false))
                .codec(BytesCodec::new).handler((connection, bytes) -> {
                    received.addAndGet(bytes.remaining());
                    digest.update(bytes);
                    if (received.get() == payload.length) {
                        done.complete(digest.digest());
                    }
                }).build()) {
            Connection<ByteBuffer> connection = client.connect("localhost", server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals("TLSv1.3", connection.tls().orElseThrow().protocol());
            // Written in pieces of odd sizes, each once the queue has room, as a well-behaved writer does.
            AtomicInteger offset = new AtomicInteger();
            Runnable writeMore = new Runnable() {
                @Override
                public void run() {
                    while (offset.get() < payload.length && connection.isWritable()) {
                        int n = Math.min(300_001, payload.length - offset.get());
                        connection.write(ByteBuffer.wrap(payload, offset.getAndAdd(n), n));
                    }
                    if (offset.get() < payload.length) {
                        clientLoop.schedule(Duration.ofMillis(1), this);
                    }
                }
            };
            clientLoop.execute(writeMore);
            assertArrayEquals(expected, done.get(40, TimeUnit.SECONDS));
        }
    }

    @Test
    void aServerThatPausesReadingGetsEveryLineTlsHadAlreadyDecrypted() throws Exception {
        // Bytes TLS read from the socket before a pause are announced by no selector: the
        // connection must come back for them when reading resumes.
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler<String, String> handler = (connection, line) -> {
            lines.add(line);
            connection.pauseReading();
            connection.loop().schedule(Duration.ofMillis(1), connection::resumeReading);
        };
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .codec(LineCodec::new).handler(handler).start();
        try (SSLSocket socket = TlsPeers.connect(server.port())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                all.append("line ").append(i).append('\n');
            }
            socket.getOutputStream().write(all.toString().getBytes(UTF_8));
            socket.getOutputStream().flush();
            await().atMost(WAIT).until(() -> lines.size() == 300);
            for (int i = 0; i < 300; i++) {
                assertEquals("line " + i, lines.get(i));
            }
        }
    }

    @Test
    void aSlowReaderOverTlsKeepsTheQueueNearTheHighWaterMark() throws Exception {
        int high = 64 * 1024;
        AtomicLong mostPending = new AtomicLong();
        CompletableFuture<Connection<ByteBuffer>> opened = new CompletableFuture<>();
        AtomicLong written = new AtomicLong();
        long total = 16L * MiB;
        Handler<ByteBuffer, ByteBuffer> handler = new Handler<>() {
            @Override
            public void onOpen(Connection<ByteBuffer> connection) {
                opened.complete(connection);
                writeWhileWritable(connection);
            }

            @Override
            public void onMessage(Connection<ByteBuffer> connection, ByteBuffer message) {
            }

            @Override
            public void onWritabilityChanged(Connection<ByteBuffer> connection, boolean writable) {
                if (writable) {
                    writeWhileWritable(connection);
                }
            }

            private void writeWhileWritable(Connection<ByteBuffer> connection) {
                while (connection.isWritable() && written.get() < total) {
                    connection.write(ByteBuffer.allocate(8192));
                    written.addAndGet(8192);
                    mostPending.accumulateAndGet(connection.pendingOutboundBytes(), Math::max);
                }
            }
        };
        TcpServer<ByteBuffer, ByteBuffer> server = TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .options(ConnectionOptions.defaults().withWaterMarks(32 * 1024, high))
                .codec(BytesCodec::new).handler(handler).start();
        try (SSLSocket socket = TlsPeers.connect(server.port())) {
            Connection<ByteBuffer> connection = opened.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // Read slowly: a little at a time, so the server keeps waiting for room.
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            long read = 0;
            while (read < total) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the stream ended early");
                read += n;
                if (read < total / 8) {
                    Loopback.awaitCycle(loop);
                }
            }
            assertEquals(total, read);
            // Never more than the mark plus the message that crossed it; TLS's held records count.
            assertTrue(mostPending.get() <= high + 8192, "queued as much as " + mostPending.get());
            assertTrue(connection.isOpen());
        }
    }

    @Test
    void aWriteListenerHearsOnlyOnceEveryByteHasLeftTheTransport() throws Exception {
        CompletableFuture<Long> pendingWhenTold = new CompletableFuture<>();
        Handler<String, String> handler = new Handler<>() {
            @Override
            public void onOpen(Connection<String> connection) {
                connection.write("x".repeat(3 * MiB), failure -> pendingWhenTold.complete(connection.pendingOutboundBytes()));
            }

            @Override
            public void onMessage(Connection<String> connection, String line) {
            }
        };
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .codec(LineCodec::new).handler(handler).start();
        try (SSLSocket socket = TlsPeers.connect(server.port())) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            assertEquals(3 * MiB, in.readLine().length());
            assertEquals(0L, pendingWhenTold.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void aFileRegionGoesThroughTlsWholeAfterTheTextBeforeIt() throws Exception {
        byte[] content = new byte[5 * MiB + 123];
        new Random(3).nextBytes(content);
        Path file = Files.write(dir.resolve("file.bin"), content);
        Handler<String, Outgoing> handler = new Handler<>() {
            @Override
            public void onOpen(Connection<Outgoing> connection) throws Exception {
                connection.write(Outgoing.textThenFile("head\n", FileRegion.open(file, 0, content.length)));
                connection.close();
            }

            @Override
            public void onMessage(Connection<Outgoing> connection, String line) {
            }
        };
        TcpServer<String, Outgoing> server = TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .codec(Outgoing::codec).handler(handler).start();
        try (SSLSocket socket = TlsPeers.connect(server.port())) {
            byte[] got = socket.getInputStream().readAllBytes();
            byte[] expected = new byte[5 + content.length];
            System.arraycopy("head\n".getBytes(UTF_8), 0, expected, 0, 5);
            System.arraycopy(content, 0, expected, 5, content.length);
            assertEquals(expected.length, got.length);
            assertArrayEquals(sha256(expected), sha256(got));
        }
    }

    @Test
    void closeSendsCloseNotifySoThePeerSeesACleanEndAndNotATruncation() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            void reply(Connection<String> connection, String line) {
                connection.write("bye");
                connection.close();
            }
        };
        TcpServer<String, String> server = lineEchoServer(handler);
        try (SSLSocket socket = TlsPeers.connect(server.port())) {
            socket.getOutputStream().write("hi\n".getBytes(UTF_8));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            assertEquals("bye", in.readLine());
            // The JDK reports a stream that ends without close_notify as an SSLException.
            assertNull(in.readLine());
            socket.close();
            assertEquals(CloseReason.Kind.LOCAL_CLOSE, awaitClose(handler.nextOpened()).kind());
        }
    }

    @Test
    void aPeersCloseNotifyEndsTheInputAndTheHandlerCanStillAnswerOverTls13() throws Exception {
        CompletableFuture<Integer> linesAtEnd = new CompletableFuture<>();
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder() {
            @Override
            public void onInputClosed(Connection<String> connection) {
                linesAtEnd.complete(lines(connection).size());
                connection.write("bye");
                connection.close();
            }
        };
        TcpServer<String, String> server = lineEchoServer(handler);
        try (SSLSocket socket = TlsPeers.connect(server.port(), "TLSv1.3")) {
            socket.getOutputStream().write("a\nb\n".getBytes(UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput(); // sends close_notify: TLS 1.3 keeps the other direction open
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            assertEquals("a", in.readLine());
            assertEquals("b", in.readLine());
            assertEquals("bye", in.readLine());
            assertNull(in.readLine());
            assertEquals(2, linesAtEnd.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void eddysClientRefusesAServerItDoesNotTrustOrWhoseCertificateIsForAnotherName() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = lineEchoServer(handler);
        try (TcpClient<String, String> trustsNothing = TcpClient.on(clientLoop).tls(ClientTls.defaults())
                .codec(LineCodec::new).handler((c, line) -> { }).build();
             TcpClient<String, String> trustsTheCa = TcpClient.on(clientLoop).tls(TestCertificates.get().clientTls())
                     .codec(LineCodec::new).handler((c, line) -> { }).build()) {
            ExecutionException untrusted = assertThrows(ExecutionException.class,
                    () -> trustsNothing.connect("localhost", server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(SSLException.class, untrusted.getCause());
            // The right address under a name the certificate does not hold (it has localhost and 127.0.0.1).
            InetSocketAddress wrongName = new InetSocketAddress(
                    InetAddress.getByAddress("wrong.test", new byte[] {127, 0, 0, 1}), server.port());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> trustsTheCa.connect(wrongName).get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(SSLException.class, refused.getCause());
            // Neither reached the handler, and the server is still there for a good client.
            assertNull(handler.opened.poll());
            Connection<String> good = trustsTheCa.connect("localhost", server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(good.isOpen());
            await().atMost(WAIT).until(() -> server.connectionCount() == 1);
        }
    }

    @Test
    void eddyClientSpeaksToEddyServerAndBothSeeTheSameSession() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = lineEchoServer(handler);
        List<String> replies = new CopyOnWriteArrayList<>();
        try (TcpClient<String, String> client = TcpClient.on(clientLoop).tls(TestCertificates.get().clientTls())
                .codec(LineCodec::new).handler((c, line) -> replies.add(line)).build()) {
            Connection<String> connection = client.connect("localhost", server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sent.add("message " + i);
                connection.write("message " + i);
            }
            await().atMost(WAIT).until(() -> replies.size() == 1000);
            assertEquals(sent, replies);
            Connection<String> onServer = handler.nextOpened();
            assertEquals(connection.tls().orElseThrow().cipherSuite(), onServer.tls().orElseThrow().cipherSuite());
            assertFalse(connection.tls().orElseThrow().peerCertificates().isEmpty());
            connection.close();
            assertEquals(CloseReason.Kind.PEER_CLOSED, awaitClose(onServer).kind());
        }
    }

    @Test
    void aTls12RenegotiationIsRefused() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = lineEchoServer(handler);
        try (SSLSocket socket = TlsPeers.connect(server.port(), "TLSv1.2")) {
            Connection<String> onServer = handler.nextOpened();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            socket.getOutputStream().write("before\n".getBytes(UTF_8));
            socket.getOutputStream().flush();
            assertEquals("before", in.readLine());
            try {
                socket.startHandshake(); // a second handshake on the same connection: renegotiation
                socket.getOutputStream().write("after\n".getBytes(UTF_8));
                socket.getOutputStream().flush();
                in.readLine();
            } catch (java.io.IOException expected) {
                // The server closed the connection: the client may see it as an error or an end.
            }
            CloseReason reason = awaitClose(onServer);
            assertEquals(CloseReason.Kind.TLS_ERROR, reason.kind(), reason.toString());
            assertEquals(List.of("before"), handler.lines(onServer));
        }
    }

    @Test
    void aRefusedRenegotiationEndsTheConnectionWithoutCloseNotifySoThePeerSeesAnErrorNotACleanEnd() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = lineEchoServer(handler);
        try (SSLSocket socket = TlsPeers.connect(server.port(), "TLSv1.2")) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
            socket.getOutputStream().write("before\n".getBytes(UTF_8));
            socket.getOutputStream().flush();
            assertEquals("before", in.readLine());
            // The JDK's client sends the new ClientHello and returns; the server's answer comes to the read.
            socket.startHandshake();
            SSLException ended = assertThrows(SSLException.class, () -> socket.getInputStream().read());
            // A close_notify here would be "Received close_notify during handshake": an orderly end,
            // which is what a scanner (testssl) takes for a server that let the renegotiation through.
            assertFalse(String.valueOf(ended.getMessage()).contains("close_notify"), ended.toString());
        }
    }

    @Test
    void aHandshakeThatFailsAfterTheServerHelloStillSendsThePeerTheAlertThatSaysWhy() throws Exception {
        // TLS 1.3: ALPN is chosen after the ServerHello is made, so the engine holds the
        // ServerHello and a change_cipher_spec before the encrypted no_application_protocol alert.
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .tls(TestCertificates.get().serverTlsBuilder().applicationProtocols(List.of("http/1.1")).build())
                .codec(LineCodec::new).handler(new Loopback.EchoRecorder()).start();
        SSLSocket socket = (SSLSocket) TlsPeers.trustingTestCa().getSocketFactory()
                .createSocket(Loopback.connect(server.port()), "localhost", server.port(), true);
        try (socket) {
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            socket.setSSLParameters(parameters);
            SSLException refused = assertThrows(SSLException.class, socket::startHandshake);
            // Without the alert the client only sees the connection end in the middle of the handshake.
            assertTrue(String.valueOf(refused.getMessage()).contains("no_application_protocol"), refused.toString());
        }
    }

    @Test
    @Timeout(180)
    void aThousandConcurrentHandshakesAreAllServed() throws Exception {
        // All at once, on a machine that may be busy: the deadlines are for hangs, not for speed.
        Duration patient = Duration.ofSeconds(120);
        TcpServer<String, String> server = TcpServer.on(loop).bind(HOST, 0)
                .tls(TestCertificates.get().serverTlsBuilder().handshakeTimeout(patient).build())
                .codec(LineCodec::new).handler(new Loopback.EchoRecorder()).start();
        int count = 1000;
        AtomicInteger replies = new AtomicInteger();
        try (TcpClient<String, String> client = TcpClient.on(clientLoop)
                .tls(TestCertificates.get().clientTlsBuilder().handshakeTimeout(patient).build())
                .codec(LineCodec::new).handler((c, line) -> replies.incrementAndGet()).build()) {
            List<CompletableFuture<Connection<String>>> connects = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                connects.add(client.connect("localhost", server.port()));
            }
            for (CompletableFuture<Connection<String>> connect : connects) {
                connect.get(patient.toMillis(), TimeUnit.MILLISECONDS).write("hello");
            }
            await().atMost(patient).until(() -> replies.get() == count);
            assertEquals(count, server.connectionCount());
        }
        await().atMost(WAIT).until(() -> server.connectionCount() == 0);
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes).flip();
        return copy;
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
