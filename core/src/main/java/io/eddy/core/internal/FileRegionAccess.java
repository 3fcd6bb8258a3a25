package io.eddy.core.internal;

import io.eddy.core.codec.FileRegion;
import java.nio.channels.FileChannel;
import java.util.function.Function;

/**
 * How the outbound queue reaches the file behind a {@link FileRegion}, which its public API does
 * not show: nothing outside core can read from a region's file or move it, so the queue alone
 * decides what of the file has been sent. (The JDK's {@code SharedSecrets} in small.)
 *
 * <p>Threading: set once, while {@code FileRegion} is initialized, which happens before any region
 * exists; read by whichever thread holds a region.
 */
public final class FileRegionAccess {

    private static volatile Function<FileRegion, FileChannel> files;

    private FileRegionAccess() {
    }

    /** Called by {@code FileRegion}'s initializer, once. */
    public static void expose(Function<FileRegion, FileChannel> access) {
        if (files != null) {
            throw new IllegalStateException("file region access is already set");
        }
        files = access;
    }

    static FileChannel file(FileRegion region) {
        return files.apply(region);
    }
}
