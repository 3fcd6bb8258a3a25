package io.eddy.http.websocket;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eddy.core.codec.Codec;
import io.eddy.core.testing.FuzzInput;
import io.eddy.core.testing.TestChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of what a WebSocket reads: {@link FrameDecoder} and
 * {@link MessageAssembler} as a connection chains them (control frames aside, data frames made
 * messages), on the side, limits, piece size and permessage-deflate agreement the fuzzer picks.
 * Whatever the bytes:
 *
 * <ul>
 *   <li>nothing but a {@link WebSocketException} escapes, and only with 1002, 1007 or 1009;</li>
 *   <li>no piece of a frame is longer than the piece size or the frame limit, no message longer
 *       than the message limit, and inflating a compressed message never grows its buffer past
 *       the message limit (and one byte, to see the overflow);</li>
 *   <li>the stream in one read and in the fuzzer's reads decodes to the same messages, control
 *       frames and error;</li>
 *   <li>every message and control frame decoded, encoded again (fragmented, and compressed where
 *       agreed) and decoded by a fresh pair, is the same.</li>
 * </ul>
 *
 * <p>Settings: bit 0 the client's side (unmasked frames), bit 1 deflate agreed, bit 2 the peer
 * compresses without context, bits 3-4 the frame limit, 5-6 the message limit, 7-9 the piece
 * size, 10-11 the fragment size of the round trip.
 */
class WebSocketFrameFuzzTarget {

