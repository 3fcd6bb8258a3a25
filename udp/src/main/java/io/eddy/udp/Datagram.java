package io.eddy.udp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One datagram received: who sent it and its payload, as the endpoint's codec decoded it. Reply
 * with {@code endpoint.send(datagram.sender(), reply)}.
 *
 * <p>Threading: immutable itself; whether the payload may be kept after the handler's call, or
 * handed to another thread, is up to the codec. Every codec of this module decodes into values
 * that may: none is a view of the loop's read buffer ({@code FramedDatagramCodec} copies the frames
 * that core decoders return as views).
 *
 * @param sender  the address the datagram came from
 * @param payload the decoded payload
 * @param <T>     the decoded payload's type
 */
public record Datagram<T>(InetSocketAddress sender, T payload) {

    /** A datagram from {@code sender}; neither may be null. */
    public Datagram {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payload, "payload");
    }
}
