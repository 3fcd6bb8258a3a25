package io.eddy.core.internal;

import java.io.IOException;

/**
 * A file region's file ended before the region did (it was truncated while being sent, or was
 * never that long): the peer cannot get the bytes it was promised. A local failure, not the
 * peer's, so the connection closes with {@code IO_ERROR}.
 */
final class FileEndedException extends IOException {

    private static final long serialVersionUID = 1L;

    FileEndedException(String message) {
        super(message);
    }
}
