package io.eddy.core.net;

import static io.eddy.core.net.Loopback.HOST;
import static io.eddy.core.net.Loopback.WAIT;

import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** The JDK's own blocking TLS client, trusting the test CA: a peer Eddy did not write. */
final class TlsPeers {

    private TlsPeers() {
    }

    /** An SSL context that trusts the test CA and nothing else. */
    static SSLContext trustingTestCa() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(PemFiles.trustStore(TestCertificates.get().caPem()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A connected JDK TLS socket to {@code port}, handshake done, reads bounded by {@link Loopback#WAIT}. */
    static SSLSocket connect(int port, String... protocols) throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.setSoTimeout((int) WAIT.toMillis());
        plain.connect(new InetSocketAddress(HOST, port), (int) WAIT.toMillis());
        SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(plain, "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        } catch (RuntimeException e) {
            socket.close();
            throw new UncheckedIOException(new IOException(e));
        }
        return socket;
    }

    /** A real ClientHello, as the JDK's client engine sends it first. */
    static byte[] clientHello() throws IOException {
        SSLEngine engine = TestCertificates.get().clientTls().newEngine("localhost", 443);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
