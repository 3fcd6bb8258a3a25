package io.eddy.core.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.PemFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where a TLS handshake's delegated tasks run: never on the loop's thread, and the handshake goes
 * on (on the loop) once they are done. The engine is the JDK's, wrapped to record the thread each
 * task runs on.
 */
@Timeout(30)
class TlsHandshakeThreadsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EventLoop loop;
    private ServerSocketChannel listener;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("tls-threads");
        listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        loop.close();
    }

    @Test
    void delegatedTasksRunOffTheLoopAndTheHandshakeResumesOnIt() throws Exception {
        List<String> taskThreads = new CopyOnWriteArrayList<>();
        RecordingEngine engine = new RecordingEngine(TestCertificates.get().serverTls().newEngine(), taskThreads);
        CompletableFuture<String> openedOn = new CompletableFuture<>();
        Handler<String, String> handler = new Handler<>() {
            @Override
            public void onOpen(Connection<String> connection) {
                openedOn.complete(Thread.currentThread().getName());
            }

            @Override
            public void onMessage(Connection<String> connection, String line) {
                connection.write(line);
            }
        };
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), (int) WAIT.toMillis());
            plain.setSoTimeout((int) WAIT.toMillis());
            SocketChannel accepted = listener.accept();
            loop.execute(() -> {
                try {
                    TcpConnection.open(loop, accepted, null, new LineCodec(), handler, ConnectionOptions.defaults(), null,
                            new TlsStart(engine, WAIT, Duration.ofSeconds(2)), null);
                } catch (Exception e) {
                    openedOn.completeExceptionally(e);
                }
            });
            SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(plain, "localhost", port, true);
            socket.startHandshake();
            socket.getOutputStream().write("ping\n".getBytes(UTF_8));
            socket.getOutputStream().flush();
            assertEquals("ping", new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8)).readLine());
        }
        String loopThread = openedOn.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertFalse(taskThreads.isEmpty(), "the JDK's engine gave no delegated task to run");
        for (String thread : taskThreads) {
            assertTrue(thread.startsWith("eddy-tls-"), "a delegated task ran on " + thread);
            assertFalse(thread.equals(loopThread));
        }
    }

    private static SSLContext trustingTestCa() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemFiles.trustStore(TestCertificates.get().caPem()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** The JDK's engine, but each delegated task records the thread it runs on. */
    private static final class RecordingEngine extends SSLEngine {
        private final SSLEngine engine;
        private final List<String> taskThreads;

        RecordingEngine(SSLEngine engine, List<String> taskThreads) {
            this.engine = engine;
            this.taskThreads = taskThreads;
        }

        @Override
        public Runnable getDelegatedTask() {
            Runnable task = engine.getDelegatedTask();
            if (task == null) {
                return null;
            }
            return () -> {
                taskThreads.add(Thread.currentThread().getName());
                task.run();
            };
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
            return engine.wrap(srcs, offset, length, dst);
        }

        @Override
        public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return engine.wrap(src, dst);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
            return engine.unwrap(src, dsts, offset, length);
        }

        @Override
        public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return engine.unwrap(src, dst);
        }

        @Override
        public void closeInbound() throws SSLException {
            engine.closeInbound();
        }

        @Override
        public boolean isInboundDone() {
            return engine.isInboundDone();
        }

        @Override
        public void closeOutbound() {
            engine.closeOutbound();
        }

        @Override
        public boolean isOutboundDone() {
            return engine.isOutboundDone();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return engine.getSupportedCipherSuites();
        }

        @Override
        public String[] getEnabledCipherSuites() {
            return engine.getEnabledCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            engine.setEnabledCipherSuites(suites);
        }

        @Override
        public String[] getSupportedProtocols() {
            return engine.getSupportedProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            return engine.getEnabledProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            engine.setEnabledProtocols(protocols);
        }

        @Override
        public SSLSession getSession() {
            return engine.getSession();
        }

        @Override
        public SSLSession getHandshakeSession() {
            return engine.getHandshakeSession();
        }

        @Override
        public void beginHandshake() throws SSLException {
            engine.beginHandshake();
        }

        @Override
        public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return engine.getHandshakeStatus();
        }

        @Override
        public void setUseClientMode(boolean mode) {
            engine.setUseClientMode(mode);
        }

        @Override
        public boolean getUseClientMode() {
            return engine.getUseClientMode();
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            engine.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return engine.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            engine.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return engine.getWantClientAuth();
        }

        @Override
        public void setEnableSessionCreation(boolean flag) {
            engine.setEnableSessionCreation(flag);
        }

        @Override
        public boolean getEnableSessionCreation() {
            return engine.getEnableSessionCreation();
        }

        @Override
        public SSLParameters getSSLParameters() {
            return engine.getSSLParameters();
        }

        @Override
        public void setSSLParameters(SSLParameters parameters) {
            engine.setSSLParameters(parameters);
        }

        @Override
        public String getApplicationProtocol() {
            return engine.getApplicationProtocol();
        }

        @Override
        public String getHandshakeApplicationProtocol() {
            return engine.getHandshakeApplicationProtocol();
        }

        @Override
        public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
            engine.setHandshakeApplicationProtocolSelector(selector);
        }

        @Override
        public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
            return engine.getHandshakeApplicationProtocolSelector();
        }
    }
}
