package io.eddy.http.websocket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The negotiation of permessage-deflate (RFC 7692 section 7): a server picks the first offer it
 * can honour, a client checks the server's answer against its offer.
 *
 * <p>What the JDK allows decides what Eddy agrees to. {@link java.util.zip.Deflater} compresses
 * with a 15-bit window only, so an offer that limits the server's window
 * ({@code server_max_window_bits} below 15) is declined (the next offer is tried, or the socket
 * goes uncompressed), and a client never offers {@code client_max_window_bits}. An
 * {@link java.util.zip.Inflater} reads any window, so whatever window the peer compresses with is
 * fine. Context takeover can be turned off either way.
 *
 * <p>Threading: pure functions.
 */
public final class PerMessageDeflate {

    /** The extension's token. */
    public static final String NAME = "permessage-deflate";

    private static final String SERVER_NO_CONTEXT = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT = "client_no_context_takeover";
    private static final String SERVER_MAX_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_BITS = "client_max_window_bits";

    private PerMessageDeflate() {
    }

    /**
     * What both sides agreed.
     *
     * @param serverNoContextTakeover the server compresses each message alone
     * @param clientNoContextTakeover the client compresses each message alone
     * @param serverMaxWindowBits     the server's window, as answered (0 when not said)
     */
    public record Agreement(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits) {

        /** The {@code Sec-WebSocket-Extensions} value a server answers with. */
        public String header() {
            StringBuilder header = new StringBuilder(NAME);
            if (serverNoContextTakeover) {
                header.append("; ").append(SERVER_NO_CONTEXT);
            }
            if (clientNoContextTakeover) {
                header.append("; ").append(CLIENT_NO_CONTEXT);
            }
            if (serverMaxWindowBits > 0) {
                header.append("; ").append(SERVER_MAX_BITS).append('=').append(serverMaxWindowBits);
            }
            return header.toString();
        }
    }

    /**
     * A server's choice among the offers in {@code extensions} (the {@code Sec-WebSocket-Extensions}
     * values), or null when it can honour none. With {@code contextTakeover} false the server
     * compresses each message alone, and says so, asked or not.
     */
    public static Agreement accept(List<String> extensions, boolean contextTakeover) {
        for (Offer offer : parse(extensions)) {
            if (!offer.name().equalsIgnoreCase(NAME) || offer.malformed()) {
                continue;
            }
            Agreement agreement = acceptOne(offer.params(), contextTakeover);
            if (agreement != null) {
                return agreement;
            }
        }
        return null;
    }

    private static Agreement acceptOne(Map<String, String> params, boolean contextTakeover) {
        int serverBits = 0;
        for (Map.Entry<String, String> param : params.entrySet()) {
            String value = param.getValue();
            switch (param.getKey()) {
                case SERVER_NO_CONTEXT, CLIENT_NO_CONTEXT:
                    if (value != null) {
                        return null;
                    }
                    break;
                case SERVER_MAX_BITS:
                    int bits = windowBits(value);
                    if (bits != 15) {
                        return null; // smaller windows are beyond java.util.zip; malformed ones are refused
                    }
                    serverBits = 15;
                    break;
                case CLIENT_MAX_BITS:
                    if (value != null && windowBits(value) < 0) {
                        return null; // any valid window is fine for the Inflater: not limited in the answer
                    }
                    break;
                default:
                    return null;
            }
        }
        return new Agreement(params.containsKey(SERVER_NO_CONTEXT) || !contextTakeover,
                params.containsKey(CLIENT_NO_CONTEXT), serverBits);
    }

    /** The offer a client sends; with {@code contextTakeover} false it says it compresses each message alone. */
    public static String offer(boolean contextTakeover) {
        return contextTakeover ? NAME : NAME + "; " + CLIENT_NO_CONTEXT;
    }

    /**
     * A client's reading of the server's answer: the agreement, or null when the server answered
     * with no extension.
     *
     * @throws IllegalArgumentException if the answer is not one this client's offer allows
     */
    public static Agreement answered(List<String> extensions, boolean contextTakeover) {
        List<Offer> answers = parse(extensions);
        if (answers.isEmpty()) {
            return null;
        }
        if (answers.size() != 1 || !answers.get(0).name().equalsIgnoreCase(NAME) || answers.get(0).malformed()) {
            throw new IllegalArgumentException("the server answered extensions not offered: " + extensions);
        }
        Map<String, String> params = answers.get(0).params();
        int serverBits = 0;
        for (Map.Entry<String, String> param : params.entrySet()) {
            switch (param.getKey()) {
                case SERVER_NO_CONTEXT, CLIENT_NO_CONTEXT:
                    if (param.getValue() != null) {
                        throw new IllegalArgumentException("a value on " + param.getKey());
                    }
                    break;
                case SERVER_MAX_BITS:
                    serverBits = windowBits(param.getValue());
                    if (serverBits < 0) {
                        throw new IllegalArgumentException("a bad server_max_window_bits: " + param.getValue());
                    }
                    break;
                default:
                    // client_max_window_bits among them: not offered, since the Deflater cannot honour it
                    throw new IllegalArgumentException("a parameter not offered: " + param.getKey());
            }
        }
        return new Agreement(params.containsKey(SERVER_NO_CONTEXT),
                params.containsKey(CLIENT_NO_CONTEXT) || !contextTakeover, serverBits);
    }

    /** 8 to 15, or -1 for anything else (null included). */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return -1;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : -1;
    }

    /** One extension of a header: its name and parameters by lower-case name (value null when none). */
    private record Offer(String name, Map<String, String> params, boolean malformed) {
    }

    /** Each extension of the header values; a parameter given twice makes it malformed. */
    private static List<Offer> parse(List<String> values) {
        List<Offer> extensions = new ArrayList<>();
        for (String extension : WebSocketHandshake.tokens(values)) {
            String[] parts = extension.split(";");
            Map<String, String> params = new LinkedHashMap<>();
            boolean malformed = false;
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i].trim();
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? null : unquote(part.substring(eq + 1).trim());
                malformed |= params.containsKey(name);
                params.put(name, value);
            }
            extensions.add(new Offer(parts[0].trim(), params, malformed));
        }
        return extensions;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
