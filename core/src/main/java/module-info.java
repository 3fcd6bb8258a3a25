/**
 * Eddy's core: the event loop, TCP server and client, the codec pipeline and the core codecs, TLS
 * configuration, metrics, and the in-memory test channel.
 */
module io.eddy.core {
    requires org.slf4j;
    // Flight recorder events (connections, loop stalls, TLS handshakes), off unless a recording asks.
    requires jdk.jfr;

    exports io.eddy.core.loop;
    exports io.eddy.core.net;
    exports io.eddy.core.codec;
    exports io.eddy.core.tls;
    exports io.eddy.core.metrics;
    exports io.eddy.core.proxy;
    exports io.eddy.core.testing;
    // Only the builders of the other modules use it, to handle socket options as the core ones do.
    exports io.eddy.core.internal to io.eddy.udp;
}
