package io.eddy.core.loop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the executor {@link BlockingWork#create} runs calls on: a virtual thread per call when
 * the running JDK has them, else a pool of named daemon threads.
 *
 * <p>Eddy is compiled for Java 17, which has no virtual threads, so the factory is looked up by
 * reflection on its public API when the work is made. Java 19 and 20 have it as a preview feature
 * and refuse to make one unless previews are enabled; that counts as not having them.
 *
 * <p>Threading: stateless but for the thread-name counter; callable from any thread.
 */
final class DefaultBlockingExecutor {

    private static final Logger log = LoggerFactory.getLogger(DefaultBlockingExecutor.class);
    /** The most platform threads the fallback pool starts; more calls wait in its queue. */
    static final int MAX_POOL_THREADS = 64;
    /** How long an idle pool thread lives, so a server that blocked once does not keep 64 threads. */
    private static final long IDLE_SECONDS = 60;
    /** Shared by every pool, so no two pool threads in one JVM have the same name. */
    private static final AtomicInteger threadNumber = new AtomicInteger();

    /** The executor, and the words that say which kind it is. */
    record Choice(ExecutorService executor, String description) {
    }

    private DefaultBlockingExecutor() {
    }

    /** Virtual threads if the JDK has them, else a pool of at most {@code min(maxTasks, 64)} threads. */
    static Choice create(int maxTasks) {
        ExecutorService virtual = virtualThreadPerTask();
        if (virtual != null) {
            return new Choice(virtual, "a virtual thread per call");
        }
        int threads = Math.min(maxTasks, MAX_POOL_THREADS);
        // Unbounded queue, but BlockingWork never has more than maxTasks calls in it.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), namedDaemons());
        pool.allowCoreThreadTimeOut(true);
        return new Choice(pool, "a pool of " + threads + " daemon threads");
    }

    private static ExecutorService virtualThreadPerTask() {
        try {
            Method factory = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return (ExecutorService) factory.invoke(null);
        } catch (NoSuchMethodException beforeJava19) {
            return null;
        } catch (InvocationTargetException | IllegalAccessException | RuntimeException unavailable) {
            // A preview JDK without --enable-preview lands here: the pool serves as well.
            log.debug("virtual threads unavailable; blocking calls run on a pool", unavailable);
            return null;
        }
    }

    /** Daemon threads, so blocked calls never keep the JVM alive, named for thread dumps. */
    private static ThreadFactory namedDaemons() {
        return task -> {
            Thread thread = new Thread(task, "eddy-blocking-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
