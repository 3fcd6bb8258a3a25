package io.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/**
 * Both HTTPS benchmark servers, in this JVM on port 0, with the TLS rows' certificate: each answers
 * what the rows ask (the smoke run's checks), and Netty's is set up as Eddy's is.
 */
class TlsServersTest {

    private static final ServerArgs.TlsFiles FILES = TlsRows.certificate();

    @Test
    void eddyServesTheRowsOverTls() throws Exception {
        try (EventLoop loop = EventLoop.start("tls-bench-test")) {
            ServerTls tls = ServerTls.builder().certificate(FILES.certificateChain(), FILES.privateKey()).build();
            int port = PlaintextServer.start(loop, 0, tls).tlsPort();
            String checked = new HttpsProbe(TestCertificates.get().caPem()).check(new InetSocketAddress("127.0.0.1", port));
            assertTrue(checked.startsWith("TLSv1.3 "), checked);
        }
    }

    @Test
    void nettyServesTheRowsOverTls() throws Exception {
        EventLoopGroup group = NettyTransport.NIO.group(1);
        try {
            Channel channel = NettyPlaintextServer.start(group, NettyTransport.NIO, 0,
                    NettyPlaintextServer.sslContext(FILES), new NettyPlaintextServer.DateValue());
            int port = ((InetSocketAddress) channel.localAddress()).getPort();
            String checked = new HttpsProbe(TestCertificates.get().caPem()).check(new InetSocketAddress("127.0.0.1", port));
            assertTrue(checked.startsWith("TLSv1.3 "), checked);
            channel.close().sync();
        } finally {
            group.shutdownGracefully().sync();
        }
    }

    @Test
    void nettyEnablesEddysProtocolsAndSuitesInTheSameOrder() throws Exception {
        SSLEngine eddys = ServerTls.builder().certificate(FILES.certificateChain(), FILES.privateKey()).build().newEngine();
        SSLEngine nettys = NettyPlaintextServer.sslContext(FILES).newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertEquals(Set.of(eddys.getEnabledProtocols()), Set.of(nettys.getEnabledProtocols()));
        assertEquals(List.of(eddys.getEnabledCipherSuites()), List.of(nettys.getEnabledCipherSuites()));
        assertTrue(nettys.getSSLParameters().getUseCipherSuitesOrder());
        assertEquals(eddys.getSSLParameters().getUseCipherSuitesOrder(), nettys.getSSLParameters().getUseCipherSuitesOrder());
    }

    @Test
    void theBulkBodyIsAFixedMebibyte() throws Exception {
        assertEquals(BulkBody.LENGTH, BulkBody.BYTES.length);
        // The same pattern in every JVM, whichever server serves it.
        assertEquals("f29fb072131fcfc725b5ec446ad19960b2b1b4fd78a3cbf5867009111fe602e0",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BulkBody.BYTES)));
    }
}
