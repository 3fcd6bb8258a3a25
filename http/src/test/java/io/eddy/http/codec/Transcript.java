package io.eddy.http.codec;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.TestChannel;
import io.eddy.http.HttpDecodeException;
import io.eddy.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * What a request decoder produced, as text to compare: each head with its fields, a body's bytes
 * joined however they were cut into parts, each end with its trailers. {@code Started} is counted,
 * not written, since it depends on how the bytes were split.
 *
 * <pre>
 * GET /a?x=1 HTTP/1.1 path=/a query=x=1 body=0 keepAlive=true continue=false
 *   Host: x
 * BODY hello
 * END
 *   Trailer: t
 * </pre>
 *
 * <p>As a connection's handler it also keeps the decode error that closed the connection.
 */
public final class Transcript implements Handler<RequestPart, ResponsePart> {

    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int heads;
    private int started;
    private HttpDecodeException error;

    /** A channel running the request decoder with {@code decoder}, reporting to a new transcript. */
    public static Channel channel(HttpRequestDecoder decoder) {
        Transcript transcript = new Transcript();
        return new Channel(TestChannel.of(Codec.of(decoder, new HttpResponseEncoder()), transcript), transcript);
    }

    /** A test channel with the transcript of what it decoded. */
    public record Channel(TestChannel<RequestPart, ResponsePart> channel, Transcript transcript) {
    }

    /** What a strict decoder makes of {@code wire} delivered in reads of {@code chunk} bytes. */
    public static Transcript ofChunks(byte[] wire, int chunk) {
        Channel c = channel(new HttpRequestDecoder());
        c.channel().feedInChunks(wire, chunk);
        return c.transcript();
    }

    /**
     * Drives {@code decoder} directly as a connection would, one byte more each time: the bytes it
     * left are handed back with the next byte appended, each time at another offset of another
     * array, and it is called until it returns null.
     */
    public static Transcript ofGrowingBuffer(byte[] wire, HttpRequestDecoder decoder) throws HttpDecodeException {
        Transcript transcript = new Transcript();
        byte[] left = new byte[0];
        for (int i = 0; i < wire.length; i++) {
            int offset = i % 5;
            byte[] array = new byte[offset + left.length + 1 + i % 3];
            System.arraycopy(left, 0, array, offset, left.length);
            array[offset + left.length] = wire[i];
            ByteBuffer in = ByteBuffer.wrap(array, offset, left.length + 1).slice();
            RequestPart part;
            while ((part = decoder.decode(in)) != null) {
                transcript.add(part);
            }
            left = new byte[in.remaining()];
            in.get(left);
        }
        return transcript;
    }

    @Override
    public void onMessage(Connection<ResponsePart> connection, RequestPart part) {
        add(part);
    }

    @Override
    public void onDecodeError(Connection<ResponsePart> connection, DecodeException e) {
        error = (HttpDecodeException) e;
    }

    public void add(RequestPart part) {
        if (part instanceof RequestPart.Started) {
            started++;
        } else if (part instanceof RequestPart.Head head) {
            heads++;
            RequestPart.Head r = head;
            text.append(r.method()).append(' ').append(r.target()).append(' ').append(r.version())
                    .append(" path=").append(r.path()).append(" query=").append(r.rawQuery())
                    .append(" body=").append(head.bodyLength()).append(" keepAlive=").append(head.keepAlive())
                    .append(" continue=").append(head.expectContinue()).append('\n');
            fields(r.headers());
        } else if (part instanceof RequestPart.Body b) {
            ByteBuffer data = b.data().duplicate();
            while (data.hasRemaining()) {
                body.write(data.get());
            }
        } else if (part instanceof RequestPart.End end) {
            text.append("BODY ").append(body.toString(ISO_8859_1)).append('\n');
            body.reset();
            text.append("END\n");
            fields(end.trailers());
        }
    }

    private void fields(HttpHeaders headers) {
        headers.forEach((name, value) -> text.append("  ").append(name).append(": ").append(value).append('\n'));
    }

    /** The transcript so far (body bytes not yet ended are left out). */
    public String text() {
        return text.toString();
    }

    public int heads() {
        return heads;
    }

    public int started() {
        return started;
    }

    /** The error that closed the connection, or null. */
    public HttpDecodeException error() {
        return error;
    }

    @Override
    public String toString() {
        return text();
    }
}
