package io.eddy.core.loop;

import java.util.concurrent.RejectedExecutionException;

/**
 * {@link BlockingWork#submit} refused a call at once, without running it: {@link #maxTasks()}
 * calls were already running or waiting, the work was closed, or its executor refused. The caller
 * answers "busy" (an HTTP server answers {@code 503 Service Unavailable}) instead of waiting.
 *
 * <p>Threading: immutable; thrown on the thread that called {@code submit}.
 */
public final class WorkRejectedException extends RejectedExecutionException {

    private static final long serialVersionUID = 1L;

    private final int maxTasks;

    WorkRejectedException(String message, int maxTasks, Throwable cause) {
        super(message, cause);
        this.maxTasks = maxTasks;
    }

    /** The limit of the work that refused: how many calls it lets run or wait at once. */
    public int maxTasks() {
        return maxTasks;
    }
}
