package io.eddy.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Requests refuse, when they are built, what no connection could send. */
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
}
