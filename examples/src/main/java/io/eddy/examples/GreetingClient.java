package io.eddy.examples;

import io.eddy.core.loop.EventLoop;
import io.eddy.core.net.CloseReason;
import io.eddy.core.net.Connection;
import io.eddy.core.net.Handler;
import io.eddy.core.net.TcpClient;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * The tutorial's first client ({@code sock.connect(...); sock.sendall(b"hello");
 * data = sock.recv(1024)}), on an event loop.
 *
 * <p>What changed: nothing blocks the loop. {@link #greet} returns a future, so one loop can greet
 * through many connections at once; the program waits for that future and prints the reply. A
 * server that is not there, or does not answer within 10 seconds (a loop timer), ends the program
 * with a clear message. (The tutorial's client says port 9990, the HTTP server's, where its
 * server listens on 9999: a slip in the tutorial. This pair meets on 9999.)
 *
 * <p>Threading: {@link #greet} is safe from any thread; the future completes on the loop thread.
 */
public final class GreetingClient {

    /** How long to wait for the server's reply once connected. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private GreetingClient() {
    }

    /**
     * Connects to {@code host}:{@code port}, sends {@code hello}, and completes with the server's
     * reply (what its first read brought, like {@code recv(1024)}); then closes the connection.
     * Fails when it cannot connect, when the server closes without a word, or after
     * {@link #REPLY_TIMEOUT}.
     */
    public static CompletableFuture<String> greet(EventLoop loop, String host, int port) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        TcpClient.on(loop)
                .codec(GreetingServer::codec)
                .handler(new Handler<String, String>() {
                    @Override
                    public void onOpen(Connection<String> connection) {
                        connection.write("hello");
                        // A loop timer, not a timer thread: the timeout runs where the connection
                        // lives, and closes it so nothing is left open.
                        connection.loop().schedule(REPLY_TIMEOUT, () -> {
                            if (reply.completeExceptionally(new TimeoutException(
                                    "no reply within " + REPLY_TIMEOUT.toSeconds() + " s"))) {
                                connection.abort();
                            }
                        });
                    }

                    @Override
                    public void onMessage(Connection<String> connection, String text) {
                        reply.complete(text);
                        connection.close();
                    }

                    @Override
                    public void onClose(Connection<String> connection, CloseReason reason) {
                        reply.completeExceptionally(
                                new IOException("the server closed the connection without a reply (" + reason + ")"));
                    }
                })
                .build()
                .connect(host, port)
                .whenComplete((connection, failure) -> {
                    if (failure != null) {
                        reply.completeExceptionally(failure);
                    }
                });
        return reply;
    }

    /** {@code greeting-client [--host H] [--port N]}: prints the reply; exits 1 if there is none. */
    public static void main(String[] args) {
        Examples.main(Examples.withName("greeting-client", args));
    }

    static int run(Arguments args, PrintStream out) throws IOException {
        String host = args.host();
        int port = args.port(GreetingServer.PORT);
        try (EventLoop loop = EventLoop.start("greeting-client")) {
            out.println("connecting to " + host + ":" + port);
            String reply = greet(loop, host, port).join();
            out.println("server replied: " + reply);
            return 0;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof TimeoutException
                    ? "no reply within " + REPLY_TIMEOUT.toSeconds() + " s"
                    : cause.getMessage() != null ? cause.getMessage() : cause.toString();
            throw new IOException("cannot greet " + host + ":" + port + ": " + why, cause);
        }
    }
}
