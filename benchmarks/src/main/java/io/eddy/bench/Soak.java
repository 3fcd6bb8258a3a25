package io.eddy.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The load runner's soak mode: one server process ({@link SoakServer}: HTTP, line echo and UDP
 * echo on one loop) carries every kind of traffic of {@link SoakLoad} at once, at fixed modest
 * rates, for minutes; every ten seconds the runner reads the server's live heap (counted in a full
 * collection), its RSS, open descriptors and threads, and what the load counted ({@link SoakSample}).
 * At the end it judges whether heap, RSS, descriptors and threads stayed flat ({@link SoakVerdict})
 * and writes {@code soak.md} with two charts ({@link SoakPage}).
 *
 * <pre>
 * Load soak [--minutes N | --seconds N] [--warmup S] [--out DIR]
 * </pre>
 *
 * <p>Nothing is pinned and nothing needs a quiet machine: the load is paced, and the figures are
 * sizes, not speeds. Run it under {@code nice} on a shared machine. Threading: the runner's
 * thread samples; the load has threads of its own.
 */
final class Soak {

    static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    static final String USAGE = "usage: Load soak [--minutes N | --seconds N] [--warmup S] [--out DIR]\n"
            + "  every kind of traffic at once against one server process, sampled every 10 s; writes soak.md\n"
            + "  (default: 30 minutes, 60 s of warm-up, docs/benchmarks)\n";

    /** What a soak run is: how long, how much of it is warm-up, where its page goes (null: none). */
    record Options(Duration duration, Duration warmup, Path out) {

        static Options parse(String... args) {
            Duration duration = Duration.ofMinutes(30);
            Duration warmup = Duration.ofSeconds(60);
            Path out = Path.of("docs", "benchmarks");
            for (int i = 1; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--minutes" -> duration = Duration.ofMinutes(Long.parseLong(value));
                    case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(value));
                    case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(value));
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown soak option " + args[i]);
                }
            }
            if (duration.compareTo(SAMPLE_EVERY) < 0 || warmup.compareTo(duration) >= 0) {
                throw new IllegalArgumentException("a soak runs at least " + SAMPLE_EVERY.toSeconds()
                        + " s, longer than its warm-up");
            }
            return new Options(duration, warmup, out);
        }
    }

    /** What a run saw: its samples (the warm-up's included) and the load's counts by kind at the end. */
    record Run(Duration warmup, List<SoakSample> samples, SoakLoad.Tally tally) {

        /** The samples after the warm-up, which the verdicts judge. */
        List<SoakSample> judged() {
            return samples.stream().filter(s -> s.seconds() >= warmup.toSeconds()).toList();
        }

        /** The verdicts of heap, RSS, descriptors and threads. */
        List<SoakVerdict> verdicts() {
            List<SoakSample> judged = judged();
            return List.of(SoakVerdict.of("live heap, bytes", judged, SoakSample::heap, 1 << 20),
                    SoakVerdict.of("RSS, bytes", judged, SoakSample::rss, 8 << 20),
                    SoakVerdict.of("open file descriptors", judged, SoakSample::fds, 2),
                    SoakVerdict.of("threads", judged, SoakSample::threads, 2));
        }

        /** Whether every answer was right and none failed. */
        boolean answeredRight() {
            return tally.wrong() == 0 && tally.failed() == 0;
        }
    }

    private Soak() {
    }

    /** {@code Load soak ...} from the command line: the process's exit status (0 held, 1 not, 2 a usage error). */
    static int command(String[] args) {
        try {
            return main(args, "java -cp benchmarks/target/benchmarks.jar " + Load.class.getName() + " "
                    + String.join(" ", args), System.out) ? 0 : 1;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            return 2;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    /** {@code Load soak ...}: runs, prints each sample and the verdict, writes the page; true when all held. */
    static boolean main(String[] args, String commandLine, PrintStream out) throws Exception {
        Options options = Options.parse(args);
        Run run = run(options.duration(), options.warmup(), out);
        List<SoakVerdict> verdicts = run.verdicts();
        for (SoakVerdict verdict : verdicts) {
            out.printf("%-36s first third %s, last third %s, tolerance %s: %s%n", verdict.name(),
                    SvgChart.number(verdict.first()), SvgChart.number(verdict.last()),
                    SvgChart.number(verdict.tolerance()), verdict.flat() ? "flat" : "NOT flat");
        }
        SoakPage.write(options.out(), commandLine, run);
        out.println("soak: " + run.tally().answered() + " answers, " + run.tally().wrong() + " wrong, "
                + run.tally().failed() + " failed, " + run.tally().lost() + " datagrams lost; page written to "
                + options.out().resolve(SoakPage.PAGE).toAbsolutePath());
        return run.answeredRight() && verdicts.get(0).flat() && verdicts.get(2).flat();
    }

    /**
     * A short soak for the smoke check: the server must answer every kind of traffic, every answer
     * right, and its figures must be readable. Says what it saw; throws if anything was wrong.
     */
    static String check(Duration duration) throws Exception {
        Run run = run(duration, Duration.ZERO, null);
        SoakLoad.Tally tally = run.tally();
        for (SoakLoad.Kind kind : SoakLoad.Kind.values()) {
            if (tally.answered(kind) == 0) {
                throw new AssertionError("soak: no answer to " + kind.label + " in " + duration.toSeconds() + " s");
            }
        }
        if (!run.answeredRight()) {
            throw new AssertionError("soak: " + tally.wrong() + " wrong answers, " + tally.failed() + " failed; first: "
                    + tally.firstProblem());
        }
        SoakSample last = run.samples().get(run.samples().size() - 1);
        return "soak " + duration.toSeconds() + " s: " + tally.answered() + " answers right (" + tally.lost()
                + " datagrams lost), heap " + last.heap() / 1024 + " KiB, " + last.fds() + " descriptors, "
                + last.threads() + " threads";
    }

    /** Starts the server and the load, samples every ten seconds for {@code duration}, stops both. */
    static Run run(Duration duration, Duration warmup, PrintStream out) throws Exception {
        int linePort = freeTcpPort();
        int udpPort = freeUdpPort();
        ServerProcess.Spec spec = new ServerProcess.Spec(Report.SUBJECT, SoakServer.class.getName(),
                List.of("--line-port", String.valueOf(linePort), "--udp-port", String.valueOf(udpPort)));
        List<SoakSample> samples = new ArrayList<>();
        try (ServerProcess server = spec.start(false)) {
            InetSocketAddress http = server.address();
            SoakLoad load = SoakLoad.start(http, new InetSocketAddress(http.getAddress(), linePort),
                    new InetSocketAddress(http.getAddress(), udpPort));
            try {
                long start = System.nanoTime();
                long end = start + duration.toNanos();
                for (long due = start + SAMPLE_EVERY.toNanos(); due <= end; due += SAMPLE_EVERY.toNanos()) {
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                    server.checkAlive();
                    SoakSample sample = SoakSample.take(server, (due - start) / 1e9, load.tally());
                    samples.add(sample);
                    if (out != null) {
                        out.printf("%5.0f s  heap %6d KiB  RSS %7d KiB  fds %4d  threads %3d  answered %9d  wrong %d"
                                        + "  failed %d  lost %d%n", sample.seconds(), sample.heap() / 1024,
                                sample.rss() / 1024, sample.fds(), sample.threads(), sample.answered(), sample.wrong(),
                                sample.failed(), sample.lost());
                    }
                }
            } finally {
                load.close();
            }
            return new Run(warmup, samples, load.tally());
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
