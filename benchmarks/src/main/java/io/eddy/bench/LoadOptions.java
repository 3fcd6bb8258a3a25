package io.eddy.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load runner's command line.
 *
 * <pre>
 * Load http|http-paced|metrics|line|udp|memory|broadcast|tls|all|smoke [--duration S] [--warmup S] [--rounds N] [--out DIR]
 *      [--generator wrk|java] [--connections N] [--rates R,R,...] [--loops N,N,...] [--receivers N]
 *      [--messages N] [--jfr DIR] [--eddy-from NAME=JAR] [--tls-rows R,R,...] [--no-pin]
 * </pre>
 *
 * @param command     which rows to run
 * @param duration    one measured run (default 10 s)
 * @param warmup      the warm-up run per server and scenario (default 5 s)
 * @param rounds      measured runs per server and scenario, alternating servers (default 2, at least 1)
 * @param out         where results and charts go (default {@code docs/benchmarks})
 * @param generator   {@code wrk} or {@code java} for the HTTP rows (default wrk where installed)
 * @param connections idle connections for the memory rows (default 10,000)
 * @param rates       requests a second of the paced HTTP rows, one row each (default 25k, 50k, 100k)
 * @param loops       event loops (threads) of every server, each count a server of its own (default 1)
 * @param receivers   receivers of the broadcast rows (default 1,000)
 * @param messages    messages a broadcast run sends, each to every receiver (default 1,000)
 * @param jfr         where each Java server's flight recording goes, one file per row family and
 *                    server; null (the default) for none
 * @param eddyFrom    an Eddy server from another build's benchmarks jar, to run beside this build's
 *                    in the tls rows (a before/after comparison in one run); null (the default) for none
 * @param tlsRows     which rows of the tls family run: {@code handshake}, {@code keepalive}, {@code bulk}
 *                    (default all three)
 * @param pin         whether servers go to core 0 and the load to core 1 (default yes, where possible)
 */
