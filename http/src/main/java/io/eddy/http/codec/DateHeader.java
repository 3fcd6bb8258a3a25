package io.eddy.http.codec;

import io.eddy.core.loop.TimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code Date: ...\r\n} line of responses (IMF-fixdate, RFC 9110 §5.6.7), formatted once a
 * second rather than once a response.
 *
 * <p>Threading: {@link #refresh} and {@link #line} may run on different threads (a loop timer
 * refreshes, encoders read); the line is published safely.
 */
public final class DateHeader {

    /** HTTP's date format (RFC 9110 §5.6.7), {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final TimeSource clock;
    private final boolean refreshOnRead;
    private volatile byte[] line;
    private volatile long second;

    /**
     * A date line read from {@code clock}'s wall clock (a server passes its loop's time source, so
     * a test in virtual time knows the date it will see); {@code refreshOnRead} makes every read
     * check the clock (for an encoder used without a server's timer).
     */
    public DateHeader(TimeSource clock, boolean refreshOnRead) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.refreshOnRead = refreshOnRead;
        refresh(clock.currentTimeMillis());
    }

    /** Reads the clock now: a server's once-a-second timer calls it. */
    public void refresh() {
        refresh(clock.currentTimeMillis());
    }

    private void refresh(long epochMillis) {
        long s = epochMillis / 1000;
        second = s;
        line = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(s)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The current {@code Date: ...\r\n} line, shared: do not change it. */
    public byte[] line() {
        if (refreshOnRead) {
            long now = clock.currentTimeMillis();
            if (now / 1000 != second) {
                refresh(now);
            }
        }
        return line;
    }
}
