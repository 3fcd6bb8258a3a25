package io.eddy.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The plaintext request every HTTP benchmark sends: {@code GET /plaintext HTTP/1.1} with the
 * browser-like header set TechEmpower's load generator sends (about 400 bytes), and the body the
 * answer must carry.
 *
 * <p>Threading: constants only.
 */
final class PlaintextRequest {

    /** The path served. */
    static final String PATH = "/plaintext";
    /** The body every answer carries. */
    static final String BODY = "Hello, World!";

    /** The header fields after {@code Host}, as {@code name: value}. */
    static final List<String> HEADERS = List.of(
            "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7",
            "Connection: keep-alive",
            "Accept-Language: en-US,en;q=0.5",
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Gecko/20130501 Firefox/30.0 AppleWebKit/600.00"
                    + " Chrome/30.0.0000.0 Trident/10.0 Safari/600.00",
            "Cookie: uid=12345678901234567890; __utma=1.1234567890.1234567890.1234567890.1234567890.12;"
                    + " wd=2560x1600");

    private PlaintextRequest() {
    }

    /** The request's bytes for {@code host} (as the {@code Host} field: {@code name:port}). */
    static byte[] bytes(String host) {
        StringBuilder request = new StringBuilder("GET " + PATH + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String header : HEADERS) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code count} requests back to back, as a pipelining client sends them in one write. */
    static byte[] pipelined(String host, int count) {
        byte[] one = bytes(host);
        byte[] all = new byte[one.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        return all;
    }
}
