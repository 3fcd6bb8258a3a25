package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.eddy.core.codec.LineCodec;
import io.eddy.core.internal.TcpConnection;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.proxy.Cidr;
import io.eddy.core.proxy.ProxyHeader;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.core.testing.LogCapture;
import io.eddy.core.testing.TestCertificates;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The PROXY protocol stage on real loopback sockets, plain and before TLS, with Eddy's client and raw ones. */
@Timeout(60)
class ProxyProtocolOverSocketTest {

    private static final InetSocketAddress CLIENT = address("198.51.100.7", 61000);
    private static final InetSocketAddress SERVICE = address("192.0.2.1", 443);

    private EventLoop loop;
    private EventLoop clientLoop;

    private static InetSocketAddress address(String host, int port) {
        return new InetSocketAddress(Cidr.parseAddress(host).orElseThrow(), port);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @BeforeEach
    void startLoops() {
        loop = EventLoop.start("proxy-server");
        clientLoop = EventLoop.start("proxy-client");
    }

    @AfterEach
    void closeLoops() {
        clientLoop.close();
        loop.close();
    }

    private TcpServer<String, String> echo(ProxyProtocol protocol, Loopback.EchoRecorder handler) throws IOException {
        return TcpServer.on(loop).bind(HOST, 0).proxyProtocol(protocol).codec(LineCodec::new).handler(handler).start();
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2})
    void eddysClientSendsTheHeaderAndTheServerSeesTheClient(int version) throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required(), handler);
        ProxyHeader header = version == 1 ? ProxyHeader.v1(CLIENT, SERVICE) : ProxyHeader.v2(CLIENT, SERVICE);
        List<String> replies = new CopyOnWriteArrayList<>();
        try (TcpClient<String, String> client = TcpClient.on(clientLoop).proxyHeader(header).codec(LineCodec::new)
                .handler((c, line) -> replies.add(line)).build()) {
            Connection<String> connection = client.connect(HOST, server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            connection.write("one");
            connection.write("two");
            await().atMost(WAIT).until(() -> replies.size() == 2);
            assertEquals(List.of("one", "two"), replies);
            Connection<String> onServer = handler.nextOpened();
            assertEquals(CLIENT, onServer.remoteAddress());
            assertEquals(Optional.of(connection.localAddress()), onServer.proxiedBy());
            assertEquals(header, onServer.proxyHeader().orElseThrow());
            assertTrue(connection.proxyHeader().isEmpty(), "the sender's own connection read no header");
        }
    }

    @Test
    void aConnectCanCarryAHeaderOfItsOwn() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required(), handler);
        try (TcpClient<String, String> client = TcpClient.on(clientLoop).proxyHeader(ProxyHeader.local())
                .codec(LineCodec::new).handler((c, line) -> { }).build()) {
            client.connect(new InetSocketAddress(HOST, server.port()), ProxyHeader.v2(CLIENT, SERVICE))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(CLIENT, handler.nextOpened().remoteAddress());
            Connection<String> local = client.connect(HOST, server.port()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            Connection<String> onServer = handler.nextOpened();
            assertEquals(local.localAddress(), onServer.remoteAddress(), "LOCAL: the real peer");
            assertEquals(ProxyHeader.Command.LOCAL, onServer.proxyHeader().orElseThrow().command());
        }
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2})
    void bytesThatCameWithTheHeaderAreNotLost(int version) throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required(), handler);
        byte[] header = (version == 1 ? ProxyHeader.v1(CLIENT, SERVICE) : ProxyHeader.v2(CLIENT, SERVICE)).encode();
        try (Socket socket = Loopback.connect(server.port())) {
            BufferedReader in = Loopback.reader(socket);
            // One write: the header and two lines arrive in one segment, and the server reads them at once.
            socket.getOutputStream().write(concat(header, "first\nsecond\n".getBytes(US_ASCII)));
            assertEquals("first", in.readLine());
            assertEquals("second", in.readLine());
            assertEquals(CLIENT, handler.nextOpened().remoteAddress());
        }
    }

    @Test
    void bytesSentWithTheHeaderBeforeAnEndOfStreamAreDelivered() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required(), handler);
        try (Socket socket = Loopback.connect(server.port())) {
            socket.getOutputStream().write(concat(ProxyHeader.v1(CLIENT, SERVICE).encode(), "last".getBytes(US_ASCII)));
            socket.shutdownOutput();
            Connection<String> onServer = handler.nextOpened();
            Loopback.awaitClose(onServer);
            assertEquals(List.of("last"), handler.lines(onServer));
        }
    }

    @Test
    void requiredClosesAConnectionWithoutAHeaderUnseen() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required(), handler);
        Logger logger = (Logger) LoggerFactory.getLogger(TcpConnection.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try (LogCapture log = LogCapture.of(TcpConnection.class); Socket socket = Loopback.connect(server.port())) {
            Loopback.send(socket, "hello\n");
            assertEquals(-1, socket.getInputStream().read(), "closed, nothing written");
            await().atMost(WAIT).until(() -> !log.events(Level.DEBUG, "PROXY_HEADER_ERROR").isEmpty());
            assertTrue(handler.opened.isEmpty(), "the handler never heard of it");
            await().atMost(WAIT).until(() -> server.connectionCount() == 0);
        } finally {
            logger.setLevel(level);
        }
    }

    @Test
    void aVersion1LineThatFillsItsLimitWithoutCrlfIsRefusedNotLeftToTimeOut() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required(), handler);
        Logger logger = (Logger) LoggerFactory.getLogger(TcpConnection.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try (LogCapture log = LogCapture.of(TcpConnection.class); Socket socket = Loopback.connect(server.port())) {
            // The longest line a header may be, then one byte more: the server reads no more than
            // the header can need, and must still come to that byte (found by ProxyHeaderDecoderFuzzTarget).
            socket.getOutputStream().write(("PROXY UNKNOWN " + "a".repeat(93) + "b").getBytes(US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "closed, nothing written");
            await().atMost(WAIT).until(() -> !log.events(Level.DEBUG, "no CRLF").isEmpty());
            assertTrue(log.events(Level.DEBUG, "HANDSHAKE_TIMEOUT").isEmpty(), "refused, not timed out");
            assertTrue(handler.opened.isEmpty());
        } finally {
            logger.setLevel(level);
        }
    }

    @Test
    void aHeaderThatNeverComesTimesOut() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = echo(ProxyProtocol.required().withHeaderTimeout(Duration.ofMillis(200)),
                handler);
        try (Socket socket = Loopback.connect(server.port())) {
            socket.getOutputStream().write("PROXY TCP4 198.51".getBytes(US_ASCII));
            assertEquals(-1, socket.getInputStream().read(), "closed once the header was late");
            assertTrue(handler.opened.isEmpty());
        }
    }

    @Test
    void trustedReadsAHeaderOnlyFromTrustedPeers() throws Exception {
        Loopback.EchoRecorder trusting = new Loopback.EchoRecorder();
        TcpServer<String, String> loopbackTrusted = echo(ProxyProtocol.trusted("127.0.0.0/8"), trusting);
        try (Socket socket = Loopback.connect(loopbackTrusted.port())) {
            BufferedReader in = Loopback.reader(socket);
            socket.getOutputStream().write(concat(ProxyHeader.v2(CLIENT, SERVICE).encode(), "hi\n".getBytes(US_ASCII)));
            assertEquals("hi", in.readLine());
            assertEquals(CLIENT, trusting.nextOpened().remoteAddress());
        }

        Loopback.EchoRecorder wary = new Loopback.EchoRecorder();
        TcpServer<String, String> othersTrusted = echo(ProxyProtocol.trusted("10.0.0.0/8", "::1"), wary);
        try (Socket socket = Loopback.connect(othersTrusted.port())) {
            BufferedReader in = Loopback.reader(socket);
            socket.getOutputStream().write(concat(ProxyHeader.v1(CLIENT, SERVICE).encode(), "hi\n".getBytes(US_ASCII)));
            assertEquals("PROXY TCP4 198.51.100.7 192.0.2.1 61000 443", in.readLine(), "just a line to the codec");
            assertEquals("hi", in.readLine());
            Connection<String> onServer = wary.nextOpened();
            assertEquals(socket.getLocalSocketAddress(), onServer.remoteAddress(), "the claim changed nothing");
            assertTrue(onServer.proxyHeader().isEmpty());
            assertFalse(onServer.proxiedBy().isPresent());
        }
    }

    private TcpServer<String, String> tlsEcho(Loopback.EchoRecorder handler) throws IOException {
        return TcpServer.on(loop).bind(HOST, 0).tls(TestCertificates.get().serverTls())
                .proxyProtocol(ProxyProtocol.required()).codec(LineCodec::new).handler(handler).start();
    }

    @Test
    void theHeaderComesBeforeTlsFromEddysClient() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = tlsEcho(handler);
        List<String> replies = new CopyOnWriteArrayList<>();
        try (TcpClient<String, String> client = TcpClient.on(clientLoop).tls(TestCertificates.get().clientTls())
                .proxyHeader(ProxyHeader.v2(CLIENT, SERVICE, ProxyHeader.Tlv.of(ProxyHeader.TYPE_AUTHORITY, "localhost")))
                .codec(LineCodec::new).handler((c, line) -> replies.add(line)).build()) {
            Connection<String> connection = client.connect("localhost", server.port())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(connection.tls().isPresent());
            connection.write("over TLS");
            await().atMost(WAIT).until(() -> replies.size() == 1);
            Connection<String> onServer = handler.nextOpened();
            assertEquals(CLIENT, onServer.remoteAddress());
            assertEquals("localhost", onServer.proxyHeader().orElseThrow().authority().orElseThrow());
            assertTrue(onServer.tls().isPresent());
        }
    }

    @Test
    void aClientHelloThatCameWithTheHeaderIsNotLost() throws Exception {
        Loopback.EchoRecorder handler = new Loopback.EchoRecorder();
        TcpServer<String, String> server = tlsEcho(handler);
        Socket plain = new HeaderFirstSocket(ProxyHeader.v1(CLIENT, SERVICE).encode());
        plain.setTcpNoDelay(true);
        plain.setSoTimeout((int) WAIT.toMillis());
        plain.connect(new InetSocketAddress(HOST, server.port()), (int) WAIT.toMillis());
        try (SSLSocket socket = (SSLSocket) TlsPeers.trustingTestCa().getSocketFactory()
                .createSocket(plain, "localhost", server.port(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
            socket.getOutputStream().write("hello\n".getBytes(US_ASCII));
            socket.getOutputStream().flush();
            assertEquals("hello", in.readLine());
            assertEquals(CLIENT, handler.nextOpened().remoteAddress());
        }
    }

    /**
     * A socket whose first write carries the PROXY header in front of what the TLS layer writes
     * (its ClientHello): one segment, so the server's first read holds both.
     */
    private static final class HeaderFirstSocket extends Socket {
        private final byte[] header;
        private OutputStream out;

        HeaderFirstSocket(byte[] header) {
            this.header = header;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                OutputStream raw = super.getOutputStream();
                out = new FilterOutputStream(raw) {
                    private boolean sent;

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        if (!sent) {
                            sent = true;
                            raw.write(concat(header, java.util.Arrays.copyOfRange(bytes, offset, offset + length)));
                        } else {
                            raw.write(bytes, offset, length);
                        }
                    }
                };
            }
            return out;
        }
    }
}
