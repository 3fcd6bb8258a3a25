package io.eddy.bench;

/**
 * The bulk row's body: {@code GET /bulk} answers 1 MiB of the same bytes from every HTTP server,
 * as {@code application/octet-stream}, framed by {@code Content-Length}. The bytes are a fixed
 * pseudo-random pattern, made once per JVM, so a check can tell a byte out of place.
 *
 * <p>Threading: constants only; {@link #BYTES} must not be changed.
 */
final class BulkBody {

    /** The path served. */
    static final String PATH = "/bulk";
    /** The body's length: 1 MiB. */
    static final int LENGTH = 1024 * 1024;
    /** The body's type. */
    static final String CONTENT_TYPE = "application/octet-stream";
    /** The body, the same on every server; shared by every response, never written to. */
    static final byte[] BYTES = bytes();

    private BulkBody() {
    }

    /** A 64-bit xorshift sequence from a fixed seed, so the body is the same in every JVM. */
    private static byte[] bytes() {
        byte[] bytes = new byte[LENGTH];
        long x = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < LENGTH; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            for (int b = 0; b < 8; b++) {
                bytes[i + b] = (byte) (x >>> (8 * b));
            }
        }
        return bytes;
    }
}
