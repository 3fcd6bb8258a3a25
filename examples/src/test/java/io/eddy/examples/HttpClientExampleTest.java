package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.testing.TestCertificates;
import io.eddy.core.tls.ServerTls;
import io.eddy.http.server.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The http-client example against hello-http on a free port, over http and https, and against no server at all. */
class HttpClientExampleTest {

    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("hello-http-for-client");
        TestCertificates certificates = TestCertificates.get();
        server = HelloHttp.start(loop, "127.0.0.1", 0, 0,
                ServerTls.builder().certificate(certificates.serverEcChain(), certificates.serverEcKey()).build(),
                HelloHttp.bundledStaticFiles());
    }

    private static int run(Output out, Output err, String... args) {
        return Examples.run(args, out.stream(), err.stream());
    }

    @Test
    void fetchesAnHttpsUrlTrustingTheCaOfCacert() {
        String url = "https://localhost:" + server.tlsPort() + "/hello";
        Output out = new Output();
        Output err = new Output();

        int status = run(out, err, "http-client", url, "--cacert", TestCertificates.get().caPem().toString());

        assertEquals(0, status, err.text());
        assertTrue(out.contains("== GET " + url), out.text());
        assertTrue(out.contains("hello world"), out.text());
        assertTrue(out.contains("== POST https://localhost:" + server.tlsPort() + "/echo (JSON)"), out.text());
        assertTrue(out.contains("{\"greeting\": \"hello\", \"from\": \"eddy\"}"), out.text());
    }

    @Test
    void refusesAnHttpsServerItsTrustedCasDidNotSign() {
        // Without --cacert the system's CAs decide, and none of them signed the test certificates.
        Output err = new Output();
        int status = run(new Output(), err, "http-client", "https://localhost:" + server.tlsPort() + "/hello");

        assertEquals(1, status, err.text());
        assertTrue(err.contains("cannot connect to https://localhost:" + server.tlsPort()), err.text());
        assertTrue(err.contains("SSLHandshakeException"), err.text());
    }

    @Test
    void aCacertThatIsNotAFileIsRefused() {
        Output err = new Output();
        int status = run(new Output(), err, "http-client", "https://localhost:1/", "--cacert", "/no/such/ca.pem");

        assertEquals(2, status, err.text());
        assertTrue(err.contains("--cacert must be a file that can be read: '/no/such/ca.pem'"), err.text());
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void printsTheGreetingAndBothEchoes(boolean bareUrl) {
        String url = "http://127.0.0.1:" + server.port() + "/hello";
        String[] args = bareUrl ? new String[] {"http-client", url} : new String[] {"http-client", "--url", url};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Examples.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("HTTP/1.1 200 OK"), printed);
        assertTrue(printed.contains("hello world"), printed);
        assertTrue(printed.contains("name=eddy&loop=1"), printed);
        assertTrue(printed.contains("{\"greeting\": \"hello\", \"from\": \"eddy\"}"), printed);
    }

    @Test
    void refusesTheUrlGivenTwiceAndASecondBareArgument() {
        for (String[] args : new String[][] {
                {"http-client", "http://127.0.0.1:1/a", "--url", "http://127.0.0.1:1/b"},
                {"http-client", "--url", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"},
                {"http-client", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = Examples.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, status);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("both give the url"), err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void failsClearlyWhenNobodyListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Examples.run(new String[] {"http-client", "http://127.0.0.1:" + port + "/hello"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect to http://127.0.0.1:" + port),
                err.toString(StandardCharsets.UTF_8));
    }
}
