package io.eddy.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where TLS handshakes' delegated tasks run (key agreement, signatures, certificate checks): a
 * pool of daemon threads, one per processor (the tasks compute, they do not wait), started on
 * first use and idle threads let go after a minute. Never the loop's thread: a handshake's
 * arithmetic must not hold up the loop's other connections.
 *
 * <p>Threading: safe from any thread.
 */
final class TlsTasks {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private TlsTasks() {
    }

    /** The shared executor. */
    static Executor executor() {
        return Holder.EXECUTOR;
    }

    private static final class Holder {
        static final Executor EXECUTOR = create();

        private static Executor create() {
            int threads = Runtime.getRuntime().availableProcessors();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread thread = new Thread(task, "eddy-tls-" + THREADS.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
