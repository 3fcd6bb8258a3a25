package io.eddy.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date: ...\r\n} line of responses (IMF-fixdate, RFC 9110 §5.6.7), formatted once a
 * second rather than once a response.
 *
 * <p>Threading: {@link #refresh} and {@link #line} may run on different threads (a loop timer
 * refreshes, encoders read); the line is published safely.
 */
final class DateHeader {

    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final boolean refreshOnRead;
    private volatile byte[] line;
    private volatile long second;

    /**
     * A date line; {@code refreshOnRead} makes every read check the clock (for an encoder used
     * without a server's timer).
     */
    DateHeader(boolean refreshOnRead) {
        this.refreshOnRead = refreshOnRead;
        refresh(System.currentTimeMillis());
    }

    void refresh(long epochMillis) {
        long s = epochMillis / 1000;
        second = s;
        line = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(s)) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    byte[] line() {
        if (refreshOnRead) {
            long now = System.currentTimeMillis();
            if (now / 1000 != second) {
                refresh(now);
            }
        }
        return line;
    }
}
