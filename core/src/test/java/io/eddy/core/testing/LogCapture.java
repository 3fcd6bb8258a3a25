package io.eddy.core.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what one Logback logger logs while a test runs, so the test can assert that something
 * was logged (and keeps expected warnings off the console). Thread-safe to read.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.of("io.eddy.core.loop.Watchdog")) {
 *     ...
 *     assertTrue(logs.contains(Level.WARN, "busy"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final boolean additive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        this.additive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
    }

    /** Starts capturing the logger named {@code name}. */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Starts capturing the logger of {@code type}. */
    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    /** The events logged so far, oldest first. */
    public List<ILoggingEvent> events() {
        // ListAppender appends under the appender's lock.
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The events at {@code level} whose formatted message contains {@code text}. */
    public List<ILoggingEvent> events(Level level, String text) {
        return events().stream()
                .filter(event -> event.getLevel() == level && event.getFormattedMessage().contains(text))
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setAdditive(additive);
        appender.stop();
    }
}
