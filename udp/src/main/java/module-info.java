/** Eddy's datagram endpoints. Not yet written: it exports nothing so far. */
module io.eddy.udp {
    requires io.eddy.core;
}
