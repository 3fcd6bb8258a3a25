package io.eddy.http.server;

import io.eddy.core.proxy.Cidr;
import io.eddy.core.proxy.ProxyProtocol;
import io.eddy.http.HttpHeaders;
import io.eddy.http.internal.HttpChars;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a request's client address, scheme and host from forwarded headers, when (and only when)
 * the connection's peer is a trusted proxy; otherwise the connection's own view stands.
 *
 * <p><b>Which hop is the client.</b> Each proxy appends the address it received the request from,
 * so the list reads client first, nearest proxy last, and anyone may have written its left part.
 * The list is read from the right: every address that is a trusted proxy is a hop to go past, and
 * the first one that is not is the client (the rightmost-untrusted rule). A list of trusted
 * addresses only gives its leftmost. An entry that is not an address ({@code unknown}, an
 * obfuscated name, garbage) ends the walk: the client is then the last address the trusted hops
 * vouch for. So whatever a client puts in the header, it can never appear as an address farther
 * than the first untrusted hop.
 *
 * <p><b>Scheme and host.</b> With {@code Forwarded}, they are those of the same element as the
 * client (the element the client-facing proxy wrote); with {@code X-Forwarded-Proto} and
 * {@code -Host}, the last value (the nearest trusted proxy's). A scheme other than {@code http}
 * or {@code https}, or a host that is not {@code host[:port]}, is ignored. A {@code Forwarded}
 * header that does not parse (RFC 7239's grammar, a parameter twice in one element) is ignored
 * whole.
 *
 * <p>Threading: immutable; used by every loop.
 */
final class Forwarding {

    private final List<Cidr> trusted;
    private final ForwardedHeaders kind;

    Forwarding(List<Cidr> trusted, ForwardedHeaders kind) {
        this.trusted = List.copyOf(trusted);
        this.kind = kind;
    }

    /**
     * The request's origin: from the forwarded headers when {@code peer} is trusted, else the
     * connection's own ({@code peer}, {@code scheme}, {@code authority}).
     */
    Origin resolve(InetSocketAddress peer, String scheme, String authority, HttpHeaders headers) {
        Origin own = new Origin(peer, scheme, authority);
        if (peer == null || peer.getAddress() == null || !ProxyProtocol.isTrusted(trusted, peer.getAddress())) {
            return own;
        }
        return kind == ForwardedHeaders.FORWARDED ? fromForwarded(own, headers) : fromXForwarded(own, headers);
    }

    /** One hop of a forwarded list: its address (null when it names none), and what its proxy said. */
    private record Hop(InetSocketAddress address, String proto, String host) {
    }

    private Origin walk(Origin own, List<Hop> hops) {
        InetSocketAddress client = own.client();
        Hop clientHop = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Hop hop = hops.get(i);
            clientHop = hop;
            if (hop.address() == null) {
                break; // no address to go on with: the last one vouched for stands
            }
            client = hop.address();
            if (!ProxyProtocol.isTrusted(trusted, hop.address().getAddress())) {
                break;
            }
        }
        if (clientHop == null) {
            return own;
        }
        String scheme = clientHop.proto() != null ? clientHop.proto() : own.scheme();
        String host = clientHop.host() != null ? clientHop.host() : own.host();
        return new Origin(client, scheme, host);
    }

    // ---- X-Forwarded-For, -Proto, -Host ----

    private Origin fromXForwarded(Origin own, HttpHeaders headers) {
        List<String> forwardedFor = listValues(headers.getAll("X-Forwarded-For"));
        List<Hop> hops = new ArrayList<>(forwardedFor.size());
        for (String entry : forwardedFor) {
            hops.add(new Hop(node(entry, false), null, null));
        }
        Origin origin = hops.isEmpty() ? own : walk(own, hops);
        String proto = scheme(last(listValues(headers.getAll("X-Forwarded-Proto"))));
        String host = host(last(listValues(headers.getAll("X-Forwarded-Host"))));
        return new Origin(origin.client(), proto != null ? proto : origin.scheme(), host != null ? host : origin.host());
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** The comma-separated values of every field line, in order, trimmed; empty ones dropped. */
    private static List<String> listValues(List<String> lines) {
        List<String> values = new ArrayList<>();
        for (String line : lines) {
            for (String value : line.split(",", -1)) {
                String trimmed = value.strip();
                if (!trimmed.isEmpty()) {
                    values.add(trimmed);
                }
            }
        }
        return values;
    }

    // ---- Forwarded (RFC 7239) ----

    private Origin fromForwarded(Origin own, HttpHeaders headers) {
        List<String> lines = headers.getAll("Forwarded");
        if (lines.isEmpty()) {
            return own;
        }
        List<Hop> hops = parseForwarded(String.join(",", lines));
        return hops == null ? own : walk(own, hops);
    }

    /**
     * The elements of a {@code Forwarded} value, or null when it breaks RFC 7239's grammar:
     * {@code 1#forwarded-element}, each {@code [pair] *(";" [pair])}, a pair {@code token "="
     * (token / quoted-string)}, each parameter at most once per element.
     */
    private static List<Hop> parseForwarded(String value) {
        List<Hop> hops = new ArrayList<>();
        int i = 0;
        int n = value.length();
        String forValue = null;
        String proto = null;
        String host = null;
        List<String> seen = new ArrayList<>(4);
        boolean elementHasContent = false;
        while (true) {
            i = skipWhitespace(value, i);
            if (i < n && value.charAt(i) != ',' && value.charAt(i) != ';') {
                int nameStart = i;
                while (i < n && HttpChars.isToken((byte) value.charAt(i)) && value.charAt(i) < 128) {
                    i++;
                }
                if (i == nameStart || i >= n || value.charAt(i) != '=') {
                    return null;
                }
                String name = value.substring(nameStart, i).toLowerCase(Locale.ROOT);
                i++;
                String parameter;
                if (i < n && value.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    while (true) {
                        if (i >= n) {
                            return null;
                        }
                        char c = value.charAt(i++);
                        if (c == '"') {
                            break;
                        }
                        if (c == '\\') {
                            if (i >= n) {
                                return null;
                            }
                            c = value.charAt(i++);
                        }
                        if (c < 0x20 && c != '\t' || c == 0x7f) {
                            return null;
                        }
                        quoted.append(c);
                    }
                    parameter = quoted.toString();
                } else {
                    int valueStart = i;
                    while (i < n && value.charAt(i) < 128 && HttpChars.isToken((byte) value.charAt(i))) {
                        i++;
                    }
                    if (i == valueStart) {
                        return null;
                    }
                    parameter = value.substring(valueStart, i);
                }
                if (seen.contains(name)) {
                    return null;
                }
                seen.add(name);
                elementHasContent = true;
                switch (name) {
                    case "for" -> forValue = parameter;
                    case "proto" -> proto = parameter;
                    case "host" -> host = parameter;
                    default -> {
                        // "by" and extensions: not needed here
                    }
                }
                i = skipWhitespace(value, i);
            }
            if (i < n && value.charAt(i) == ';') {
                i++;
                continue;
            }
            if (i < n && value.charAt(i) != ',') {
                return null;
            }
            if (elementHasContent) {
                hops.add(new Hop(forValue == null ? null : node(forValue, true), scheme(proto), host(host)));
            }
            if (i >= n) {
                return hops.isEmpty() ? null : hops;
            }
            i++; // the comma
            forValue = null;
            proto = null;
            host = null;
            seen.clear();
            elementHasContent = false;
        }
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /**
     * The address a node names: {@code 192.0.2.1}, {@code 192.0.2.1:8080}, {@code [2001:db8::1]},
     * {@code [2001:db8::1]:8080}, or (in {@code X-Forwarded-For}, where proxies write it so)
     * {@code 2001:db8::1} without brackets; null for {@code unknown}, obfuscated names and
     * anything else.
     */
    static InetSocketAddress node(String text, boolean bracketsRequired) {
        String host = text;
        int port = 0;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            String inside = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":") || (port = port(rest.substring(1))) < 0) {
                    return null;
                }
            }
            // Brackets hold IPv6 only.
            InetAddress address = inside.indexOf(':') >= 0 ? Cidr.parseAddress(inside).orElse(null) : null;
            return address == null ? null : new InetSocketAddress(address, port);
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
            host = text.substring(0, colon);
            if ((port = port(text.substring(colon + 1))) < 0) {
                return null;
            }
        } else if (colon >= 0 && bracketsRequired) {
            return null;
        }
        InetAddress address = Cidr.parseAddress(host).orElse(null);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : -1;
    }

    private static String scheme(String proto) {
        if (proto == null) {
            return null;
        }
        String lower = proto.toLowerCase(Locale.ROOT);
        return lower.equals("http") || lower.equals("https") ? lower : null;
    }

    private static String host(String host) {
        return host != null && !host.isEmpty() && HttpChars.hostLength(host, 0, host.length()) > 0 ? host : null;
    }
}
