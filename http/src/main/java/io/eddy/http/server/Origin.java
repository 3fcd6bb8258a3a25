package io.eddy.http.server;

import java.net.InetSocketAddress;

/**
 * Where a request came from and what URL it asked for, as the server believes it: the
 * connection's own view, or a trusted proxy's (see {@link Forwarding}).
 *
 * @param client the client's address (port 0 when a proxy named only the address)
 * @param scheme {@code http} or {@code https}
 * @param host   the host (and port) the client asked for, or null when unknown
 *
 * <p>Threading: immutable.
 */
record Origin(InetSocketAddress client, String scheme, String host) {
}
