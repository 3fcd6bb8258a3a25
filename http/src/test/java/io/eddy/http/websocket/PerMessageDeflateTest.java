package io.eddy.http.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The negotiation of permessage-deflate: what the JDK can honour is agreed, the rest declined. */
class PerMessageDeflateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "permessage-deflate                                                   | permessage-deflate",
            "permessage-deflate; client_max_window_bits                           | permessage-deflate",
            "permessage-deflate; client_max_window_bits=10                        | permessage-deflate",
            "permessage-deflate; server_no_context_takeover                       | permessage-deflate; server_no_context_takeover",
            "permessage-deflate; client_no_context_takeover                       | permessage-deflate; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits=15                        | permessage-deflate; server_max_window_bits=15",
            "permessage-deflate; server_max_window_bits=10, permessage-deflate    | permessage-deflate",
            "x-webkit-deflate-frame, permessage-deflate; server_max_window_bits=\"15\" | permessage-deflate; server_max_window_bits=15"})
    void acceptsTheFirstOfferItCanHonour(String offer, String answer) {
        assertEquals(answer, PerMessageDeflate.accept(List.of(offer), true).header());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "permessage-deflate; server_max_window_bits=9",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; unknown_parameter",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; server_no_context_takeover=1",
            "x-webkit-deflate-frame"})
    void declinesWhatItCannotHonour(String offer) {
        assertNull(PerMessageDeflate.accept(List.of(offer), true));
    }

    @Test
    void aServerWithoutContextTakeoverSaysSoUnasked() {
        assertEquals("permessage-deflate; server_no_context_takeover",
                PerMessageDeflate.accept(List.of("permessage-deflate"), false).header());
    }

    @Test
    void aClientChecksTheAnswerAgainstItsOffer() {
        assertEquals(new PerMessageDeflate.Agreement(true, true, 12),
                PerMessageDeflate.answered(List.of("permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
                        + " server_max_window_bits=12"), true));
        assertNull(PerMessageDeflate.answered(List.of(), true));
        assertThrows(IllegalArgumentException.class,
                () -> PerMessageDeflate.answered(List.of("permessage-deflate; client_max_window_bits=10"), true));
        assertThrows(IllegalArgumentException.class, () -> PerMessageDeflate.answered(List.of("other-extension"), true));
    }

    @Test
    void theHandshakeKeyAndAccept() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.accept("dGhlIHNhbXBsZSBub25jZQ=="));
        String key = WebSocketHandshake.newKey();
        assertEquals(true, WebSocketHandshake.isValidKey(key));
        assertEquals(false, WebSocketHandshake.isValidKey("dGhlIHNhbXBsZQ=="));
    }
}