    private static final int[] FRAME_LIMITS = {125, 300, 4096, 1 << 20};
    private static final int[] MESSAGE_LIMITS = {1, 100, 5000, 1 << 20};
    private static final int[] PIECE_SIZES = {1, 2, 7, 64, 125, 1000, 4096, FrameDecoder.DEFAULT_PIECE_SIZE};
    private static final int[] FRAGMENT_SIZES = {1, 10, 1000, 1 << 20};
    private static final Set<Integer> CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD, CloseCodes.TOO_BIG);

    /** What a connection would hand on or close with. */
    private record Setup(boolean server, boolean deflate, boolean peerFresh, int maxFrame, int maxMessage, int pieceSize,
                         int fragmentSize) {

        static Setup of(FuzzInput input) {
            return new Setup(!input.flag(0), input.flag(1), input.flag(2), FRAME_LIMITS[input.bits(3, 2)],
                    MESSAGE_LIMITS[input.bits(5, 2)], PIECE_SIZES[input.bits(7, 3)], FRAGMENT_SIZES[input.bits(10, 2)]);
        }

        FrameDecoder decoder() {
            return new FrameDecoder(server, maxFrame, deflate, pieceSize);
        }

        MessageAssembler assembler() {
            return new MessageAssembler(maxMessage, deflate ? new Inflation(!peerFresh) : null);
        }
    }

    @FuzzTest
    void decodesAnyBytesToMessagesOrACloseCodeTheSameInAnyReads(byte[] data) throws WebSocketException {
        FuzzInput input = FuzzInput.of(data);
        Setup setup = Setup.of(input);
        String where = setup + ", reads " + (input.cuts() == 0 ? "one" : "cut by " + input.cuts()) + ", stream "
                + HexFormat.of().formatHex(input.stream(), 0, Math.min(200, input.stream().length));

        List<Object> whole = decode(setup, input.stream(), new int[] {Math.max(1, input.stream().length)}, where);
        List<Object> split = decode(setup, input.stream(), input.reads(), where);
        if (!whole.equals(split)) {
            throw new AssertionError(where + ": in one read\n" + whole + "\nin reads\n" + split);
        }

        // Encoded again, as the other side would send it, and decoded afresh: the same events.
        List<Object> sent = new ArrayList<>(whole.stream().filter(event -> !(event instanceof Integer)).toList());
        if (sent.isEmpty()) {
            return;
        }
        byte[] bytes;
        try (Deflation deflation = setup.deflate ? new Deflation(!setup.peerFresh) : null) {
            // The decoder is not used: the channel only carries the encoder's bytes out.
            TestChannel<Frame, Frame> channel = TestChannel.of(Codec.of(setup.decoder(),
                    new FrameEncoder(setup.server, setup.fragmentSize, deflation)));
            for (Object event : sent) {
                channel.write(((Event) event).frame());
            }
            channel.flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] written = channel.readOutbound(); written.length > 0; written = channel.readOutbound()) {
                out.writeBytes(written);
            }
            bytes = out.toByteArray();
        }
        // No frame limit: the round trip checks the encoding, not the limits already checked.
        Setup again = new Setup(setup.server, setup.deflate, setup.peerFresh, Integer.MAX_VALUE, setup.maxMessage, setup.pieceSize,
                setup.fragmentSize);
        List<Object> decodedAgain = decode(again, bytes, new int[] {bytes.length}, where + " (encoded again)");
        if (!decodedAgain.equals(sent)) {
            throw new AssertionError(where + ": decoded\n" + sent + "\nencoded and decoded again\n" + decodedAgain);
        }
    }

    /**
     * The events of {@code stream} fed in reads of {@code reads} bytes through an accumulation
     * buffer, as a connection feeds a decoder: messages and control frames as text, then the
     * close code of the error that ended the stream (as an Integer), if any.
     */
    private static List<Object> decode(Setup setup, byte[] stream, int[] reads, String where) {
        FrameDecoder decoder = setup.decoder();
        List<Object> events = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(stream.length);
        buffer.flip();
        int at = 0;
        try (MessageAssembler assembler = setup.assembler();
             Inflation checkInflation = setup.deflate ? new Inflation(!setup.peerFresh) : null) {
            MessageBuffer inflated = new MessageBuffer(setup.maxMessage);
            boolean compressed = false;
            for (int read : reads) {
                int n = Math.min(read, stream.length - at); // an empty stream comes as one empty read
                buffer.compact().put(stream, at, n).flip();
                at += n;
                for (Frame piece = decoder.decode(buffer); piece != null; piece = decoder.decode(buffer)) {
                    int length = piece.payload().remaining();
                    if (length > setup.pieceSize || length > setup.maxFrame) {
                        throw new AssertionError(where + ": a piece of " + length + " bytes");
                    }
                    if (piece.isControl()) {
                        events.add(event(piece.opcode(), piece.payload().duplicate()));
                        continue;
                    }
                    // The cap on inflating, watched on a buffer of our own fed the same compressed pieces.
                    if (piece.opcode() != Frame.CONTINUATION) {
                        compressed = piece.rsv1();
                    }
                    if (compressed && checkInflation != null) {
                        inflateWatched(checkInflation, inflated, piece, setup.maxMessage, where);
                    }
                    Object message = assembler.accept(piece);
                    if (message != null) {
                        Event event = message instanceof String text
                                ? event(Frame.TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))
                                : event(Frame.BINARY, (ByteBuffer) message);
                        events.add(event);
                        int size = event.hex().length() / 2;
                        if (size > setup.maxMessage) {
                            throw new AssertionError(where + ": a message of " + size + " bytes over " + setup.maxMessage);
                        }
                    }
                }
            }
        } catch (WebSocketException e) {
            if (!CODES.contains(e.closeCode())) {
                throw new AssertionError(where + ": close code " + e.closeCode(), e);
            }
            events.add(e.closeCode());
        }
        return events;
    }

    /** Inflates a compressed piece into {@code out}; its array never grows past the limit and one byte. */
    private static void inflateWatched(Inflation inflation, MessageBuffer out, Frame piece, int maxMessage, String where) {
        try {
            inflation.inflate(piece.payload().duplicate(), out);
            if (piece.fin()) {
                inflation.endMessage(out);
                out.take();
            }
        } catch (WebSocketException tooBigOrBad) {
            out.take(); // the assembler meets the same and ends the stream
        }
        if (out.array().length > maxMessage + 1) {
            throw new AssertionError(where + ": inflating grew a buffer to " + out.array().length + " bytes");
        }
    }

    /** A message or control frame as decoded: its opcode and payload in hex (a text message's as UTF-8). */
    private record Event(int opcode, String hex) {

        Frame frame() {
            ByteBuffer payload = ByteBuffer.wrap(HexFormat.of().parseHex(hex));
            return opcode == Frame.TEXT ? Frame.text(StandardCharsets.UTF_8.decode(payload).toString())
                    : new Frame(true, false, opcode, payload);
        }
    }

    private static Event event(int opcode, ByteBuffer payload) {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return new Event(opcode, HexFormat.of().formatHex(bytes));
    }
}
