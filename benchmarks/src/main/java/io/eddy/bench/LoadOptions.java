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
 * Load http|http-paced|metrics|line|udp|memory|broadcast|all|smoke [--duration S] [--warmup S] [--rounds N] [--out DIR]
 *      [--generator wrk|java] [--connections N] [--rates R,R,...] [--loops N,N,...] [--receivers N]
 *      [--messages N] [--no-pin]
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
 * @param pin         whether servers go to core 0 and the load to core 1 (default yes, where possible)
 */
record LoadOptions(String command, Duration duration, Duration warmup, int rounds, Path out, String generator,
                   int connections, List<Long> rates, List<Integer> loops, int receivers, long messages, boolean pin) {

    static final List<String> COMMANDS = List.of("http", "http-paced", "metrics", "line", "udp", "memory", "broadcast",
            "websocket", "all", "smoke");

    static final List<Long> DEFAULT_RATES = List.of(25_000L, 50_000L, 100_000L);

    /** One loop per server: the rows as they were before servers took {@code --loops}. */
    static final List<Integer> DEFAULT_LOOPS = List.of(1);

    static final String USAGE = """
            usage: Load http|http-paced|metrics|line|udp|memory|broadcast|websocket|all|smoke [options]
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
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new LoadOptions(args[0], duration, warmup, rounds, out, generator, connections, rates, loops, receivers, messages,
                pin);
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
