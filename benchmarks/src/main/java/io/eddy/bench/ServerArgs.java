package io.eddy.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The command line of a benchmark server ({@code --port N}, {@code --loops N}, {@code --transport nio|epoll},
 * {@code --metrics off|on|histogram}, {@code --tls-cert FILE --tls-key FILE}) and the ready line it
 * prints once it listens, which the load runner waits for.
 *
 * <p>Threading: used by a server's {@code main} only.
 */
final class ServerArgs {

    /** What a server prints, followed by its port, once it accepts connections. */
    static final String READY = "ready on port ";

    private final Map<String, String> options = new HashMap<>();

    private ServerArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
    }

    static ServerArgs parse(String[] args) {
        return new ServerArgs(args);
    }

    /** {@code --port}, 0 (any free port) when absent. */
    int port() {
        return Integer.parseInt(options.getOrDefault("port", "0"));
    }

    /** {@code --loops}: how many event loops (threads) serve; 1 when absent. */
    int loops() {
        int loops = Integer.parseInt(options.getOrDefault("loops", "1"));
        if (loops < 1) {
            throw new IllegalArgumentException("--loops must be at least 1: " + loops);
        }
        return loops;
    }

    /** {@code --name N}, {@code absent} when not given. */
    long number(String name, long absent) {
        return Long.parseLong(options.getOrDefault(name, Long.toString(absent)));
    }

    /**
     * {@code --metrics}: {@code off} (the default), {@code on} (loop, server and per-route
     * figures) or {@code histogram} (those and the per-route latency histogram).
     */
    String metrics() {
        String metrics = options.getOrDefault("metrics", "off");
        if (!metrics.equals("off") && !metrics.equals("on") && !metrics.equals("histogram")) {
            throw new IllegalArgumentException("--metrics is off, on or histogram, not " + metrics);
        }
        return metrics;
    }

    /** {@code --transport}: {@code nio} when absent. */
    String transport() {
        return options.getOrDefault("transport", "nio");
    }

    /**
     * {@code --tls-cert FILE --tls-key FILE}: the PEM certificate chain and PKCS#8 key a server
     * speaks TLS with, on its one port instead of plaintext; null when neither is given.
     *
     * @throws IllegalArgumentException if only one of the two is given
     */
    TlsFiles tls() {
        String certificate = options.get("tls-cert");
        String key = options.get("tls-key");
        if (certificate == null && key == null) {
            return null;
        }
        if (certificate == null || key == null) {
            throw new IllegalArgumentException("--tls-cert FILE and --tls-key FILE go together");
        }
        return new TlsFiles(Path.of(certificate), Path.of(key));
    }

    /** A server's certificate chain and key, PEM files. */
    record TlsFiles(Path certificateChain, Path privateKey) {
    }

    /** Prints the ready line; standard output is flushed so a parent process sees it at once. */
    static void announce(int port) {
        System.out.println(READY + port);
        System.out.flush();
    }
}
