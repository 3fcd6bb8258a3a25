package io.eddy.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits a server holds every request to. Breaking one answers the request with the status
 * shown and closes the connection.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>when broken</th></tr>
 *   <tr><td>{@code maxRequestLineLength}, without its CRLF</td><td>8 KiB</td><td>414 URI Too Long</td></tr>
 *   <tr><td>{@code maxHeaderSize}: the header section, all lines with their CRLFs (trailers count too)</td>
 *       <td>16 KiB</td><td>431 Request Header Fields Too Large</td></tr>
 *   <tr><td>{@code maxHeaderCount}</td><td>100 fields</td><td>431</td></tr>
 *   <tr><td>{@code maxBodySize}: a body gathered for a handler (streamed bodies have no limit here)</td>
 *       <td>10 MiB</td><td>413 Content Too Large</td></tr>
 *   <tr><td>{@code headTimeout}: from a request's first byte to its last header line (slowloris)</td>
 *       <td>10 s</td><td>408 Request Timeout</td></tr>
 *   <tr><td>{@code idleTimeout}: a keep-alive connection with no request, or a body that stopped coming</td>
 *       <td>60 s</td><td>closed (408 if a body was cut short); checked lazily, so between one
 *       and two timeouts after the last activity</td></tr>
 *   <tr><td>{@code maxPipelinedRequests}: requests read ahead of their responses</td>
 *       <td>64</td><td>reading pauses until responses are written</td></tr>
 * </table>
 *
 * <p>Threading: immutable.
 */
public record HttpLimits(
        int maxRequestLineLength,
        int maxHeaderSize,
        int maxHeaderCount,
        long maxBodySize,
        Duration headTimeout,
        Duration idleTimeout,
        int maxPipelinedRequests) {

    private static final HttpLimits DEFAULTS = new HttpLimits(
            8 * 1024, 16 * 1024, 100, 10L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), 64);

    /** Checks every limit is positive. */
    public HttpLimits {
        positive("maxRequestLineLength", maxRequestLineLength);
        positive("maxHeaderSize", maxHeaderSize);
        positive("maxHeaderCount", maxHeaderCount);
        if (maxBodySize < 0) {
            throw new IllegalArgumentException("maxBodySize must be >= 0: " + maxBodySize);
        }
        positive("headTimeout", Objects.requireNonNull(headTimeout, "headTimeout"));
        positive("idleTimeout", Objects.requireNonNull(idleTimeout, "idleTimeout"));
        positive("maxPipelinedRequests", maxPipelinedRequests);
    }

    /** The defaults in the table above. */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    public HttpLimits withMaxRequestLineLength(int bytes) {
        return new HttpLimits(bytes, maxHeaderSize, maxHeaderCount, maxBodySize, headTimeout, idleTimeout, maxPipelinedRequests);
    }

    public HttpLimits withMaxHeaderSize(int bytes) {
        return new HttpLimits(maxRequestLineLength, bytes, maxHeaderCount, maxBodySize, headTimeout, idleTimeout, maxPipelinedRequests);
    }

    public HttpLimits withMaxHeaderCount(int fields) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSize, fields, maxBodySize, headTimeout, idleTimeout, maxPipelinedRequests);
    }

    public HttpLimits withMaxBodySize(long bytes) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSize, maxHeaderCount, bytes, headTimeout, idleTimeout, maxPipelinedRequests);
    }

    public HttpLimits withHeadTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSize, maxHeaderCount, maxBodySize, timeout, idleTimeout, maxPipelinedRequests);
    }

    public HttpLimits withIdleTimeout(Duration timeout) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSize, maxHeaderCount, maxBodySize, headTimeout, timeout, maxPipelinedRequests);
    }

    public HttpLimits withMaxPipelinedRequests(int requests) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSize, maxHeaderCount, maxBodySize, headTimeout, idleTimeout, requests);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }
}
