package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The chat server's console: every message while they come at a human pace, and past
 * {@code linesPerSecond} in one second a count of the rest instead, printed when the second ends.
 * A terminal shows the tutorial's {@code print} as it was; a client that floods the room costs a
 * counter per line, not a console write (a system call, the text encoded again, and the loop
 * thread blocked while the terminal keeps up).
 *
 * <p>Threading: {@link #print} is safe from any thread (the lock is the one the stream takes for
 * each line anyway); the summary runs on the loop given.
 */
final class Transcript {

    private static final long SECOND_NANOS = Duration.ofSeconds(1).toNanos();

    private final EventLoop loop;
    private final PrintStream out;
    private final int linesPerSecond;
    private long secondStarted;
    private int printed;
    private long notShown;

    Transcript(EventLoop loop, PrintStream out, int linesPerSecond) {
        this.loop = loop;
        this.out = out;
        this.linesPerSecond = linesPerSecond;
        this.secondStarted = loop.nanoTime() - SECOND_NANOS;
    }

    /**
     * Prints {@code prefix} and {@code message} as one line, or counts them when this second has had
     * its share: the message is turned into a string only when it is printed, so a counted line
     * costs no text.
     */
    synchronized void print(String prefix, Object message) {
        long now = loop.nanoTime();
        if (now - secondStarted >= SECOND_NANOS) {
            summarize();
            secondStarted = now;
            printed = 0;
        }
        if (printed < linesPerSecond) {
            printed++;
            out.println(prefix + message);
        } else if (notShown++ == 0) {
            loop.schedule(Duration.ofNanos(Math.max(0, secondStarted + SECOND_NANOS - now)), this::summarizeNow);
        }
    }

    private synchronized void summarizeNow() {
        summarize();
    }

    private void summarize() {
        if (notShown > 0) {
            out.println("(" + notShown + " more messages in that second, not shown)");
            notShown = 0;
        }
    }
}
