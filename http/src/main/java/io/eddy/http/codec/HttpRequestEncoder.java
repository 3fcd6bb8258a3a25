package io.eddy.http.codec;

import io.eddy.core.codec.ByteSink;
import io.eddy.core.codec.Encoder;
import io.eddy.http.HeaderNames;
import io.eddy.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes {@link ClientRequestPart}s as HTTP/1.1: a request line in origin form, {@code Host} from the
 * URL, {@code User-Agent}, the request's headers, then the framing the client owns: a
 * {@code Content-Length} for a body of bytes (also {@code 0} for an empty body of a method that
 * usually has one), {@code Transfer-Encoding: chunked} for a streamed body, nothing for a request
 * without a body. The body follows the head, exactly its length: no stray line ends.
 *
 * <p>Threading: one encoder per connection, used on its loop thread only.
 */
public final class HttpRequestEncoder implements Encoder<ClientRequestPart> {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    @Override
    public void encode(ClientRequestPart part, ByteSink out) {
        if (part instanceof ClientRequestPart.Head head) {
            encodeHead(head, out);
        } else if (part instanceof ClientRequestPart.Chunk chunk) {
            ByteBuffer data = chunk.data();
            if (data.hasRemaining()) {
                out.write(ascii(Integer.toHexString(data.remaining()) + "\r\n"));
                out.transfer(data);
                out.write(CRLF);
            }
        } else if (part instanceof ClientRequestPart.Last last) {
            HttpHeaders trailers = last.trailers();
            if (trailers == null || trailers.isEmpty()) {
                out.write(LAST_CHUNK);
            } else {
                StringBuilder s = new StringBuilder("0\r\n");
                appendFields(s, trailers);
                out.write(latin1(s.append("\r\n")));
            }
        }
    }

    private static void encodeHead(ClientRequestPart.Head head, ByteSink out) {
        StringBuilder s = new StringBuilder(256);
        s.append(head.method()).append(' ').append(head.target()).append(" HTTP/1.1\r\n");
        s.append("Host: ").append(head.authority()).append("\r\n");
        HttpHeaders headers = head.headers();
        if (head.userAgent() != null && !headers.contains(HeaderNames.USER_AGENT)) {
            s.append("User-Agent: ").append(head.userAgent()).append("\r\n");
        }
        appendFields(s, headers);
        byte[] body = head.body();
        if (head.streamed()) {
            s.append("Transfer-Encoding: chunked\r\n");
        } else if (body != null) {
            s.append("Content-Length: ").append(body.length).append("\r\n");
        }
        out.write(latin1(s.append("\r\n")));
        if (body != null && body.length > 0) {
            // Small: copied next to the head. Large: queued as it is (the request owns its bytes,
            // and a retry or redirect wraps them again).
            out.transfer(ByteBuffer.wrap(body));
        }
    }

    private static void appendFields(StringBuilder s, HttpHeaders fields) {
        for (int i = 0; i < fields.size(); i++) {
            s.append(fields.name(i)).append(": ").append(fields.value(i)).append("\r\n");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] latin1(CharSequence s) {
        // Names and values were checked when added: no character above 0xFF, no CR or LF.
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
