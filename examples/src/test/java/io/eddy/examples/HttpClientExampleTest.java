package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
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

/** The http-client example against hello-http on a free port, and against no server at all. */
class HttpClientExampleTest {

    private EventLoop loop;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        loop = EventLoop.start("hello-http-for-client");
        server = HelloHttp.start(loop, "127.0.0.1", 0, HelloHttp.bundledStaticFiles());
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
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect to 127.0.0.1:" + port),
                err.toString(StandardCharsets.UTF_8));
    }
}
