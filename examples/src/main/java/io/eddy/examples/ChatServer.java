package io.eddy.examples;

import io.eddy.core.codec.Codec;
import io.eddy.core.codec.DecodeException;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.EventLoopGroup;
import io.eddy.core.metrics.Metrics;
import io.eddy.core.net.AttributeKey;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionGroup;
import io.eddy.core.net.Handler;
import io.eddy.core.net.TcpServer;
import io.eddy.http.websocket.WebSocketHandler;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's long-connection server ({@code while True: data = client.recv(1024); ...;
 * client.sendall(input("回复：").encode())}), grown into a chat room on an event loop.
 *
 * <p>What changed: the tutorial serves one client at a time, and its {@code input()} stops
 * everything until the operator answers. Here one loop thread serves every client at once, and the
 * console is read on a thread of its own that hands each line to the loop.
 *
 * <p><b>The protocol.</b> Messages from clients are framed by {@link TextDecoder}: a line, or
 * whatever whole text arrived without a newline (the tutorial's client sends none). Messages to
 * clients are lines ending in {@code \n}. For each message a client sends, the server
 * <ul>
 *   <li>prints {@code [address] text};</li>
 *   <li>answers the sender {@code got: text} — the tutorial's client waits in {@code recv} for an
 *       answer after every message, and must get one even when it is alone;</li>
 *   <li>relays {@code [address] text} to every other client.</li>
 * </ul>
 * (Two quirks of the tutorial's Python client, not of this server: it prints an extra blank line,
 * since replies end in a newline; and an empty input line sends nothing, so its {@code recv} then
 * waits forever.)
 * A line typed on the console goes to every client as {@code [server] text}. Empty messages are
 * ignored.
 *
 * <p><b>Relaying.</b> A message is kept as the bytes it arrived as ({@link Text}, refilled for each
 * message): the answer and the relayed line are those bytes behind a prefix made once
 * ({@link ChatLine}), and a string is made only for a line the console prints. Under a flood, a
 * string per message and more per answer were the server's garbage, hundreds of bytes a line, and
 * the collector sized the heap to that rate. The clients are a {@link ConnectionGroup}: each
 * relayed line is encoded once,
 * whatever the number of clients, and a client whose outbound queue is full (it does not read)
 * misses relayed lines rather than make the server's memory grow. A client that sends without
 * reading its own {@code got:} answers is not read from until it does (backpressure). The console
 * shows every message up to {@value #PRINTED_PER_SECOND} a second, then a count of the rest
 * ({@link Transcript}): under a flood, a console write per line would cost more than the relay.
 *
 * <p>The program reads its console only when it has one ({@link System#console()}), and goes on
 * serving when the console ends (Ctrl-D) or when there is none, as under a service manager.
 *
 * <p>Threading: {@link #start}, {@link #broadcast}, {@link #readConsole} and {@link #close} are
 * safe from any thread; everything else runs on the loop. Printing goes to a {@link PrintStream},
 * which is the one blocking call left on the loop: fine for a terminal at the pace it is printed,
 * as the tutorial's {@code print} was.
 */
public final class ChatServer implements AutoCloseable {

    /** The tutorial's port. */
    public static final int PORT = 9998;
    /** The longest message accepted from a client, in bytes. */
    public static final int MAX_MESSAGE_LENGTH = 8192;
    /** The most messages a second printed on the console; the rest are counted. */
    static final int PRINTED_PER_SECOND = 1000;

    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final EventLoop loop;
    private final Transcript transcript;
    /** Connected clients; encodes as their codec does. */
    private final ConnectionGroup<ChatLine> clients = new ConnectionGroup<>(ChatLine::writeTo);
    /** Browsers in the same room, over WebSocket (HelloHttp's {@code /chat}). */
    private final WebChat browsers;
    private TcpServer<Text, ChatLine> server;

    private ChatServer(EventLoop loop, PrintStream out) {
        this.loop = loop;
        this.transcript = new Transcript(loop, out, PRINTED_PER_SECOND);
        this.browsers = new WebChat(clients, transcript);
    }

    /** Listens on {@code host}:{@code port} (0: any free port) and prints to standard output, in UTF-8. */
    public static ChatServer start(EventLoop loop, String host, int port) throws IOException {
        return start(loop, host, port, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /** Listens on {@code host}:{@code port} (0: any free port) and prints what clients say to {@code out}. */
    public static ChatServer start(EventLoop loop, String host, int port, PrintStream out) throws IOException {
        return start(loop, host, port, out, Metrics.none());
    }

    /** As {@link #start(EventLoop, String, int, PrintStream)}, registering its figures with {@code metrics}. */
    static ChatServer start(EventLoop loop, String host, int port, PrintStream out, Metrics metrics) throws IOException {
        ChatServer chat = new ChatServer(loop, out);
        chat.server = chat.room(TcpServer.on(loop), host, port).metrics(metrics).start();
        return chat;
    }

    /**
     * As {@link #start(EventLoop, String, int)}, its clients spread over {@code group}'s loops: the
     * room relays between clients on different loops (the group's broadcast writes each on its own).
     */
    public static ChatServer start(EventLoopGroup group, String host, int port) throws IOException {
        return start(group, host, port, new PrintStream(System.out, true, StandardCharsets.UTF_8));
    }

    /** As {@link #start(EventLoopGroup, String, int)}, printing what clients say to {@code out}. */
    public static ChatServer start(EventLoopGroup group, String host, int port, PrintStream out) throws IOException {
        return start(group, host, port, out, Metrics.none());
    }

    /** As {@link #start(EventLoopGroup, String, int, PrintStream)}, registering its figures with {@code metrics}. */
    static ChatServer start(EventLoopGroup group, String host, int port, PrintStream out, Metrics metrics)
            throws IOException {
        ChatServer chat = new ChatServer(group.loops().get(0), out); // the transcript's timer runs there
        chat.server = chat.room(TcpServer.on(group), host, port).metrics(metrics).start();
        return chat;
    }

    /** One room for every client: its handler is thread-safe (the group and the transcript are). */
    private TcpServer.Builder<Text, ChatLine> room(TcpServer.Builder<Void, Void> server, String host, int port) {
        return server.bind(host, port).codec(ChatServer::codec).handler(new Room());
    }

    /** The chat protocol, server side: {@link TextDecoder} in, {@link ChatLine}s out. */
    static Codec<Text, ChatLine> codec() {
        return Codec.of(new TextDecoder(MAX_MESSAGE_LENGTH), ChatLine::writeTo);
    }

    /** The listener, for its address and connection count. */
    public TcpServer<Text, ChatLine> server() {
        return server;
    }

    /**
     * The room's door for browsers: the handler of a WebSocket route (HelloHttp serves it at
     * {@code /chat}) whose sockets join this room beside the TCP clients.
     */
    public WebSocketHandler browsers() {
        return browsers;
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** Sends {@code [server] text} to every client. Thread-safe. */
    public void broadcast(String text) {
        clients.broadcast(ChatLine.of("[server] ", text));
    }

    /**
     * Reads lines from {@code console} on a new daemon thread and broadcasts each. At the end of the
     * console, or when it cannot be read, the server goes on serving.
     *
     * @return the thread, which ends with the console
     */
    public Thread readConsole(Reader console) {
        Thread reader = new Thread(() -> pump(console), "chat-console");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void pump(Reader console) {
        try (BufferedReader lines = new BufferedReader(console)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isEmpty()) {
                    broadcast(line);
                }
            }
            log.info("console closed; still serving clients");
        } catch (IOException e) {
            log.info("no console to read ({}); still serving clients", e.getMessage());
        } catch (RejectedExecutionException e) {
            log.debug("the event loop has terminated; console no longer read");
        }
    }

    /** Stops listening and closes every client once what it was sent has left. Thread-safe. */
    @Override
    public void close() {
        loop.execute(() -> {
            server.close();
            clients.forEach(Connection::close);
        });
    }

    /** {@code chat-server [--host H] [--port N] [--loops N]}: serves until the process is stopped. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("chat-server", args));
    }

    static int run(Arguments args, PrintStream out) throws IOException {
        String host = args.host();
        int port = args.port(PORT);
        return Examples.serve("chat-server", host + ":" + port, args.loops(),
                loop -> withConsole(start(loop, host, port, out), out),
                group -> withConsole(start(group, host, port, out), out));
    }

    /** Reads the console into the room, if there is one. */
    private static void withConsole(ChatServer chat, PrintStream out) {
        // Only a real console is read. Without one (a service manager, a pipe, a closed stdin
        // whose descriptor the JVM has reused for a file of its own) there is no one typing.
        Console console = System.console();
        if (console != null) {
            out.println("type a line and Enter to send it to every client");
            chat.readConsole(console.reader());
        } else {
            log.info("no console: serving clients without console input");
        }
    }

    private static String name(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    /** The room's handler: one instance for every connection. */
    private final class Room implements Handler<Text, ChatLine> {
        /** A client as a sender: its address in brackets, and the lines its messages become. */
        private static final AttributeKey<ChatSender> SENDER = AttributeKey.of("chat.sender");

        @Override
        public void onOpen(Connection<ChatLine> connection) {
            clients.add(connection);
            // Made once: under a flood, naming the sender anew for every line is garbage per line.
            connection.attr(SENDER, new ChatSender("[" + name(connection.remoteAddress()) + "] "));
            log.info("{} joined ({} connected)", name(connection.remoteAddress()), clients.size());
            browsers.presenceChanged();
        }

        @Override
        public void onMessage(Connection<ChatLine> connection, Text text) {
            if (text.isEmpty()) {
                return;
            }
            ChatSender sender = connection.attr(SENDER);
            transcript.print(sender.prefix(), text);
            // Both lines are encoded before this call returns (the write on this, the connection's
            // loop; the broadcast on this thread, once for every member), while the text still
            // holds this message: the decoder refills it with the next one.
            connection.write(sender.answer(text));
            clients.broadcastExcept(sender.relay(text), connection);
        }

        @Override
        public void onDecodeError(Connection<ChatLine> connection, DecodeException error) {
            connection.write(ChatLine.of("error: ", error.getMessage()));
        }

        @Override
        public void onClose(Connection<ChatLine> connection, CloseReason reason) {
            // The group lets a closed member go by itself, but only after onClose: the count below
            // must not include it.
            clients.remove(connection);
            log.info("{} left ({}); {} connected", name(connection.remoteAddress()), reason, clients.size());
            browsers.presenceChanged();
        }
    }
}
