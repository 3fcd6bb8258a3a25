package io.eddy.udp;

/**
 * A payload larger than one datagram can carry: more than {@link UdpEndpoint#MAX_PAYLOAD}
 * (65,507) bytes. Thrown at once by {@code send} and {@code request}, on the caller's thread, and
 * nothing is sent.
 *
 * <p>It is an {@link IllegalArgumentException}: the message is wrong for this transport, and
 * sending it again will not help. Split it, or use TCP.
 *
 * <p>Threading: immutable once thrown.
 */
public class DatagramTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final int limit;

    /**
     * @param size  how many bytes the payload had reached when it went over the limit (the whole
     *              payload when the encoder wrote it at once)
     * @param limit the largest payload allowed
     */
    public DatagramTooLargeException(long size, int limit) {
        super("datagram payload of " + size + " bytes exceeds the limit of " + limit + " bytes; nothing was sent");
        this.size = size;
        this.limit = limit;
    }

    /** How many bytes the payload had reached when it went over the limit. */
    public long size() {
        return size;
    }

    /** The largest payload allowed, in bytes. */
    public int limit() {
        return limit;
    }
}
