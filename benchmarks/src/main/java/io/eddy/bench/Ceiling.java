package io.eddy.bench;

import java.util.List;

/**
 * The ceiling of a row family: a hand-written server on {@code java.nio} alone, no framework
 * ({@link NioCeilingServer}, {@link NioCeilingLineEchoServer}, {@link NioCeilingUdpEchoServer}),
 * run beside Eddy and Netty so a page shows Eddy / ceiling (how close to what the JDK allows)
 * beside Eddy / Netty NIO. It has one loop, so it runs only in the one-loop rows.
 *
 * <p>Threading: stateless.
 */
final class Ceiling {

    /** The ceiling's name in every table. */
    static final String NAME = "NIO ceiling";

    private static final String RATIOS = "Ratios are " + Report.SUBJECT + " / " + Report.BASELINE + " (the yardstick) and "
            + Report.SUBJECT + " / " + NAME + " (a hand-written server on java.nio alone, no framework: what the JDK"
            + " allows; 1.00× would cost no more than no framework at all): above 1 is better for rates, below 1 for"
            + " latencies, CPU per request and memory.";

    private Ceiling() {
    }

    /** The ceiling server whose main class is {@code mainClass}. */
    static ServerProcess.Spec spec(Class<?> mainClass) {
        return new ServerProcess.Spec(NAME, mainClass.getName(), List.of());
    }

    /**
     * {@code report} with Eddy / ceiling among its ratios, and a sentence saying what they are,
     * when the run has one loop (the ceiling's only count); unchanged otherwise.
     */
    static Report addTo(Report report, LoadOptions options) {
        if (!options.loops().equals(LoadOptions.DEFAULT_LOOPS)) {
            return report;
        }
        return report.pair(new Report.Pair(Report.SUBJECT, NAME)).ratios(RATIOS);
    }
}
