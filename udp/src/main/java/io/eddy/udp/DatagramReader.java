package io.eddy.udp;

import io.eddy.core.codec.DecodeException;
import io.eddy.core.loop.EventLoop;
import io.eddy.udp.codec.DatagramCodec;
import io.eddy.udp.internal.Counters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side of one endpoint: reads the datagrams waiting in its socket, decodes each and
 * hands it to the handler, one at a time.
 *
 * <p>At most {@link UdpEndpoint#DATAGRAMS_PER_WAKEUP} datagrams per call. Each is read into the
 * loop's read buffer when that holds 64 KiB (the default), otherwise into 64 KiB of the reader's
 * own: more than the largest datagram (65,527 payload bytes over IPv6), so none is cut short. A
 * datagram that does not decode, or on which the codec throws anything (a stack overflow or a
 * failed assertion included; only other {@link VirtualMachineError}s end the loop), is dropped and
 * counted as malformed; a handler that throws is counted; neither stops the reader. Logs under
 * {@link UdpEndpoint}'s name.
 *
 * <p>Threading: loop thread only.
 */
final class DatagramReader<I, O> {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(UdpEndpoint.class);

    private final UdpEndpoint<I, O> endpoint;
    private final DatagramChannel channel;
    private final DatagramCodec<I, O> codec;
    private final DatagramHandler<I, O> handler;
    private final Counters counters;
    private ByteBuffer ownBuffer;

    DatagramReader(UdpEndpoint<I, O> endpoint, DatagramChannel channel, DatagramCodec<I, O> codec,
                   DatagramHandler<I, O> handler, Counters counters) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.codec = codec;
        this.handler = handler;
        this.counters = counters;
    }

    /** The socket is readable: reads, decodes and delivers what waits there, up to the batch limit. */
    void readReady() {
        endpoint.deliveryStarted();
        try {
            readBatch();
        } finally {
            endpoint.deliveryEnded();
        }
    }

    private void readBatch() {
        ByteBuffer buffer = buffer();
        for (int i = 0; i < UdpEndpoint.DATAGRAMS_PER_WAKEUP && endpoint.isOpen(); i++) {
            buffer.clear();
            SocketAddress sender;
            try {
                sender = channel.receive(buffer);
            } catch (PortUnreachableException e) {
                // A connected endpoint hears that an earlier datagram found no receiver.
                counters.unreachable();
                log.debug("{}: {} reported unreachable", endpoint, endpoint.remoteAddress());
                continue;
            } catch (ClosedChannelException e) {
                log.warn("{}: socket closed under the endpoint", endpoint);
                endpoint.close();
                return;
            } catch (IOException e) {
                log.warn("{}: receiving failed; trying again when the socket is next readable", endpoint, e);
                return;
            }
            if (sender == null) {
                return;
            }
            buffer.flip();
            counters.received(buffer.remaining());
            deliver((InetSocketAddress) sender, buffer);
        }
    }

    private ByteBuffer buffer() {
        ByteBuffer shared = endpoint.loop().readBuffer();
        if (shared.capacity() >= BUFFER_SIZE) {
            return shared;
        }
        if (ownBuffer == null) {
            log.debug("{}: the loop's read buffer holds {} bytes, too few for every datagram; using 64 KiB of its own",
                    endpoint, shared.capacity());
            ownBuffer = ByteBuffer.allocate(BUFFER_SIZE);
        }
        return ownBuffer;
    }

    private void deliver(InetSocketAddress sender, ByteBuffer payload) {
        int length = payload.remaining();
        I message;
        try {
            message = codec.decode(payload);
        } catch (DecodeException e) {
            counters.malformed();
            log.debug("{}: dropped a malformed datagram of {} bytes from {}: {}", endpoint, length, sender, e.getMessage());
            return;
        } catch (Throwable t) {
            // A bug in the codec, Errors included (a stack overflow, a failed assertion): one
            // datagram's problem, not the endpoint's. Only a fatal error of the VM goes on up.
            EventLoop.rethrowIfFatal(t);
            long malformed = counters.malformed();
            if (Counters.worthLogging(malformed)) {
                log.warn("{}: the codec threw on a datagram of {} bytes from {}; dropped it ({} malformed so far)",
                        endpoint, length, sender, malformed, t);
            } else {
                log.debug("{}: the codec threw on a datagram from {}: {}", endpoint, sender, t.toString());
            }
            return;
        }
        if (message == null) {
            return;   // the codec chose to ignore it
        }
        try {
            handler.onDatagram(endpoint, new Datagram<>(sender, message));
        } catch (Throwable t) {
            EventLoop.rethrowIfFatal(t);
            long failures = counters.handlerFailed();
            if (Counters.worthLogging(failures)) {
                log.error("{}: the handler failed on a datagram from {} ({} failures so far); the endpoint goes on",
                        endpoint, sender, failures, t);
            } else {
                log.debug("{}: the handler failed on a datagram from {}: {}", endpoint, sender, t.toString());
            }
        }
    }
}
