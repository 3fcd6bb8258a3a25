package io.eddy.http.internal;

import io.eddy.http.HttpHeaders;
import io.eddy.http.server.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A body as text, by its Content-Type's charset parameter: the same for the server's requests and the client's responses. */
class BodyTextTest {

    static Stream<Arguments> contentTypes() {
        return Stream.of(
                Arguments.of(null, "UTF-8"),
                Arguments.of("text/plain", "UTF-8"),
                Arguments.of("text/plain; charset=ISO-8859-1", "ISO-8859-1"),
                Arguments.of("text/plain;CHARSET=\"iso-8859-1\"", "ISO-8859-1"),
                Arguments.of("text/plain; charset=no-such-charset", "UTF-8"),
                // "charset=" inside another parameter's value names no charset.
                Arguments.of("text/plain; name=\"charset=ISO-8859-1\"", "UTF-8"),
                Arguments.of("multipart/form-data; boundary=charset=latin1", "UTF-8"));
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void readsTheCharsetParameterOnly(String contentType, String charset) {
        assertEquals(charset, BodyText.charset(contentType).name());
    }

    @ParameterizedTest
    @MethodSource("contentTypes")
    void aServerRequestReadsItsBodyTheSameWay(String contentType, String charset) {
        byte[] body = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = contentType == null ? new HttpHeaders() : HttpHeaders.of("Content-Type", contentType);
        HttpRequest request = HttpRequest.of("POST", "/", headers, body);
        assertEquals(new String(body, java.nio.charset.Charset.forName(charset)), request.bodyText());
    }
}
