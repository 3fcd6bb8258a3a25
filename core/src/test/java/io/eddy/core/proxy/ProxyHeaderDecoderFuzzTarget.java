package io.eddy.core.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.codec.BytesCodec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.core.testing.FuzzInput;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Coverage-guided fuzzing of {@link ProxyHeaderDecoder}, versions 1 and 2. The fuzzer chooses the
 * bytes, the reads they come in, {@code maxHeaderSize} (the smallest the protocol allows, a small
 * one, the default or the largest) and whether each read asks for no more than
 * {@link ProxyHeaderDecoder#wanted()}, as a TCP connection reads. Whatever the bytes:
 *
 * <ul>
 *   <li>only a {@link DecodeException} escapes, and nothing is decoded after it;</li>
 *   <li>the limits hold: a version 1 header takes at most 107 bytes and fails on the 108th without
 *       CRLF; a version 2 header takes at most {@code maxHeaderSize} bytes, and one announcing more
 *       fails as soon as its 16 fixed bytes are in, before any of its body;</li>
 *   <li>while the header is not whole, a read takes every byte it is given and {@code wanted()}
 *       asks for at least one more (a connection that reads {@code wanted()} bytes must never be
 *       left reading nothing);</li>
 *   <li>whole or in any reads, the bytes decode to the same header at the same place, the same
 *       error after the same bytes, or nothing yet;</li>
 *   <li>the decoder takes the header's bytes and not one more, and through a connection's pipeline
 *       (a {@code TestChannel} on a listener that expects a header) every byte after the header
 *       reaches the codec untouched, with the header on the connection; a malformed header closes
 *       the connection with {@code PROXY_HEADER_ERROR} and the handler never hears of it;</li>
 *   <li>a decoded header, encoded again, decodes to the same header (a CRC32C it carries is
 *       computed anew).</li>
 * </ul>
 */
class ProxyHeaderDecoderFuzzTarget {

    private static final int[] MAX_HEADER_SIZES = {ProxyProtocol.MIN_MAX_HEADER_SIZE, 512,
        ProxyProtocol.DEFAULT_MAX_HEADER_SIZE, ProxyProtocol.MAX_MAX_HEADER_SIZE};
    private static final InetSocketAddress BALANCER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @FuzzTest
    void decodesAHeaderOrATypedErrorTheSameInAnyReadsAndPassesOnTheRest(byte[] data) {
        FuzzInput input = FuzzInput.of(data);
        int max = MAX_HEADER_SIZES[input.bits(0, 2)];
        boolean readsWanted = input.flag(2);
        byte[] stream = input.stream();
        String where = "maxHeaderSize " + max + (readsWanted ? ", reads of wanted()" : "") + ", stream "
                + HexFormat.of().formatHex(stream);

        Outcome whole = decode(stream, new int[] {Math.max(1, stream.length)}, max, false, where);
        Outcome cut = decode(stream, input.reads(), max, readsWanted, where);
        if (!whole.equals(cut)) {
            throw new AssertionError(where + ": in one read " + whole + ", in reads " + cut);
        }
        checkLimits(whole, max, where);
        if (whole.header() != null) {
            checkRoundTrip(whole.header(), where);
        }
        checkPipeline(stream, input.reads(), max, whole, where);
    }

    /**
     * What decoding made of a stream: the header and the bytes it took, or the error's message and
     * the bytes taken when it was thrown, or neither (the stream ended first).
     */
    record Outcome(ProxyHeader header, int taken, String error) {

        @Override
        public String toString() {
            return header != null ? header + " in " + taken + " bytes"
                    : error != null ? "refused after " + taken + " bytes: " + error : "incomplete";
        }
    }

    /**
     * Feeds {@code stream} in reads of {@code reads} bytes, each cut to {@code wanted()} when
     * {@code readsWanted}, as a connection reads into its buffer.
     */
    private static Outcome decode(byte[] stream, int[] reads, int max, boolean readsWanted, String where) {
        ProxyHeaderDecoder decoder = new ProxyHeaderDecoder(max);
        int at = 0;
        for (int read : reads) {
            int end = Math.min(stream.length, at + read);
            while (at < end) {
                int wanted = decoder.wanted();
                if (wanted < 1) {
                    throw new AssertionError(where + ": after " + at + " bytes without a whole header, wanted() is "
                            + wanted + ": a connection reading that much would read nothing and spin");
                }
                ByteBuffer piece = ByteBuffer.wrap(stream, at, readsWanted ? Math.min(end - at, wanted) : end - at);
                ProxyHeader header;
                try {
                    header = decoder.decode(piece);
                } catch (DecodeException e) {
                    return new Outcome(null, piece.position(), e.getMessage());
                } catch (RuntimeException e) {
                    throw new AssertionError(where + ": after " + at + " bytes the decoder threw " + e, e);
                }
                if (header == null && piece.hasRemaining()) {
                    throw new AssertionError(where + ": no header yet, but " + piece.remaining() + " bytes of a read left");
                }
                at = piece.position();
                if (header != null) {
                    if (decoder.wanted() != 0 || decoder.header() != header) {
                        throw new AssertionError(where + ": a whole header, yet wanted() " + decoder.wanted());
                    }
                    return new Outcome(header, at, null);
                }
            }
        }
        return new Outcome(null, at, null);
    }

    private static void checkLimits(Outcome outcome, int max, String where) {
        ProxyHeader header = outcome.header();
        if (header != null && header.version() == 1 && outcome.taken() > ProxyHeaderDecoder.V1_MAX_LENGTH) {
            throw new AssertionError(where + ": a v1 header of " + outcome.taken() + " bytes");
        }
        if (header != null && header.version() == 2 && outcome.taken() > max) {
            throw new AssertionError(where + ": a v2 header of " + outcome.taken() + " bytes, over " + max);
        }
        String error = outcome.error();
        // The messages' openings: a message may quote the fuzzer's bytes, which may say anything.
        if (error != null && error.startsWith("a PROXY v2 header of ") && outcome.taken() != 16) {
            throw new AssertionError(where + ": refused for its size after " + outcome.taken()
                    + " bytes, not as soon as its 16 fixed bytes were in");
        }
        if (error != null && error.startsWith("a PROXY v1 header has no CRLF")
                && outcome.taken() != ProxyHeaderDecoder.V1_MAX_LENGTH + 1) {
            throw new AssertionError(where + ": refused for its length after " + outcome.taken() + " bytes");
        }
    }

    /** Encodes {@code header} and decodes it again: the same header, CRC32C values aside. */
    private static void checkRoundTrip(ProxyHeader header, String where) {
        if (header.tlvs().stream().filter(t -> t.type() == ProxyHeader.TYPE_CRC32C).count() > 1) {
            return; // only the first is computed on encoding; a second could only match by chance
        }
        byte[] encoded;
        try {
            encoded = header.encode();
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": decoded " + header + ", which cannot be encoded: " + e, e);
        }
        Outcome again = decode(encoded, new int[] {encoded.length}, ProxyProtocol.MAX_MAX_HEADER_SIZE, false, where);
        if (again.header() == null || again.taken() != encoded.length
                || !withoutCrc(again.header()).equals(withoutCrc(header))) {
            throw new AssertionError(where + ": decoded " + header + ", encoded as "
                    + HexFormat.of().formatHex(encoded) + ", which decodes as " + again);
        }
    }

    private static List<Object> withoutCrc(ProxyHeader header) {
        List<ProxyHeader.Tlv> tlvs = header.tlvs().stream()
                .map(t -> t.type() == ProxyHeader.TYPE_CRC32C ? ProxyHeader.Tlv.crc32c() : t).toList();
        return Arrays.asList(header.version(), header.command(), header.source(), header.destination(), tlvs);
    }

    /** The same stream through a connection's pipeline: the header on the connection, the rest to the codec. */
    private static void checkPipeline(byte[] stream, int[] reads, int max, Outcome outcome, String where) {
        Received handler = new Received();
        TestChannel<ByteBuffer, ByteBuffer> channel = TestChannel.behindProxy(
                ProxyProtocol.required().withMaxHeaderSize(max), BALANCER, new BytesCodec(), handler);
        int at = 0;
        for (int read : reads) {
            int n = Math.min(read, stream.length - at);
            if (n > 0) {
                channel.feedInChunks(Arrays.copyOfRange(stream, at, at + n), n);
            }
            at += n;
        }
        boolean openBeforeEnd = channel.isOpen();
        channel.feedEnd();
        if (outcome.header() != null) {
            byte[] rest = Arrays.copyOfRange(stream, outcome.taken(), stream.length);
            if (!handler.opened || !Objects.equals(channel.proxyHeader().orElse(null), outcome.header())
                    || !Arrays.equals(handler.bytes.toByteArray(), rest)) {
                throw new AssertionError(where + ": the connection opened " + handler.opened + " with "
                        + channel.proxyHeader() + " and passed on " + HexFormat.of().formatHex(handler.bytes.toByteArray())
                        + ", not the " + rest.length + " bytes after the header");
            }
            return;
        }
        CloseReason.Kind closed = channel.closeReason() == null ? null : channel.closeReason().kind();
        if (handler.opened || closed != CloseReason.Kind.PROXY_HEADER_ERROR || openBeforeEnd != (outcome.error() == null)) {
            throw new AssertionError(where + ": " + outcome + ", yet the handler opened " + handler.opened
                    + ", the connection open before the end " + openBeforeEnd + " and closed with " + closed);
        }
    }

    /** Whether the handler opened, and the bytes it received. */
    private static final class Received implements Handler<ByteBuffer, ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean opened;

        @Override
        public void onOpen(Connection<ByteBuffer> connection) {
            opened = true;
        }

        @Override
        public void onMessage(Connection<ByteBuffer> connection, ByteBuffer message) {
            byte[] copy = new byte[message.remaining()];
            message.get(copy);
            bytes.writeBytes(copy);
        }
    }
}
