/**
 * UDP on the same event loop as TCP: a {@link io.eddy.udp.UdpEndpoint} is one datagram socket with
 * a codec, a {@link io.eddy.udp.DatagramHandler}, a bounded send queue with a
 * {@link io.eddy.udp.DropPolicy}, and {@link io.eddy.udp.UdpCounters}; on a group of loops,
 * {@link io.eddy.udp.UdpEndpoints}. {@link io.eddy.udp.UdpRequester} sends requests and matches
 * their replies, with a timeout and retries.
 *
 * <p>Threading: the handler runs on the endpoint's loop thread; {@code send} and {@code close} are
 * safe from any thread.
 */
package io.eddy.udp;
