package io.eddy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The soak's page, {@code soak.md}: how it ran, what the load got, the verdict on each figure with
 * the numbers it rests on, the two charts ({@code soak-memory.svg}: heap and RSS;
 * {@code soak-descriptors.svg}: descriptors and threads) and the samples, one a minute.
 *
 * <p>Threading: the runner's thread.
 */
final class SoakPage {

    static final String PAGE = "soak.md";
    private static final double MIB = 1024 * 1024;

    private SoakPage() {
    }

    static void write(Path dir, String command, Soak.Run run) throws IOException {
        Files.createDirectories(dir);
        List<SoakSample> samples = run.samples();
        SoakLoad.Tally tally = run.tally();
        SoakSample last = samples.get(samples.size() - 1);
        StringBuilder page = new StringBuilder("# Soak: one server, every kind of traffic at once\n\n")
                .append("Measured ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).withNano(0))).append(" UTC with `").append(command).append("`.\n\n")
                .append(Machine.describe(false).replace("(no pinning: --no-pin)", "(not pinned: the load is paced)")).append('\n')
                .append("One process (`SoakServer`: HTTP plaintext with `/bulk`, line echo and UDP echo on one event loop,"
                        + " with the runner's JVM flags) carried ").append(last.seconds() >= 120 ? format("%.0f minutes", last.seconds() / 60)
                        : format("%.0f seconds", last.seconds()))
                .append(" of paced traffic, every answer checked (`SoakLoad`). Every ")
                .append(Soak.SAMPLE_EVERY.toSeconds()).append(" s the runner read the server's live heap (the objects"
                        + " a full collection kept, counted in that pause by `jcmd PID GC.class_histogram`), its RSS"
                        + " (`VmRSS`), open descriptors (`/proc/PID/fd`) and threads.\n\n");

        page.append("## What the load got\n\n| traffic | answers checked |\n|---|---:|\n");
        for (SoakLoad.Kind kind : SoakLoad.Kind.values()) {
            page.append("| ").append(kind.label).append(" | ").append(format("%,d", tally.answered(kind))).append(" |\n");
        }
        page.append("| **all** | **").append(format("%,d", tally.answered())).append("** |\n\n")
                .append(format("Wrong answers: **%d**. Failed (a connection closed or reset by the server, an answer"
                        + " that did not come within %d s): **%d**. UDP datagrams whose echo did not come within %d ms"
                        + " (lost, which UDP may do): %d.%s%n%n", tally.wrong(), SoakLoad.TIMEOUT_MILLIS / 1000,
                        tally.failed(), SoakLoad.UDP_TIMEOUT_MILLIS, tally.lost(),
                        tally.firstProblem() == null ? "" : " The first problem: `" + tally.firstProblem() + "`."));

        List<SoakVerdict> verdicts = run.verdicts();
        page.append("## Verdict\n\n")
                .append(format("The first %d s are warm-up and not judged. Of the %d samples after it, the median of"
                        + " the last third is compared with the median of the first third; the growth allowed is"
                        + " how much the first third itself moved (its highest sample less its lowest), and at"
                        + " least 1 MiB of heap, 8 MiB of RSS, 2 descriptors, 2 threads.%n%n",
                        run.warmup().toSeconds(), run.judged().size()))
                .append("| figure | first third (median) | last third (median) | growth | allowed | |\n")
                .append("|---|---:|---:|---:|---:|---|\n");
        for (SoakVerdict verdict : verdicts) {
            boolean bytes = verdict.name().contains("bytes");
            page.append("| ").append(verdict.name().replace(", bytes", "")).append(" | ")
                    .append(amount(verdict.first(), bytes)).append(" | ").append(amount(verdict.last(), bytes))
                    .append(" | ").append(amount(verdict.growth(), bytes)).append(" | ")
                    .append(amount(verdict.tolerance(), bytes)).append(" | ")
                    .append(verdict.flat() ? "flat" : "**not flat**").append(" |\n");
        }
        boolean held = run.answeredRight() && verdicts.get(0).flat() && verdicts.get(2).flat();
        page.append('\n').append(held
                ? "**Held**: flat heap, flat descriptors, no wrong answer and no failure."
                : "**Not held**: see the rows above.").append("\n\n");

        double[] seconds = samples.stream().mapToDouble(SoakSample::seconds).toArray();
        Files.writeString(dir.resolve("soak-memory.svg"), new SvgLineChart("Soak: server memory", "seconds", "MiB",
                seconds, List.of("live heap", "RSS"),
                new double[][] {series(samples, SoakSample::heap, MIB), series(samples, SoakSample::rss, MIB)}).render());
        Files.writeString(dir.resolve("soak-descriptors.svg"), new SvgLineChart("Soak: server descriptors and threads",
                "seconds", "count", seconds, List.of("open file descriptors", "threads"),
                new double[][] {series(samples, SoakSample::fds, 1), series(samples, SoakSample::threads, 1)}).render());
        page.append("![server memory](soak-memory.svg)\n\n![descriptors and threads](soak-descriptors.svg)\n\n");

        page.append("## Samples (one a minute, and the last)\n\n")
                .append("| s | live heap, MiB | RSS, MiB | descriptors | threads | answers | wrong | failed | lost |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        long perMinute = Math.max(1, 60 / Soak.SAMPLE_EVERY.toSeconds());
        for (int i = 0; i < samples.size(); i++) {
            if ((i + 1) % perMinute != 0 && i != samples.size() - 1) {
                continue;
            }
            SoakSample s = samples.get(i);
            page.append(format("| %.0f | %.2f | %.1f | %d | %d | %,d | %d | %d | %d |%n", s.seconds(), s.heap() / MIB,
                    s.rss() / MIB, s.fds(), s.threads(), s.answered(), s.wrong(), s.failed(), s.lost()));
        }
        Files.writeString(dir.resolve(PAGE), page.toString());
    }

    private static double[] series(List<SoakSample> samples, ToLongFunction<SoakSample> figure, double unit) {
        return samples.stream().mapToDouble(s -> {
            long value = figure.applyAsLong(s);
            return value < 0 ? Double.NaN : value / unit;
        }).toArray();
    }

    private static String amount(double value, boolean bytes) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return bytes ? format("%.2f MiB", value / MIB) : format("%.0f", value);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
