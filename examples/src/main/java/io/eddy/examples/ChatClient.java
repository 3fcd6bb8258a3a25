package io.eddy.examples;

import io.eddy.core.codec.LineCodec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.net.TcpClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The tutorial's long-connection client ({@code while True: data = s.recv(1024); print(...);
 * s.sendall(input().encode())}), talking to the {@link ChatServer}.
 *
 * <p>What changed: the tutorial's client takes turns, one line out and then one read, so it sees
 * nothing while it waits in {@code input()}. Here the loop prints every line the server sends the
 * moment it arrives, while a thread of its own reads the keyboard and hands each line over. Lines
 * end with {@code \n}, so the server never has to guess where one ends. At the end of input
 * (Ctrl-D) the client half-closes: the server answers what it has, closes, and the program exits 0.
 * When the server closes first, the client says so and exits.
 *
 * <p>Threading: {@link #connect} and the instance methods are safe from any thread; the line
 * consumer runs on the loop thread and must not block. The program's consumer prints to standard
 * output, which blocks if nobody reads it: fine for a terminal, as the tutorial's {@code print}
 * was, but a pipe nobody drains would stall the loop (and the watchdog would say so).
 */
public final class ChatClient {

    /** After the end of input, how long the server has to answer and close before the client closes. */
    public static final Duration FINISH_TIMEOUT = Duration.ofSeconds(5);

    private final Connection<String> connection;

    private ChatClient(Connection<String> connection) {
        this.connection = connection;
    }

    /** Connects to a chat server; {@code onLine} gets every line it sends, on the loop thread. */
    public static CompletableFuture<ChatClient> connect(EventLoop loop, String host, int port, Consumer<String> onLine) {
        // What others say must keep coming while what we typed waits to be sent: a chat client
        // that stopped reading while its own queue is full could wait on a server waiting on it.
        return TcpClient.on(loop)
                .options(ConnectionOptions.defaults().withReadPausedWhileUnwritable(false))
                .codec(LineCodec::new)
                .handler((connection, line) -> onLine.accept(line))
                .build()
                .connect(host, port)
                .thenApply(ChatClient::new);
    }

    /** Sends one line (it must not contain a newline). */
    public void send(String line) {
        connection.write(line);
    }

    /**
     * Ends this side: once every line has left, sends FIN. The server answers what it has and
     * closes; if it has not closed within {@link #FINISH_TIMEOUT}, the client closes.
     */
    public void finish() {
        if (!connection.isOpen()) {
            return;
        }
        connection.shutdownOutput();
        try {
            connection.loop().schedule(FINISH_TIMEOUT, connection::close);
        } catch (RejectedExecutionException e) {
            // The loop has ended, and the connection with it: nothing left to close.
        }
    }

    /** Closes at once (after what is queued has left). */
    public void close() {
        connection.close();
    }

    /** Completes with the reason once the connection has closed. */
    public CompletableFuture<CloseReason> closeFuture() {
        return connection.closeFuture();
    }

    /** {@code chat-client [--host H] [--port N]}: chats until Ctrl-D or until the server closes. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("chat-client", args));
    }

    static int run(Arguments args, PrintStream out) throws IOException {
        return run(args.host(), args.port(ChatServer.PORT), System.in, out);
    }

    /**
     * The program: sends each line of {@code in}, prints each line from the server to {@code out},
     * and returns 0 when the conversation is over (end of {@code in}, or the server closed).
     *
     * @throws IOException when it cannot connect
     */
    static int run(String host, int port, InputStream in, PrintStream out) throws IOException {
        try (EventLoop loop = EventLoop.start("chat-client")) {
            ChatClient client;
            try {
                client = connect(loop, host, port, out::println).join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                throw new IOException("cannot connect to " + host + ":" + port + ": "
                        + (cause.getMessage() != null ? cause.getMessage() : cause), cause);
            }
            out.println("connected to " + host + ":" + port + "; type lines, Ctrl-D to quit");
            CompletableFuture<Void> inputEnded = new CompletableFuture<>();
            Thread keyboard = new Thread(() -> {
                // Blocking reads belong here, never on the loop.
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        client.send(line);
                    }
                } catch (IOException e) {
                    out.println("cannot read input: " + e.getMessage());
                }
                inputEnded.complete(null);
                client.finish();
            }, "chat-input");
            keyboard.setDaemon(true);
            keyboard.start();
            CloseReason reason = client.closeFuture().join();
            if (!inputEnded.isDone()) {
                out.println("the server closed the connection (" + reason.detail() + ")");
            }
            return 0;
        }
    }
}
