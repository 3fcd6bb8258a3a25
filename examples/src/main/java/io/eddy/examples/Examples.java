package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.MetricRegistry;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.TcpServer;
import io.eddy.http.server.HttpServer;
import io.eddy.udp.UdpEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The examples jar's entry point: {@code java -jar eddy-examples.jar [example] [--option value]...}.
 *
 * <p>With no example named, it starts the showcase: every server of the tutorial on one event
 * loop, until the process is stopped (Ctrl-C closes the loop gracefully). {@code help} lists the
 * examples; an unknown name lists them and fails.
 *
 * <p>Threading: {@link #main} blocks its caller while a server runs; {@link #showcase} may be called
 * from any thread.
 */
public final class Examples {

    private static final Logger log = LoggerFactory.getLogger(Examples.class);
    private static final Set<String> CLIENT_OR_SERVER = Set.of("host", "port");
    private static final Set<String> SERVER = Set.of("host", "port", "loops");
    /** How long a stopped server lets what is in flight finish before it closes what is left. */
    static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(10);

    /** What runs an example: its parsed options in, an exit status out. */
    @FunctionalInterface
    private interface Program {
        int run(Arguments args, PrintStream out) throws Exception;
    }

    /** One example of the jar; {@code bare}, if not null, is the option a bare argument gives. */
    private record Example(String name, String summary, Set<String> options, String bare, Program program) {
        Example(String name, String summary, Set<String> options, Program program) {
            this(name, summary, options, null, program);
        }
    }

    private static final List<Example> EXAMPLES = List.of(
            new Example("showcase", "every server below on one event loop (the default)"
                    + " [--host H] [--greeting-port N] [--chat-port N] [--udp-port N] [--http-port N] [--loops N]",
                    Set.of("host", "greeting-port", "chat-port", "udp-port", "http-port", "loops"), (args, out) -> runShowcase(args)),
            new Example("greeting-server", "port 9999: greets every client with hello, logs what it sends",
                    SERVER, (args, out) -> GreetingServer.run(args)),
            new Example("greeting-client", "connects to 9999, sends hello, prints the reply",
                    CLIENT_OR_SERVER, (args, out) -> GreetingClient.run(args, out)),
            new Example("chat-server", "port 9998: line chat; relays each client's lines to the others;"
                    + " console lines go to all", SERVER, ChatServer::run),
            new Example("chat-client", "connects to 9998; sends what you type, prints what comes back",
                    CLIENT_OR_SERVER, ChatClient::run),
            new Example("hello-http", "port 9990: the tutorial's hello world over HTTP/1.1 (open it in a browser);"
                    + " /hello, /whoami, POST /echo, /static/, /health/live, /health/ready, /metrics, /status (live) [--static DIR];"
                    + " with --cert FILE --key FILE (PEM) the same over https too, on --tls-port N (9443);"
                    + " [--proxy-protocol required|trusted:CIDR,...] [--trusted-proxy CIDR,...] [--shutdown-grace 2s]",
                    Set.of("host", "port", "static", "loops", "tls-port", "cert", "key", "proxy-protocol", "trusted-proxy",
                            "shutdown-grace"),
                    (args, out) -> HelloHttp.run(args)),
            new Example("http-client", "[URL] GETs URL (or --url URL; default hello-http's /hello) and prints"
                    + " the response; then POSTs a form and JSON to its /echo; https:// URLs trust the system's"
                    + " CAs, or those of --cacert FILE", Set.of("url", "cacert"), "url", HttpClientExample::run),
            new Example("udp-server", "UDP port 5005: prints each datagram with its sender, answers over",
                    SERVER, UdpServer::run),
            new Example("udp-client", "sends 发送数据0 to 发送数据99 to UDP 5005, prints each reply;"
                    + " gives up after 3 tries of 1 s", CLIENT_OR_SERVER, UdpClient::run));

    private Examples() {
    }

    /** The servers of the showcase, sharing one loop. */
    public record Showcase(TcpServer<String, String> greeting, ChatServer chat, UdpEndpoint<String, String> udp,
                           HttpServer http) {
    }

    /** The ports of the showcase's servers (0: any free port). An immutable value. */
    public record Ports(int greeting, int chat, int udp, int http) {
        /** The tutorial's: 9999, 9998, 5005 for UDP and 9990 for HTTP. */
        public static final Ports TUTORIAL = new Ports(GreetingServer.PORT, ChatServer.PORT, UdpServer.PORT, HelloHttp.PORT);
        /** Any free port for each server. */
        public static final Ports ANY = new Ports(0, 0, 0, 0);
    }

    /**
     * Starts every server of the tutorial on {@code loop}, on {@code host} at {@code ports}: the
     * greeting server, the chat server (without a console), the UDP server and the HTTP server
     * (with the static files shipped in the jar). When one cannot start, those already started are
     * closed.
     */
    public static Showcase showcase(EventLoop loop, String host, Ports ports) throws IOException {
        return showcase(loop, host, ports, MetricRegistry.create());
    }

    /**
     * As {@link #showcase(EventLoop, String, Ports)}, every server registering its figures with
     * {@code metrics}, which the HTTP server's {@code /metrics} serves and its {@code /status} reads.
     */
    public static Showcase showcase(EventLoop loop, String host, Ports ports, MetricRegistry metrics) throws IOException {
        PrintStream console = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        return startAll(host, () -> GreetingServer.start(loop, host, ports.greeting(), metrics),
                () -> ChatServer.start(loop, host, ports.chat(), console, metrics),
                () -> UdpServer.start(loop, host, ports.udp(), console, metrics),
                chat -> HelloHttp.start(loop, host, ports.http(), HelloHttp.bundledStaticFiles(), metrics, chat.browsers()));
    }

    /**
     * Starts every server of the tutorial on {@code group}'s loops, as {@link #showcase(EventLoop,
     * String, Ports)} does on one loop: TCP and HTTP connections spread over the loops; the UDP
     * server, one socket, on the first loop.
     */
    public static Showcase showcase(EventLoopGroup group, String host, Ports ports) throws IOException {
        return showcase(group, host, ports, MetricRegistry.create());
    }

    /** As {@link #showcase(EventLoopGroup, String, Ports)}, every server registering its figures with {@code metrics}. */
    public static Showcase showcase(EventLoopGroup group, String host, Ports ports, MetricRegistry metrics)
            throws IOException {
        PrintStream console = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        return startAll(host, () -> GreetingServer.start(group, host, ports.greeting(), metrics),
                () -> ChatServer.start(group, host, ports.chat(), console, metrics),
                () -> UdpServer.start(group.loops().get(0), host, ports.udp(), console, metrics),
                chat -> HelloHttp.start(group, host, ports.http(), HelloHttp.bundledStaticFiles(), metrics, chat.browsers()));
    }

    /** Something that starts a server, or fails to listen. */
    @FunctionalInterface
    private interface Start<T> {
        T start() throws IOException;
    }

    /** Something that starts the HTTP server, whose {@code /chat} joins the chat server's room. */
    @FunctionalInterface
    private interface StartBeside<T> {
        T start(ChatServer chat) throws IOException;
    }

    /** Starts the four servers in turn; when one cannot start, those already started are closed. */
    private static Showcase startAll(String host, Start<TcpServer<String, String>> greetingServer,
                                     Start<ChatServer> chatServer, Start<UdpEndpoint<String, String>> udpServer,
                                     StartBeside<HttpServer> httpServer) throws IOException {
        TcpServer<String, String> greeting = greetingServer.start();
        ChatServer chat = null;
        UdpEndpoint<String, String> udp = null;
        HttpServer http;
        try {
            chat = chatServer.start();
            udp = udpServer.start();
            http = httpServer.start(chat);
        } catch (IOException | RuntimeException e) {
            greeting.close();
            if (chat != null) {
                chat.close();
            }
            if (udp != null) {
                udp.close();
            }
            throw e;
        }
        log.info("greeting-server on {}  (try: greeting-client --port {})", greeting.localAddress(), greeting.port());
        log.info("chat-server     on {}  (try: chat-client --port {})", chat.server().localAddress(), chat.port());
        log.info("udp-server      on {}  (UDP; try: udp-client --port {})", udp.localAddress(), udp.port());
        log.info("hello-http      on http://{}:{}/  (open it in a browser)", host, http.port());
        return new Showcase(greeting, chat, udp, http);
    }

    /** Runs the example named by the first argument (the showcase if none), and exits with its status. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int status = run(args, out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the example named by {@code args[0]} with the options after it: 0 when it went well,
     * 1 when it failed, 2 for a command line it does not understand.
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> all = Arrays.asList(args);
        boolean named = !all.isEmpty() && !all.get(0).startsWith("--");
        String name = named ? all.get(0) : "showcase";
        List<String> options = named ? all.subList(1, all.size()) : all;
        if (name.equals("help") || name.equals("--help")) {
            usage(out);
            return 0;
        }
        Example example = EXAMPLES.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
        if (example == null) {
            err.println("no example named '" + name + "'");
            usage(err);
            return 2;
        }
        try {
            return example.program().run(Arguments.parse(options, example.options(), example.bare()), out);
        } catch (IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println(name + ": " + e.getMessage());
            log.debug("{} failed", name, e);
            return 1;
        }
    }

    /** {@code args} with {@code name} in front: how an example's own {@code main} calls {@link #main}. */
    static String[] withName(String name, String[] args) {
        String[] named = new String[args.length + 1];
        named[0] = name;
        System.arraycopy(args, 0, named, 1, args.length);
        return named;
    }

    /** Starts servers on a loop of their own: how a server example ends. */
    @FunctionalInterface
    interface Servers {
        void start(EventLoop loop) throws IOException;
    }

    /** Starts servers on a group of loops: how a server example ends with {@code --loops N}. */
    @FunctionalInterface
    interface GroupServers {
        void start(EventLoopGroup group) throws IOException;
    }

    /**
     * Starts a loop named {@code name}, the servers on it (at {@code where}, for messages), and serves
     * until the process is stopped; a shutdown hook (Ctrl-C, SIGTERM) shuts the loop down in
     * phases: stop accepting, let what is in flight finish, and close what is left at the deadline.
     *
     * @throws IOException when a server cannot listen; the loop is closed then
     */
    static int serve(String name, String where, Servers servers) throws IOException {
        return serve(name, where, NO_FIRST_PHASE, Metrics.none(), servers);
    }

    /** No phase before the loop's own: the loop shuts down at once. */
    private static final Supplier<CompletableFuture<Void>> NO_FIRST_PHASE = () -> CompletableFuture.completedFuture(null);

    /**
     * As {@link #serve(String, String, Servers)}, with {@code firstPhase} run by the shutdown hook
     * before the loop's own phases, the loop registering its figures with {@code metrics}.
     */
    private static int serve(String name, String where, Supplier<CompletableFuture<Void>> firstPhase, Metrics metrics,
                             Servers servers) throws IOException {
        EventLoop loop = EventLoop.builder().name(name).metrics(metrics).start();
        try {
            servers.start(loop);
        } catch (IOException | RuntimeException e) {
            loop.close();
            throw new IOException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            firstPhase.get().join();
            loop.shutdown(SHUTDOWN_DEADLINE).join();
        }, name + "-shutdown"));
        log.info("serving until stopped (Ctrl-C)");
        loop.awaitTermination();
        return 0;
    }

    /**
     * As {@link #serve(String, String, Servers)}, on {@code loops} loops: one loop (the tutorial's
     * single thread) runs {@code onOneLoop}; more run {@code onGroup} on a group named {@code name}.
     */
    static int serve(String name, String where, int loops, Servers onOneLoop, GroupServers onGroup) throws IOException {
        return serve(name, where, loops, NO_FIRST_PHASE, Metrics.none(), onOneLoop, onGroup);
    }

    /** As {@link #serve(String, String, int, Servers, GroupServers)}, the loops registering their figures with {@code metrics}. */
    static int serve(String name, String where, int loops, Metrics metrics, Servers onOneLoop, GroupServers onGroup)
            throws IOException {
        return serve(name, where, loops, NO_FIRST_PHASE, metrics, onOneLoop, onGroup);
    }

    /**
     * As {@link #serve(String, String, int, Servers, GroupServers)}, with {@code firstPhase} run by
     * the shutdown hook before the loops' own phases, and waited for (a server behind a load
     * balancer turns its readiness off and keeps serving for a grace period there), the loops
     * registering their figures with {@code metrics}.
     */
    static int serve(String name, String where, int loops, Supplier<CompletableFuture<Void>> firstPhase,
                     Metrics metrics, Servers onOneLoop, GroupServers onGroup) throws IOException {
        if (loops == 1) {
            return serve(name, where, firstPhase, metrics, onOneLoop);
        }
        EventLoopGroup group = EventLoopGroup.builder().name(name).loops(loops).metrics(metrics).start();
        try {
            onGroup.start(group);
        } catch (IOException | RuntimeException e) {
            group.close();
            throw new IOException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            firstPhase.get().join();
            group.shutdown(SHUTDOWN_DEADLINE).join();
        }, name + "-shutdown"));
        log.info("serving on {} loops until stopped (Ctrl-C)", loops);
        group.terminationFuture().join();
        return 0;
    }

    private static int runShowcase(Arguments args) throws IOException {
        String host = args.host();
        Ports ports = new Ports(args.port("greeting-port", Ports.TUTORIAL.greeting()),
                args.port("chat-port", Ports.TUTORIAL.chat()), args.port("udp-port", Ports.TUTORIAL.udp()),
                args.port("http-port", Ports.TUTORIAL.http()));
        String where = host + ":" + ports.greeting() + ", " + host + ":" + ports.chat() + ", "
                + host + ":" + ports.udp() + " (UDP) and " + host + ":" + ports.http() + " (HTTP)";
        MetricRegistry metrics = MetricRegistry.create();
        return serve("showcase", where, args.loops(), metrics, loop -> showcase(loop, host, ports, metrics),
                group -> showcase(group, host, ports, metrics));
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar eddy-examples.jar [example] [--host H] [--port N]");
        out.println();
        out.println("Servers bind 127.0.0.1 and clients connect to it unless --host says otherwise;");
        out.println("--port 0 lets a server pick a free port.");
        out.println();
        out.println("examples:");
        for (Example example : EXAMPLES) {
            out.printf("  %-16s %s%n", example.name(), example.summary());
        }
    }
}
