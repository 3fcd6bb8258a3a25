package io.eddy.udp;

/**
 * Receives an endpoint's datagrams, decoded, and replies through the endpoint.
 *
 * <pre>{@code
 * DatagramHandler<String, String> over = (endpoint, datagram) -> endpoint.send(datagram.sender(), "over");
 * }</pre>
 *
 * <p><b>Threading.</b> Every method runs on the endpoint's loop thread and must not block: work
 * that blocks goes to an {@code Executor}, and its answer comes back with
 * {@link UdpEndpoint#send}, which is safe from any thread.
 *
 * <p>A method that throws is logged (the first failure and every thousandth at error level, the
 * rest at debug) and counted in {@link UdpCounters#handlerFailures()}; the endpoint, its loop and
 * every other channel on it go on. Unlike a TCP connection there is nothing to close: the next
 * datagram may come from anyone.
 *
 * @param <I> payloads received, as the codec decodes them
 * @param <O> payloads sent, as the codec encodes them
 */
@FunctionalInterface
public interface DatagramHandler<I, O> {

    /** A datagram arrived and its payload decoded. */
    void onDatagram(UdpEndpoint<I, O> endpoint, Datagram<I> datagram) throws Exception;

    /** The endpoint has closed: its socket is released. The last call for this endpoint. */
    default void onClose(UdpEndpoint<I, O> endpoint) throws Exception {
    }
}
