package io.eddy.http.server;

import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpMethod;
import io.eddy.http.HttpStatus;
import io.eddy.http.HttpVersion;
import io.eddy.http.codec.DecoderFuzzTest;
import io.eddy.http.codec.RequestPart;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * What a server running {@link #echo}'s routes owes a connection, worked out from what the decoder
 * makes of the same bytes in memory and from the server's documented rules, and the check of each
 * answer a client reads: the model of {@link HostileMixTest} (over loopback) and of
 * {@code InMemoryServerFuzzTarget} (in memory, on the fuzzer's bytes). Each request is answered in
 * order (its route's status, {@code 100 Continue} first when it waits for one and its body will be
 * read, 413 for a body over the limit, as soon as it is known), the connection is closed after a
 * request that ends it or after the error that stops the decoder, and nothing comes after that.
 * An echo names its request's method, target, body length and body CRC, so an answer that carried
 * another request's bytes would not match.
 */
final class OwedAnswers {

    private OwedAnswers() {
    }

    /** The echo route's answer: the request's method, target, body length and CRC. */
    static HttpResponse echo(HttpRequest request) {
        return HttpResponse.text(echo(request.method(), request.target(), request.body()));
    }

    static String echo(String method, String target, byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return method + " " + target + " " + body.length + " " + Long.toHexString(crc.getValue());
    }

    /**
     * An answer the server owes: its status, a 100 Continue before it or not, its body (null: not
     * checked), and whether it is the last.
     */
    record Answer(int status, boolean continued, boolean head, String body, boolean http10, boolean closes) {
        @Override
        public String toString() {
            return (continued ? "100+" : "") + status + (closes ? " and close" : "");
        }
    }

    /** What the server owes, by its rules, for the requests and the error the decoder found in the bytes. */
    static List<Answer> of(DecoderFuzzTest.Outcome outcome, Router router, long maxBody, ErrorAnswers errors) {
        HttpDecodeException error = outcome.error();
        List<Answer> answers = new ArrayList<>();
        for (DecoderFuzzTest.Decoded decoded : outcome.requests()) {
            RequestPart.Head head = decoded.head();
            HttpRequest request = new HttpRequest(head, null, null);
            boolean isHead = request.method().equals(HttpMethod.HEAD);
            boolean http10 = request.version() == HttpVersion.HTTP_1_0;
            boolean closes = !head.keepAlive();
            long length = head.bodyLength();
            Router.Match match = router.match(request);
            Answer answer;
            if (match.route() == null) {
                // Answered at once; a body is dropped only if announced, small and surely coming.
                boolean drop = !head.expectContinue() && length > 0 && length <= maxBody;
                answer = error(errors, match.status(), false, isHead, http10, closes || (head.hasBody() && !drop));
            } else if (length > maxBody) {
                answer = error(errors, HttpStatus.CONTENT_TOO_LARGE, false, isHead, http10, true);
            } else if (decoded.body().length > maxBody) {
                // A chunked body found too large as it comes: answered then, after the 100 Continue.
                answer = error(errors, HttpStatus.CONTENT_TOO_LARGE, head.expectContinue(), isHead, http10, true);
            } else if (!decoded.complete()) {
                if (error == null) {
                    // The rest of its body never comes; a client waiting to send it is told to.
                    if (head.expectContinue()) {
                        answers.add(new Answer(HttpStatus.CONTINUE, false, false, null, false, false));
                    }
                    break;
                }
                // The error cuts the body: it is this request's answer.
                answers.add(error(errors, error.status(), head.expectContinue(), isHead, http10, true));
                return answers;
            } else {
                answer = new Answer(HttpStatus.OK, head.expectContinue(), isHead,
                        echo(request.method(), request.target(), decoded.body()), http10, closes);
            }
            answers.add(answer);
            if (answer.closes()) {
                return answers;
            }
        }
        if (error != null && (outcome.requests().isEmpty() || outcome.requests().get(outcome.requests().size() - 1).complete())) {
            answers.add(error(errors, error.status(), false, false, false, true));
        }
        return answers;
    }

    private static Answer error(ErrorAnswers errors, int status, boolean continued, boolean isHead, boolean http10, boolean closes) {
        return new Answer(status, continued, isHead, errors.body(status), http10, closes || errors.closes(http10, isHead));
    }

    /**
     * Reads and checks one answer. The last before the client's end of input may say
     * {@code Connection: close} though the request did not ask for it.
     */
    static void check(String about, Answer answer, WireClient client, boolean lastBeforeInputEnd) throws IOException {
        WireClient.Response response = client.read(answer.head());
        if (answer.continued()) {
            if (response.status() != 100) {
                throw new AssertionError(about + ": " + response.status() + " " + response.headers() + " instead of 100 Continue");
            }
            response = client.read(answer.head());
        }
        String said = response.header("Connection");
        String connection = answer.closes() ? "close" : answer.http10() ? "keep-alive" : null;
        if (response.status() != answer.status()
                || !(Objects.equals(connection, said) || (lastBeforeInputEnd && "close".equals(said)))
                || (answer.body() != null && !answer.head() && !answer.body().equals(response.text()))) {
            throw new AssertionError(about + ": " + response.status() + " " + response.headers() + " "
                    + new String(response.body(), ISO_8859_1) + " instead of " + answer + " " + answer.body()
                    + ", Connection: " + connection);
        }
    }
}
