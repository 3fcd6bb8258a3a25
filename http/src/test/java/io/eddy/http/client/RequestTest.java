package io.eddy.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Requests refuse, when they are built, what no connection could send, and name their host as the scheme has it. */
class RequestTest {

    @Test
    void aBodyAsLargeAsAConnectionQueuesIsTaken() {
        Request request = Request.builder("PUT", "http://127.0.0.1:1/big").body(new byte[Request.MAX_BODY_BYTES]).build();
        assertEquals(Request.MAX_BODY_BYTES, request.body().length);
    }

    @Test
    void aLargerBodyIsRefusedWithTheWayToSendIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Request.builder("PUT", "http://127.0.0.1:1/big").body(new byte[Request.MAX_BODY_BYTES + 1]));
        assertTrue(e.getMessage().contains("streamBody"), e.getMessage());
    }

    @Test
    void theHostFieldLeavesOutTheDefaultPortOfTheUrlsOwnScheme() {
        assertEquals("example.com", Request.get("https://example.com/a").toHead(null).authority());
        assertEquals("example.com", Request.get("https://example.com:443/a").toHead(null).authority());
        assertEquals("example.com:8443", Request.get("https://example.com:8443/a").toHead(null).authority());
        assertEquals("example.com:443", Request.get("http://example.com:443/a").toHead(null).authority());
        assertEquals("example.com", Request.get("HTTP://example.com:80/a").toHead(null).authority());
        assertEquals("example.com:80", Request.get("HTTPS://example.com:80/a").toHead(null).authority());
    }

    @Test
    void originsAreSchemeHostAndPortWithTheDefaultPortSpelledOut() {
        assertEquals("https://example.com:443", Call.origin(Request.get("https://Example.COM/a").uri()));
        assertEquals("http://example.com:80", Call.origin(Request.get("http://example.com/a").uri()));
        assertEquals("http://example.com:443", Call.origin(Request.get("http://example.com:443/a").uri()));
        assertEquals("https://[::1]:8443", Call.origin(Request.get("https://[::1]:8443/a").uri()));
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostAreTaken() {
        assertEquals("https", Request.get("https://example.com/").uri().getScheme());
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class, () -> Request.get("ftp://example.com/"));
        assertTrue(ftp.getMessage().contains("unsupported scheme \"ftp\""), ftp.getMessage());
        IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class, () -> Request.get("https:/a"));
        assertTrue(noHost.getMessage().contains("https:// URL with a host"), noHost.getMessage());
    }
}
