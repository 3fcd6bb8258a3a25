package io.eddy.core.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The watchdog found a loop held by one cycle longer than its stall threshold: the same finding it
 * logs, with the loop thread's stack at that moment (the event's own stack would be the
 * watchdog's, so it is not recorded).
 *
 * <p>Threading: emitted on the watchdog's thread.
 */
@Name("io.eddy.LoopStall")
@Label("Event Loop Stall")
@Category({"Eddy", "Event Loop"})
@Description("One cycle held an event loop longer than its stall threshold: a handler or task blocked it")
@Enabled(false)
@StackTrace(false)
public final class LoopStallEvent extends Event {

    @Label("Event Loop")
    String loop;

    @Label("Stalled For")
    @Description("How long the cycle had held the loop when the watchdog looked")
    @Timespan(Timespan.NANOSECONDS)
    long stalledFor;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Loop Thread Stack")
    String stack;

    /** Records the stall if a recording wants it; called through {@link FlightEvents}. Any thread. */
    public static void emit(String loop, long stalledForNanos, long thresholdNanos, String stack) {
        LoopStallEvent event = new LoopStallEvent();
        if (event.isEnabled()) {
            event.loop = loop;
            event.stalledFor = stalledForNanos;
            event.threshold = thresholdNanos;
            event.stack = stack;
            event.commit();
        }
    }
}
