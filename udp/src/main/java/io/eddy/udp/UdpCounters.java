package io.eddy.udp;

/**
 * What one endpoint has done so far: a snapshot from {@link UdpEndpoint#counters()}.
 *
 * <p>Each field is read on its own, so a snapshot taken while the endpoint runs may be off by a
 * datagram or two between fields. Threading: an immutable value.
 *
 * @param datagramsIn      datagrams received (malformed ones included)
 * @param bytesIn          payload bytes received
 * @param datagramsOut     datagrams handed to the operating system
 * @param bytesOut         payload bytes handed to the operating system
 * @param droppedQueueFull datagrams dropped because the send queue was full (by its
 *                         {@link DropPolicy})
 * @param droppedMalformed datagrams received that the codec could not decode, dropped
 * @param droppedUnsent    datagrams never sent: the socket refused them with an error, or the
 *                         endpoint closed before they left
 * @param unreachable      reports from the network that an earlier datagram found no receiver
 *                         (ICMP port unreachable; only a connected endpoint hears them). A report
 *                         heard on a send costs that send nothing: it is tried once more
 * @param handlerFailures  times the handler threw
 */
public record UdpCounters(long datagramsIn, long bytesIn, long datagramsOut, long bytesOut,
                          long droppedQueueFull, long droppedMalformed, long droppedUnsent,
                          long unreachable, long handlerFailures) {

    /** Every datagram dropped, whatever the reason: queue full, malformed, unsent. */
    public long dropped() {
        return droppedQueueFull + droppedMalformed + droppedUnsent;
    }
}
