/**
 * Eddy's datagram endpoints: UDP sockets on the same event loop as TCP, with datagram codecs and a
 * request/response helper.
 */
module io.eddy.udp {
    requires transitive io.eddy.core;
    requires org.slf4j;

    exports io.eddy.udp;
    exports io.eddy.udp.codec;
}
