package io.eddy.http;


/**
 * The limits the client holds every response to, as the server's {@code HttpLimits} holds
 * requests. A response that breaks one fails its request with an {@link io.eddy.http.client.HttpClientException}
 * ({@link io.eddy.http.client.HttpClientException.Kind#BAD_RESPONSE}) naming the limit, and closes that connection only.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>{@code maxHeaderSize}</td><td>64 KiB</td>
 *       <td>the status line and header section, every line with its CRLF (trailers count too),
 *       interim 1xx responses each on their own</td></tr>
 *   <tr><td>{@code maxHeaderCount}</td><td>100 fields</td><td>fields of the header section, and of the trailers</td></tr>
 *   <tr><td>{@code maxBodySize}</td><td>16 MiB</td>
 *       <td>the body gathered into the {@link io.eddy.http.client.Response}: refused at the head when its
 *       {@code Content-Length} says more, else as soon as more has arrived</td></tr>
 * </table>
 *
 * <p>Threading: immutable.
 *
 * @param maxHeaderSize  bytes of the status line and header section
 * @param maxHeaderCount header fields
 * @param maxBodySize    bytes of the body
 */
public record ResponseLimits(int maxHeaderSize, int maxHeaderCount, long maxBodySize) {

    private static final ResponseLimits DEFAULTS = new ResponseLimits(64 * 1024, 100, 16L * 1024 * 1024);

    /** Checks every limit is positive (a body limit may be zero) and a body fits in an array. */
    public ResponseLimits {
        if (maxHeaderSize < 1 || maxHeaderCount < 1) {
            throw new IllegalArgumentException("maxHeaderSize and maxHeaderCount must be > 0: "
                    + maxHeaderSize + ", " + maxHeaderCount);
        }
        if (maxBodySize < 0 || maxBodySize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxBodySize must be between 0 and " + (Integer.MAX_VALUE - 16)
                    + ": " + maxBodySize);
        }
    }

    /** The defaults in the table above. */
    public static ResponseLimits defaults() {
        return DEFAULTS;
    }

    /** A copy with this header section limit. */
    public ResponseLimits withMaxHeaderSize(int bytes) {
        return new ResponseLimits(bytes, maxHeaderCount, maxBodySize);
    }

    /** A copy with this header count limit. */
    public ResponseLimits withMaxHeaderCount(int fields) {
        return new ResponseLimits(maxHeaderSize, fields, maxBodySize);
    }

    /** A copy with this body limit. */
    public ResponseLimits withMaxBodySize(long bytes) {
        return new ResponseLimits(maxHeaderSize, maxHeaderCount, bytes);
    }
}
