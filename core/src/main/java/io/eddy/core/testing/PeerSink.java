package io.eddy.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * The in-memory peer's receiving side: keeps what the connection wrote until the test takes it,
 * taking at most a window of bytes meanwhile, as a slow reader's socket would.
 *
 * <p>Threading: the test loop's thread only.
 */
final class PeerSink implements GatheringByteChannel {

    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private long window = Long.MAX_VALUE;
    private long taken;

    /** At most {@code bytes} are taken until the test reads them (see {@link #takeAll()}). */
    void window(long bytes) {
        window = bytes;
    }

    /** Everything taken so far, which opens the window again. */
    byte[] takeAll() {
        byte[] bytes = received.toByteArray();
        received.reset();
        taken = 0;
        return bytes;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = write(sources[i]);
            total += n;
            if (sources[i].hasRemaining()) {
                break;
            }
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] sources) {
        return write(sources, 0, sources.length);
    }

    @Override
    public int write(ByteBuffer source) {
        // A window narrowed below what was already taken is full, not negative.
        int n = (int) Math.max(0, Math.min(source.remaining(), window - taken));
        byte[] bytes = new byte[n];
        source.get(bytes);
        received.write(bytes, 0, n);
        taken += n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
        // The peer outlives the connection: the test still reads what it received.
    }
}
