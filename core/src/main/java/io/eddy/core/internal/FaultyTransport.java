package io.eddy.core.internal;

import io.eddy.core.net.CloseReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A transport that applies a test's {@link TransportFaults} to the one it wraps: reads and writes
 * go through, unless the faults say that this call fails, finds nothing or takes fewer bytes.
 *
 * <p>Threading: loop thread only.
 */
final class FaultyTransport implements Transport {

    private final Transport transport;
    private final TransportFaults faults;
    private final GatheringByteChannel output = new Output();

    FaultyTransport(Transport transport, TransportFaults faults) {
        this.transport = transport;
        this.faults = faults;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (faults.beforeRead()) {
            return 0;
        }
        return transport.read(dst);
    }

    @Override
    public GatheringByteChannel output() {
        return output;
    }

    @Override
    public long heldBytes() {
        return transport.heldBytes();
    }

    @Override
    public boolean holdsOutput() {
        return transport.holdsOutput();
    }

    @Override
    public boolean flushHeld() throws IOException {
        return transport.flushHeld();
    }

    @Override
    public boolean hasBufferedInput() {
        return transport.hasBufferedInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        transport.shutdownOutput();
    }

    @Override
    public void closeOutbound() {
        transport.closeOutbound();
    }

    @Override
    public void closed(CloseReason reason) {
        faults.closed(reason);
        transport.closed(reason);
    }

    /** The wrapped output, each write cut to what the faults allow. */
    private final class Output implements GatheringByteChannel {
        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            long offered = 0;
            for (int i = offset; i < offset + length; i++) {
                offered += srcs[i].remaining();
            }
            long allowed = faults.beforeWrite(offered);
            int[] limits = new int[length];
            long left = allowed;
            for (int i = 0; i < length; i++) {
                ByteBuffer src = srcs[offset + i];
                limits[i] = src.limit();
                int take = (int) Math.min(src.remaining(), left);
                src.limit(src.position() + take);
                left -= take;
            }
            long written;
            try {
                written = transport.output().write(srcs, offset, length);
            } finally {
                for (int i = 0; i < length; i++) {
                    srcs[offset + i].limit(limits[i]);
                }
            }
            faults.afterWrite(written, written < offered);
            return written;
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return (int) write(new ByteBuffer[] {src}, 0, 1); // tests only: an array a write costs nothing here
        }

        @Override
        public boolean isOpen() {
            return transport.output().isOpen();
        }

        @Override
        public void close() throws IOException {
            transport.output().close();
        }
    }
}
