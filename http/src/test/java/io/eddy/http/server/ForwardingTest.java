package io.eddy.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.eddy.core.proxy.Cidr;
import io.eddy.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Forwarded headers, honoured from trusted proxies only, against spoofing attempts. */
class ForwardingTest {

    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8:ffff::/48"));
    private static final InetSocketAddress PROXY = address("10.0.0.3", 40000);
    private static final InetSocketAddress STRANGER = address("198.51.100.99", 50000);
    private static final String AUTHORITY = "backend:8080";

    private static InetSocketAddress address(String host, int port) {
        return new InetSocketAddress(Cidr.parseAddress(host).orElseThrow(), port);
    }

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders headers = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static Origin resolve(ForwardedHeaders kind, InetSocketAddress peer, HttpHeaders headers) {
        return new Forwarding(TRUSTED, kind).resolve(peer, "http", AUTHORITY, headers);
    }

    static Stream<Arguments> xForwarded() {
        return Stream.of(
                Arguments.of("no header: the peer", PROXY, headers(), address("10.0.0.3", 40000), "http", AUTHORITY),
                Arguments.of("from a stranger: ignored", STRANGER,
                        headers("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https",
                                "X-Forwarded-Host", "evil.example"), STRANGER, "http", AUTHORITY),
                Arguments.of("one hop", PROXY, headers("X-Forwarded-For", "203.0.113.7"),
                        address("203.0.113.7", 0), "http", AUTHORITY),
                Arguments.of("the client wrote addresses to the left: the rightmost untrusted wins", PROXY,
                        headers("X-Forwarded-For", "127.0.0.1, 10.0.0.1, 203.0.113.7, 10.0.0.2"),
                        address("203.0.113.7", 0), "http", AUTHORITY),
                Arguments.of("several field lines read as one list", PROXY,
                        headers("X-Forwarded-For", "1.1.1.1", "X-Forwarded-For", "203.0.113.7 ,10.0.0.2"),
                        address("203.0.113.7", 0), "http", AUTHORITY),
                Arguments.of("every hop trusted: the leftmost", PROXY, headers("X-Forwarded-For", "10.9.9.9, 10.0.0.2"),
                        address("10.9.9.9", 0), "http", AUTHORITY),
                Arguments.of("garbage left of the client changes nothing", PROXY,
                        headers("X-Forwarded-For", "<script>, 203.0.113.7"), address("203.0.113.7", 0), "http", AUTHORITY),
                Arguments.of("garbage nearest: the peer stands", PROXY, headers("X-Forwarded-For", "203.0.113.7, oops"),
                        PROXY, "http", AUTHORITY),
                Arguments.of("unknown past a trusted hop: that hop stands", PROXY,
                        headers("X-Forwarded-For", "203.0.113.7, unknown, 10.0.0.2"), address("10.0.0.2", 0), "http",
                        AUTHORITY),
                Arguments.of("a name is not an address", PROXY, headers("X-Forwarded-For", "localhost"), PROXY, "http",
                        AUTHORITY),
                Arguments.of("address and port", PROXY, headers("X-Forwarded-For", "203.0.113.7:5555"),
                        address("203.0.113.7", 5555), "http", AUTHORITY),
                Arguments.of("IPv6, bare and bracketed", PROXY,
                        headers("X-Forwarded-For", "2001:db8::7, [2001:db8:ffff::1]:443"), address("2001:db8::7", 0),
                        "http", AUTHORITY),
                Arguments.of("an empty list", PROXY, headers("X-Forwarded-For", " , "), PROXY, "http", AUTHORITY),
                Arguments.of("scheme and host from a trusted proxy", PROXY,
                        headers("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "HTTPS",
                                "X-Forwarded-Host", "www.example.com:443"),
                        address("203.0.113.7", 0), "https", "www.example.com:443"),
                Arguments.of("the last scheme and host, which the nearest proxy added", PROXY,
                        headers("X-Forwarded-Proto", "http, https", "X-Forwarded-Host", "evil.example, www.example.com"),
                        PROXY, "https", "www.example.com"),
                Arguments.of("a scheme that is not http(s), a host that is not a host: ignored", PROXY,
                        headers("X-Forwarded-Proto", "javascript", "X-Forwarded-Host", "a b/c"), PROXY, "http", AUTHORITY),
                Arguments.of("a Forwarded header is not read when X-Forwarded is configured", PROXY,
                        headers("Forwarded", "for=192.0.2.1;proto=https", "X-Forwarded-For", "203.0.113.7"),
                        address("203.0.113.7", 0), "http", AUTHORITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("xForwarded")
    void readsXForwardedOnlyFromTrustedProxies(String name, InetSocketAddress peer, HttpHeaders headers,
                                               InetSocketAddress client, String scheme, String host) {
        assertEquals(new Origin(client, scheme, host), resolve(ForwardedHeaders.X_FORWARDED, peer, headers));
    }

    static Stream<Arguments> forwarded() {
        return Stream.of(
                Arguments.of("from a stranger: ignored", STRANGER, headers("Forwarded", "for=203.0.113.7;proto=https"),
                        STRANGER, "http", AUTHORITY),
                Arguments.of("one element", PROXY,
                        headers("Forwarded", "for=203.0.113.7;proto=https;host=www.example.com"),
                        address("203.0.113.7", 0), "https", "www.example.com"),
                Arguments.of("the element of the client gives scheme and host", PROXY,
                        headers("Forwarded", "for=192.0.2.1;proto=http;host=evil.example, "
                                + "for=203.0.113.7;proto=https;host=www.example.com, for=10.0.0.2;proto=http"),
                        address("203.0.113.7", 0), "https", "www.example.com"),
                Arguments.of("quoted IPv6 with a port, parameters in any case and order", PROXY,
                        headers("Forwarded", "Proto=https;For=\"[2001:db8:cafe::17]:4711\""),
                        address("2001:db8:cafe::17", 4711), "https", AUTHORITY),
                Arguments.of("several field lines", PROXY,
                        headers("Forwarded", "for=192.0.2.1", "Forwarded", "for=203.0.113.7"),
                        address("203.0.113.7", 0), "http", AUTHORITY),
                Arguments.of("an obfuscated client past a trusted proxy: that proxy stands", PROXY,
                        headers("Forwarded", "for=_hidden;proto=https, for=10.0.0.2"), address("10.0.0.2", 0), "https",
                        AUTHORITY),
                Arguments.of("unknown", PROXY, headers("Forwarded", "for=unknown"), PROXY, "http", AUTHORITY),
                Arguments.of("IPv6 unquoted breaks the grammar: ignored whole", PROXY,
                        headers("Forwarded", "for=[2001:db8::1]"), PROXY, "http", AUTHORITY),
                Arguments.of("a bracketed IPv4 is not an address", PROXY, headers("Forwarded", "for=\"[192.0.2.1]\""),
                        PROXY, "http", AUTHORITY),
                Arguments.of("an unterminated quote: ignored whole", PROXY,
                        headers("Forwarded", "for=\"203.0.113.7, for=10.0.0.2"), PROXY, "http", AUTHORITY),
                Arguments.of("a parameter twice in one element: ignored whole", PROXY,
                        headers("Forwarded", "for=192.0.2.1;for=203.0.113.7"), PROXY, "http", AUTHORITY),
                Arguments.of("a pair without a value: ignored whole", PROXY, headers("Forwarded", "for=;proto=https"),
                        PROXY, "http", AUTHORITY),
                Arguments.of("extensions and empty elements are fine", PROXY,
                        headers("Forwarded", ", by=10.0.0.2;secret=x;for=203.0.113.7 ,"),
                        address("203.0.113.7", 0), "http", AUTHORITY),
                Arguments.of("X-Forwarded-For is not read when Forwarded is configured", PROXY,
                        headers("X-Forwarded-For", "203.0.113.7", "X-Forwarded-Proto", "https"), PROXY, "http",
                        AUTHORITY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwarded")
    void readsForwardedOnlyFromTrustedProxies(String name, InetSocketAddress peer, HttpHeaders headers,
                                              InetSocketAddress client, String scheme, String host) {
        assertEquals(new Origin(client, scheme, host), resolve(ForwardedHeaders.FORWARDED, peer, headers));
    }
}
