package io.eddy.core.codec;

import io.eddy.core.internal.FileRegionAccess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A byte range of a file, sent straight from the file to the socket
 * ({@link FileChannel#transferTo}): the bytes never pass through the Java heap, and a queued
 * region costs no memory however large it is.
 *
 * <pre>{@code
 * // in an Encoder: the headers are copied, the body is sent from the file
 * out.write(headers);
 * out.transfer(FileRegion.open(path, 0, size));
 * }</pre>
 *
 * <p>A region owns its file. Once handed to {@link ByteSink#transfer(FileRegion)} it belongs to
 * the connection, which closes it after its last byte was sent, or when it is dropped (the
 * encoder failed, the connection closed). A region that never reaches a sink (its message was
 * written to a connection already closed, so never encoded) is its maker's to close: closing is
 * idempotent, so a write listener that closes the region when the write fails is always right.
 *
 * <p>What the connection's limits make of a region: its bytes count toward
 * {@link io.eddy.core.net.Connection#pendingOutboundBytes()} and the water marks (they are bytes
 * the peer has yet to take, so backpressure works as for buffers), but not toward
 * {@code maxOutboundBytes}, which bounds the memory a slow peer can hold. A file that turns out
 * shorter than the region (truncated while it is sent) closes the connection with
 * {@link io.eddy.core.net.CloseReason.Kind#IO_ERROR}: the peer cannot be given the bytes it was
 * promised.
 *
 * <p>Threading: make a region on any thread; from {@code transfer} on, only the connection's loop
 * touches it. {@link #close} is safe from any thread.
 */
public final class FileRegion implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileRegion.class);

    static {
        // The outbound queue sends from the file; the file is no part of the public API.
        FileRegionAccess.expose(region -> region.file);
    }

    private final FileChannel file;
    private final long position;
    private final long count;
    /** For messages only: the path, when the region opened it. */
    private final Path path;

    private FileRegion(FileChannel file, long position, long count, Path path) {
        this.file = file;
        this.position = position;
        this.count = count;
        this.path = path;
    }

    /**
     * Takes ownership of {@code file}: it is closed once the region is sent, discarded, or closed
     * (and at once if the arguments are refused).
     *
     * @param position where the range starts in the file
     * @param count    bytes to send from there
     * @throws IllegalArgumentException if {@code position} or {@code count} is negative, or the
     *     range ends past {@code Long.MAX_VALUE}
     */
    public static FileRegion of(FileChannel file, long position, long count) {
        return of(file, position, count, null);
    }

    /** Opens {@code path} read-only; see {@link #of}. */
    public static FileRegion open(Path path, long position, long count) throws IOException {
        Objects.requireNonNull(path, "path");
        return of(FileChannel.open(path, StandardOpenOption.READ), position, count, path);
    }

    private static FileRegion of(FileChannel file, long position, long count, Path path) {
        Objects.requireNonNull(file, "file");
        if (position < 0 || count < 0 || position + count < 0) {
            closeQuietly(file);
            throw new IllegalArgumentException("need a range of the file with position >= 0 and count >= 0, got position = "
                    + position + ", count = " + count);
        }
        return new FileRegion(file, position, count, path);
    }

    /** Where the range starts in the file. */
    public long position() {
        return position;
    }

    /** How many bytes the region sends. */
    public long count() {
        return count;
    }

    /** Closes the file. Idempotent; never throws (a failure is logged at debug level). */
    @Override
    public void close() {
        closeQuietly(file);
    }

    private static void closeQuietly(FileChannel file) {
        try {
            // FileChannel.close is itself idempotent and thread-safe.
            file.close();
        } catch (IOException e) {
            log.debug("closing a file region's file failed", e);
        }
    }

    @Override
    public String toString() {
        return "FileRegion[" + (path != null ? path + " " : "") + "bytes " + position + ".." + (position + count) + "]";
    }
}
