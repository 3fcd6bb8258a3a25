package io.eddy.core.internal;

/**
 * The port check every builder's {@code bind} makes, so that each refuses the same ports with the
 * same words. Threading: stateless.
 */
public final class Ports {

    private Ports() {
    }

    /**
     * Returns {@code port} if it is a port to bind (0: any free one).
     *
     * @throws IllegalArgumentException otherwise, saying the range
     */
    public static int requireBindable(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535 (0: any free port): " + port);
        }
        return port;
    }
}
