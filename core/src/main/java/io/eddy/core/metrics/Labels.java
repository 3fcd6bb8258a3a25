package io.eddy.core.metrics;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Label values Eddy's endpoints share, so that a TCP server, the HTTP server on it and a UDP
 * endpoint name an address the same way.
 *
 * <p>Threading: stateless.
 */
public final class Labels {

    private Labels() {
    }

    /** An address as a label: {@code 127.0.0.1:9990}, {@code [::1]:8080}, {@code 0.0.0.0:80}. */
    public static String address(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
