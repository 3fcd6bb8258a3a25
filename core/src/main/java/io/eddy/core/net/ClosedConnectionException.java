package io.eddy.core.net;

import java.io.IOException;

/**
 * A write to a connection that has closed, or whose output was shut down. The message says why it
 * closed.
 */
public class ClosedConnectionException extends IOException {

    private static final long serialVersionUID = 1L;

    /** An exception saying why the connection cannot take the write. */
    public ClosedConnectionException(String message) {
        super(message);
    }
}
