package io.eddy.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eddy.core.loop.EventLoop;
import io.eddy.http.client.ScriptedServer.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Redirects over loopback: which keep the method and body, and which credentials cross origins. */
class RedirectsTest {

    private EventLoop loop;
    private HttpClient client;
    private final List<ScriptedServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        loop = EventLoop.start("redirects-test");
        client = HttpClient.on(loop).followRedirects(3).responseTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        loop.close();
        for (ScriptedServer s : servers) {
            s.close();
        }
    }

    /** A server that redirects its first request to {@code location} with {@code status}, and answers the rest. */
    private ScriptedServer redirecting(int status, String location) throws Exception {
        ScriptedServer s = ScriptedServer.start((c, r, head) -> head.contains(" /from ")
                ? Action.answer("HTTP/1.1 " + status + " Moved\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n")
                : Action.answer(ScriptedServer.OK_HELLO));
        servers.add(s);
        return s;
    }

    private static String requestLine(String request) {
        return request.substring(0, request.indexOf("\r\n"));
    }

    private static String body(String request) {
        return request.substring(request.indexOf("\r\n\r\n") + 4);
    }

    @ParameterizedTest
    @ValueSource(ints = {307, 308})
    void keepsTheMethodAndTheBody(int status) throws Exception {
        ScriptedServer s = redirecting(status, "/to");
        Response response = client.send(Request.post(s.url("/from"), "the body")).join();
        assertEquals("hello", response.text());
        assertEquals(2, s.requests().size());
        assertEquals("POST /to HTTP/1.1", requestLine(s.requests().get(1)));
        assertEquals("the body", body(s.requests().get(1)));
    }

    @Test
    void see303TurnsAPostIntoAGetWithoutBody() throws Exception {
        ScriptedServer s = redirecting(303, "/to");
        assertEquals("hello", client.send(Request.post(s.url("/from"), "the body")).join().text());
        String second = s.requests().get(1);
        assertEquals("GET /to HTTP/1.1", requestLine(second));
        assertEquals("", body(second));
        assertFalse(second.toLowerCase().contains("content-length"), second);
        assertFalse(second.toLowerCase().contains("content-type"), second);
    }

    private static Request withCredentials(String url) {
        return Request.builder("GET", url).header("Authorization", "Bearer secret").header("Cookie", "session=1").build();
    }

    @Test
    void dropsCredentialsWhenTheOriginChanges() throws Exception {
        ScriptedServer other = redirecting(302, "/unused");
        ScriptedServer s = redirecting(302, other.url("/to"));
        assertEquals("hello", client.send(withCredentials(s.url("/from"))).join().text());
        assertTrue(s.requests().get(0).contains("Authorization: Bearer secret"), s.requests().get(0));
        String there = other.requests().get(0);
        assertEquals("GET /to HTTP/1.1", requestLine(there));
        assertFalse(there.contains("Authorization"), there);
        assertFalse(there.contains("Cookie"), there);
    }

    @Test
    void keepsCredentialsWhenTheOriginStays() throws Exception {
        ScriptedServer s = redirecting(302, "/to");
        assertEquals("hello", client.send(withCredentials(s.url("/from"))).join().text());
        String second = s.requests().get(1);
        assertEquals("GET /to HTTP/1.1", requestLine(second));
        assertTrue(second.contains("Authorization: Bearer secret"), second);
        assertTrue(second.contains("Cookie: session=1"), second);
    }
}
