package io.eddy.bench;

import io.eddy.core.tls.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Checks, for the smoke run, that an HTTPS benchmark server answers what the TLS rows ask of it,
 * with the JDK's own TLS client: the certificate trusted through the test CA and checked for
 * {@code 127.0.0.1}, TLS 1.3 with ALPN {@code http/1.1}, keep-alive requests answered
 * {@code Hello, World!}, the 1 MiB body byte for byte, TLS 1.2 too, and new connections one after
 * the other (each a full handshake). Measures nothing.
 *
 * <p>Threading: blocking sockets on the caller's thread.
 */
final class HttpsProbe {

    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int KEEP_ALIVE_REQUESTS = 3;
    private static final int NEW_CONNECTIONS = 8;

    private final SSLContext context;

    /** A probe trusting the certificate authority in {@code caPem} alone. */
    HttpsProbe(Path caPem) throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(PemFiles.trustStore(caPem));
        context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
    }

    /** Runs every check against {@code address}; returns what was checked, or throws saying what was wrong. */
    String check(InetSocketAddress address) throws IOException {
        Protocol plaintext = Protocol.plaintext("127.0.0.1:" + address.getPort());
        String tls13;
        try (SSLSocket socket = open(address, "TLSv1.3")) {
            tls13 = socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
            if (!"TLSv1.3".equals(socket.getSession().getProtocol())) {
                throw new AssertionError("TLS 1.3 was asked for, " + tls13 + " agreed");
            }
            if (!"http/1.1".equals(socket.getApplicationProtocol())) {
                throw new AssertionError("ALPN: http/1.1 offered, '" + socket.getApplicationProtocol() + "' agreed");
            }
            for (int i = 0; i < KEEP_ALIVE_REQUESTS; i++) {
                exchange(socket, plaintext);
            }
            bulk(socket, address);
            exchange(socket, plaintext); // the connection still serves after the large body
        }
        String tls12;
        try (SSLSocket socket = open(address, "TLSv1.2")) {
            tls12 = socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
            exchange(socket, plaintext);
        }
        for (int i = 0; i < NEW_CONNECTIONS; i++) {
            try (SSLSocket socket = open(address, "TLSv1.3")) {
                exchange(socket, plaintext);
            }
        }
        return tls13 + " with ALPN http/1.1: " + (KEEP_ALIVE_REQUESTS + 1) + " keep-alive answers and the 1 MiB body"
                + " byte for byte; " + tls12 + ": answered; " + NEW_CONNECTIONS + " new connections answered";
    }

    /** A TLS connection to {@code address}, its handshake done: {@code protocol} only, ALPN {@code http/1.1} offered. */
    private SSLSocket open(InetSocketAddress address, String protocol) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        try {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[] {protocol});
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** One plaintext request and its answer, checked. */
    private static void exchange(SSLSocket socket, Protocol plaintext) throws IOException {
        socket.getOutputStream().write(plaintext.request());
        socket.getOutputStream().flush();
        ByteBuffer in = ByteBuffer.allocate(4096);
        InputStream input = socket.getInputStream();
        while (true) {
            int n = input.read(in.array(), in.position(), in.remaining());
            if (n < 0) {
                throw new IOException("the connection ended before the answer");
            }
            in.position(in.position() + n);
            in.flip();
            int answers = plaintext.answers(in);
            if (answers == 1 && !in.hasRemaining()) {
                return;
            }
            if (answers > 0) {
                throw new AssertionError("more than one answer to one request");
            }
            in.compact();
            if (!in.hasRemaining()) {
                throw new AssertionError("an answer larger than " + in.capacity() + " bytes");
            }
        }
    }

    /** {@code GET /bulk}: a 200 with {@code Content-Length} 1 MiB and exactly {@link BulkBody#BYTES}. */
    private static void bulk(SSLSocket socket, InetSocketAddress address) throws IOException {
        OutputStream output = socket.getOutputStream();
        output.write(("GET " + BulkBody.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + address.getPort() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        output.flush();
        InputStream input = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = input.read();
            if (b < 0) {
                throw new IOException("the connection ended in the head of the bulk answer: " + head);
            }
            head.append((char) b);
            if (head.length() > 8192) {
                throw new AssertionError("the bulk answer's head is over 8 KiB");
            }
        }
        String text = head.toString();
        if (!text.startsWith("HTTP/1.1 200 ")) {
            throw new AssertionError("not a 200 for " + BulkBody.PATH + ": " + text.lines().findFirst().orElse(""));
        }
        if (!text.toLowerCase(Locale.ROOT).contains("\r\ncontent-length: " + BulkBody.LENGTH + "\r\n")) {
            throw new AssertionError(BulkBody.PATH + " is not framed by Content-Length " + BulkBody.LENGTH + ": " + text);
        }
        byte[] body = input.readNBytes(BulkBody.LENGTH);
        if (!Arrays.equals(body, BulkBody.BYTES)) {
            throw new AssertionError("the bulk body differs from the one served"
                    + (body.length < BulkBody.LENGTH ? " (only " + body.length + " bytes came)" : ""));
        }
    }
}
