package io.eddy.core.testing;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * How the fuzz targets of this module read the fuzzer's bytes: a 4-byte settings word, an 8-byte
 * seed for the sizes of the reads the stream is cut into, then the stream itself. A committed
 * input is therefore twelve bytes of settings followed by readable protocol text, and a seed file
 * is made by putting twelve zero bytes (default settings, one read) in front of a stream.
 *
 * <p>The fuzzer chooses the cuts through the seed: changing one of its bytes changes where the
 * stream is cut, which libFuzzer keeps whenever that reaches new code.
 *
 * @param settings the settings word; each target reads its own bits from it
 * @param cuts     the seed of the read sizes; 0 means the stream comes in one read
 * @param stream   the bytes the peer sends
 */
public record FuzzInput(int settings, long cuts, byte[] stream) {

    /** The length of the header before the stream. */
    public static final int HEADER = 12;

    /** Splits {@code data}; a shorter input has zero settings and cuts. */
    public static FuzzInput of(byte[] data) {
        if (data.length < HEADER) {
            return new FuzzInput(0, 0, data);
        }
        ByteBuffer header = ByteBuffer.wrap(data, 0, HEADER);
        return new FuzzInput(header.getInt(), header.getLong(), Arrays.copyOfRange(data, HEADER, data.length));
    }

    /** {@code bits} bits of the settings word from bit {@code from} on, as a number. */
    public int bits(int from, int bits) {
        return (settings >>> from) & ((1 << bits) - 1);
    }

    /** Whether bit {@code bit} of the settings word is set. */
    public boolean flag(int bit) {
        return (settings >>> bit & 1) != 0;
    }

    /** The sizes of the reads the stream comes in: one read when {@code cuts} is 0, else from its seed. */
    public int[] reads() {
        if (cuts == 0 || stream.length == 0) {
            return new int[] {Math.max(1, stream.length)};
        }
        Random random = new Random(cuts);
        int[] sizes = new int[stream.length];
        int n = 0;
        for (int left = stream.length; left > 0; n++) {
            // Often a byte or a few (a line end cut between CR and LF), sometimes larger runs.
            int size = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + random.nextInt(8);
                case 2 -> 1 + random.nextInt(64);
                default -> 1 + random.nextInt(4096);
            };
            sizes[n] = Math.min(size, left);
            left -= sizes[n];
        }
        return Arrays.copyOf(sizes, n);
    }
}
