package io.eddy.http.server;

import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.PemFiles;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A plain-socket HTTP/1.1 client for tests: writes exactly the bytes given and parses responses
 * by the RFC (Content-Length, chunked, or until close), so a test sees what went over the wire.
 * It also reads responses from bytes an in-memory connection wrote ({@link #reading}), and speaks
 * TLS through the JDK's own {@link SSLSocket} ({@link #connectTls}), trusting the test CA.
 */
final class WireClient implements Closeable {

    /** A response as read off the wire; header names compare case-insensitively. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    private WireClient(InputStream in) {
        this.socket = null;
        this.in = in;
        this.out = null;
    }

    /** A reader of responses already received, {@code in} (an in-memory connection's output); it sends nothing. */
    static WireClient reading(InputStream in) {
        return new WireClient(in);
    }

    static WireClient connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        return new WireClient(socket);
    }

    /**
     * A connection to a TLS port of 127.0.0.1 through the JDK's TLS socket, handshake done: it
     * trusts the test CA only, checks that the certificate is for {@code localhost} (the name it
     * sends as SNI), and offers {@code alpn} (none if empty).
     */
    static WireClient connectTls(int port, String... alpn) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(20_000);
        SSLSocket socket = (SSLSocket) trustingTestCa().getSocketFactory().createSocket(plain, "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new WireClient(socket);
    }

    /** A context whose trust is the test CA and nothing else. */
    static SSLContext trustingTestCa() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(PemFiles.trustStore(TestCertificates.get().caPem()));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an SSL context trusting the test CA", e);
        }
    }

    WireClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    WireClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Reads the next response to a request that was not HEAD. */
    Response read() throws IOException {
        return read(false);
    }

    /** Reads the next response; {@code head} when it answers HEAD (no body follows). */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        byte[] body;
        if (head || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.containsKey("Transfer-Encoding")) {
            body = chunked();
        } else if (headers.containsKey("Content-Length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("Content-Length").get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
            if (size == 0) {
                while (!line().isEmpty()) {
                    // trailers are read and dropped
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            if (!line().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a line: " + line);
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\r")) {
            throw new IOException("line not ended by CRLF: " + text);
        }
        return text.substring(0, text.length() - 1);
    }

    /** Whether the server closed the connection: the next read finds the end of the stream. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Every byte until the server closes the connection (or resets it). */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            // what came before the reset is the answer
        }
        return all.toByteArray();
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