record LoadOptions(String command, Duration duration, Duration warmup, int rounds, Path out, String generator,
                   int connections, List<Long> rates, List<Integer> loops, int receivers, long messages, Path jfr,
                   OtherBuild eddyFrom, List<String> tlsRows, boolean pin) {

    /** The rows of the tls family, in the order they run. */
    static final List<String> TLS_ROWS = List.of("handshake", "keepalive", "bulk");

    /**
     * Eddy's server from another build: its name in the tables and that build's benchmarks jar.
     */
    record OtherBuild(String name, Path jar) {

        /** {@code NAME=JAR}. */
        static OtherBuild parse(String value) {
            int equals = value.indexOf('=');
            if (equals <= 0 || equals == value.length() - 1) {
                throw new IllegalArgumentException("--eddy-from takes NAME=JAR, like before=/tmp/benchmarks-before.jar: " + value);
            }
            String name = value.substring(0, equals).trim();
            if (name.equals(Report.SUBJECT) || name.startsWith(Report.BASELINE) || name.equals("nginx")) {
                throw new IllegalArgumentException("--eddy-from needs a name of its own, not " + name);
            }
            return new OtherBuild(name, Path.of(value.substring(equals + 1)));
        }
    }

    static final List<String> COMMANDS = List.of("http", "http-paced", "metrics", "line", "udp", "memory", "broadcast",
            "tls", "websocket", "all", "smoke");

    static final List<Long> DEFAULT_RATES = List.of(25_000L, 50_000L, 100_000L);

    /** One loop per server: the rows as they were before servers took {@code --loops}. */
    static final List<Integer> DEFAULT_LOOPS = List.of(1);

    static final String USAGE = """
            usage: Load http|http-paced|metrics|line|udp|memory|broadcast|tls|websocket|all|smoke [options]
              http        plaintext HTTP, closed loop: Eddy, Netty NIO, Netty epoll; 16, 64, 256 connections,
                          and 256 pipelined 16 deep
              http-paced  plaintext HTTP, open loop: the same servers, 64 connections at fixed rates;
                          server CPU µs per request
              metrics     what Eddy's metrics cost: the paced rows with Eddy's metrics off, on, and on
                          with the latency histogram; server CPU µs per request (not part of all)
              line    TCP line echo: 64 connections, 16 lines of 64 bytes in flight on each
              udp     UDP echo: 32 datagrams of 64 bytes in flight
              memory  heap and RSS per idle connection (HTTP after one request; line echo after one line)
              broadcast  one sender to 1,000 receivers: messages delivered/s, server bytes allocated per delivery
              tls     HTTPS: Eddy, Netty NIO (SslHandler, JDK provider), nginx where installed; full TLS 1.3
                      handshakes/s (openssl s_time), keep-alive requests/s at 64 connections and 1 MiB
                      responses (wrk); server CPU per handshake, request and MiB
              websocket  WebSocket echo (64 connections, 16 messages of 64 bytes in flight) and broadcast
                         (one sender to --receivers sockets): messages/s, server CPU and bytes allocated per message
              all     all of the above but metrics
              smoke   a few seconds: every server started and checked to answer correctly
            options:
              --duration S      seconds per measured run (default 10)
              --warmup S        seconds of warm-up per server and row (default 5)
              --rounds N        measured runs per server and row, alternating servers (default 2)
              --out DIR         results and SVG charts (default docs/benchmarks)
              --generator G     wrk or java for the HTTP rows (default wrk where installed)
              --connections N   idle connections for the memory rows (default 10000)
              --rates R,R,...   requests/s of the paced rows, k for thousands (default 25k,50k,100k)
              --loops N,N,...   event loops (Netty: threads) of each server, one server per count,
                                side by side (default 1); e.g. 1,2
              --receivers N     receivers of the broadcast rows (default 1000)
              --messages N      messages per broadcast run, each to every receiver (default 1000)
              --eddy-from NAME=JAR  in the tls rows, also run Eddy's server from another build's
                                benchmarks jar, named NAME, with ratios Eddy / NAME (before/after a change)
              --tls-rows R,...  which tls rows run: handshake, keepalive, bulk (default all)
              --jfr DIR         record each Java server with Java Flight Recorder (settings=profile),
                                one FAMILY-SERVER.jfr per row family and server into DIR (for profiling:
                                it costs the servers a little, so do not quote rates from such a run)
              --no-pin          do not pin servers to core 0 and the load to core 1
            """;

    static LoadOptions parse(String... args) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            throw new IllegalArgumentException(args.length == 0 ? "no command given" : "unknown command " + args[0]);
        }
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(5);
        int rounds = 2;
        Path out = Path.of("docs", "benchmarks");
        String generator = Wrk.installed() ? "wrk" : "java";
        int connections = 10_000;
        List<Long> rates = DEFAULT_RATES;
        List<Integer> loops = DEFAULT_LOOPS;
        int receivers = 1_000;
        long messages = 1_000;
        Path jfr = null;
        OtherBuild eddyFrom = null;
        List<String> tlsRows = TLS_ROWS;
        boolean pin = true;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--no-pin")) {
                pin = false;
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--duration" -> duration = seconds(value);
                case "--warmup" -> warmup = seconds(value);
                case "--rounds" -> rounds = Math.max(1, Integer.parseInt(value));
                case "--out" -> out = Path.of(value);
                case "--generator" -> generator = generator(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--rates" -> rates = rates(value);
                case "--loops" -> loops = loops(value);
                case "--receivers" -> receivers = atLeastOne(option, value);
                case "--messages" -> messages = atLeastOne(option, value);
                case "--jfr" -> jfr = Path.of(value);
                case "--eddy-from" -> eddyFrom = OtherBuild.parse(value);
                case "--tls-rows" -> tlsRows = tlsRows(value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new LoadOptions(args[0], duration, warmup, rounds, out, generator, connections, rates, loops, receivers, messages,
                jfr, eddyFrom, tlsRows, pin);
    }

    /** {@code 25k,50000,1.5k}: requests a second, each at least 1, a {@code k} suffix for thousands. */
    static List<Long> rates(String value) {
        List<Long> rates = new ArrayList<>();
        for (String rate : value.split(",")) {
            String number = rate.trim().toLowerCase(Locale.ROOT);
            double multiplier = number.endsWith("k") ? 1000 : 1;
            try {
                long parsed = Math.round(Double.parseDouble(number.replaceFirst("k$", "")) * multiplier);
                if (parsed < 1) {
                    throw new IllegalArgumentException("a rate is at least 1 request a second: " + rate);
                }
                rates.add(parsed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--rates takes numbers like 25k,50000: " + value, e);
            }
        }
        return List.copyOf(rates);
    }

    /** {@code handshake,bulk}: tls rows, each known, each once, run in their usual order. */
    static List<String> tlsRows(String value) {
        List<String> rows = new ArrayList<>();
        for (String row : value.split(",")) {
            String name = row.trim();
            if (!TLS_ROWS.contains(name) || rows.contains(name)) {
                throw new IllegalArgumentException("--tls-rows takes distinct names among " + TLS_ROWS + ": " + value);
            }
            rows.add(name);
        }
        return TLS_ROWS.stream().filter(rows::contains).toList();
    }

    /** {@code 1,2}: loop counts, each at least 1, each once, in the order given. */
    static List<Integer> loops(String value) {
        List<Integer> loops = new ArrayList<>();
        for (String count : value.split(",")) {
            try {
                int parsed = Integer.parseInt(count.trim());
                if (parsed < 1 || loops.contains(parsed)) {
                    throw new IllegalArgumentException("--loops takes distinct counts of at least 1: " + value);
                }
                loops.add(parsed);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--loops takes numbers like 1,2: " + value, e);
            }
        }
        return List.copyOf(loops);
    }

    /**
     * The flags a Java server's JVM gets beyond the common ones in {@code family}'s rows: with
     * {@code --jfr}, a flight recording dumped to {@code DIR/FAMILY-SERVER.jfr} when the server stops.
     */
    List<String> serverJvmFlags(String family, String server) {
        if (jfr == null) {
            return List.of();
        }
        String name = (family + "-" + server).replaceAll("[^A-Za-z0-9.-]+", "-");
        // Deep stacks, so that frames near the thread's root (the loop, the pipeline) are not cut off.
        return List.of("-XX:FlightRecorderOptions=stackdepth=256", "-XX:StartFlightRecording=settings=profile,"
                + "dumponexit=true,filename=" + jfr.resolve(name + ".jfr").toAbsolutePath());
    }

    /** The most loops any server of the run has. */
    int maxLoops() {
        return loops.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static int atLeastOne(String option, String value) {
        int parsed = Integer.parseInt(value);
        if (parsed < 1) {
            throw new IllegalArgumentException(option + " is at least 1: " + value);
        }
        return parsed;
    }

    private static Duration seconds(String value) {
        return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }

    private static String generator(String value) {
        if (!value.equals("wrk") && !value.equals("java")) {
            throw new IllegalArgumentException("--generator is wrk or java, not " + value);
        }
        if (value.equals("wrk") && !Wrk.installed()) {
            throw new IllegalArgumentException(Wrk.INSTALL_HINT);
        }
        return value;
    }
}
