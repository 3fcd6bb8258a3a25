package io.eddy.http.websocket;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The seven permessage-deflate settings of Autobahn's section 13 (section 12 uses the first): the
 * offers the scripted peer makes when it plays the client, and how it answers a client's offer when
 * it plays the server, each as Autobahn's own peer does. Threading: constants.
 */
enum DeflateParams {
    /** 13.1: the default offer; as a server, the peer accepts it as offered. */
    DEFAULT(List.of(""), false, 0, false),
    /** 13.2: the offer asks the server not to keep its context; as a server, the peer asks the client the same. */
    NO_CONTEXT(List.of("; server_no_context_takeover"), true, 0, false),
    /** 13.3: the offer asks for a server window of 8 bits; as a server, the peer asks the client for 8 bits. */
    WINDOW_8(List.of("; server_max_window_bits=8"), false, 8, false),
    /** 13.4: as 13.3 with 15 bits. */
    WINDOW_15(List.of("; server_max_window_bits=15"), false, 15, false),
    /** 13.5: no context and an 8-bit window. */
    NO_CONTEXT_WINDOW_8(List.of("; server_no_context_takeover; server_max_window_bits=8"), true, 8, false),
    /** 13.6: no context and a 15-bit window. */
    NO_CONTEXT_WINDOW_15(List.of("; server_no_context_takeover; server_max_window_bits=15"), true, 15, false),
    /** 13.7: three offers, most demanding first; answered with the first of 13.5, 13.2, 13.1 that fits. */
    FALLBACK(List.of("; server_no_context_takeover; server_max_window_bits=8", "; server_no_context_takeover", ""),
            true, 8, true);

    /** Autobahn's client says it can do without context and take a window limit, in every offer. */
    private static final String OFFER_BASE = PerMessageDeflate.NAME + "; client_no_context_takeover; client_max_window_bits";

    private final List<String> offerRequests;
    private final boolean askNoContext;
    private final int askWindowBits;
    private final boolean fallBack;

    DeflateParams(List<String> offerRequests, boolean askNoContext, int askWindowBits, boolean fallBack) {
        this.offerRequests = offerRequests;
        this.askNoContext = askNoContext;
        this.askWindowBits = askWindowBits;
        this.fallBack = fallBack;
    }

    /** The {@code Sec-WebSocket-Extensions} value the peer offers as a client. */
    String offer() {
        List<String> offers = new ArrayList<>();
        for (String requests : offerRequests) {
            offers.add(OFFER_BASE + requests);
        }
        return String.join(", ", offers);
    }

    /**
     * The peer's answer as a server to a client's {@code Sec-WebSocket-Extensions}, or null to
     * decline (the client then has no compression: Autobahn's "unimplemented").
     */
    String answer(String offered) {
        if (offered == null) {
            return null;
        }
        for (String offer : offered.split(",")) {
            Set<String> params = params(offer);
            if (!params.remove(PerMessageDeflate.NAME)) {
                continue;
            }
            String answer = answer(params, askNoContext, askWindowBits);
            if (answer == null && fallBack) {
                answer = answer(params, true, 0);
                if (answer == null) {
                    answer = answer(params, false, 0);
                }
            }
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    /**
     * As Autobahn's server accepts: what the offer requested of the server, and what it asks of the
     * client. A server may always ask a client not to keep its context (RFC 7692 section 7.1.1.1),
     * but may limit its window only when the offer says {@code client_max_window_bits}.
     */
    private static String answer(Set<String> offer, boolean noContext, int windowBits) {
        if (windowBits > 0 && !offer.contains("client_max_window_bits")) {
            return null;
        }
        StringBuilder answer = new StringBuilder(PerMessageDeflate.NAME);
        if (offer.contains("server_no_context_takeover")) {
            answer.append("; server_no_context_takeover");
        }
        if (noContext) {
            answer.append("; client_no_context_takeover");
        }
        if (windowBits > 0) {
            answer.append("; client_max_window_bits=").append(windowBits);
        }
        return answer.toString();
    }

    /** The names of an extension's parameters (values dropped), lower case, the extension's name first. */
    static Set<String> params(String extension) {
        Set<String> params = new LinkedHashSet<>();
        for (String param : extension.split(";")) {
            String name = param.trim().toLowerCase(Locale.ROOT);
            int equals = name.indexOf('=');
            params.add(equals < 0 ? name : name.substring(0, equals).trim());
        }
        return params;
    }
}
