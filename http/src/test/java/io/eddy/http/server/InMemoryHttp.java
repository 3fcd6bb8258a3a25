package io.eddy.http.server;

import io.eddy.core.net.ConnectionOptions;
import io.eddy.core.testing.TestChannel;
import io.eddy.core.testing.TestLoop;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.codec.ResponsePart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * An HTTP server as its builder makes it, but on in-memory channels of a {@link TestLoop}: the
 * very connection state machine, codec and handlers, without sockets, in virtual time. A test
 * sends bytes, moves the clock, and reads the responses the server wrote.
 *
 * <p>Threading: the test's thread only (it is the test loop's thread).
 */
final class InMemoryHttp implements AutoCloseable {

    private final TestLoop loop = new TestLoop();
    private final ServerPipeline pipeline;
    private final ConnectionOptions options;

    /** A server configured by {@code configure} (routes, limits, error handler), not bound anywhere. */
    InMemoryHttp(UnaryOperator<HttpServer.Builder> configure) {
        HttpServer.Builder builder = configure.apply(HttpServer.on(loop.eventLoop()));
        this.pipeline = builder.pipeline();
        this.options = builder.connectionOptions();
        pipeline.startClock();
        loop.runPendingTasks();
    }

    /** A new client connection, accepted as the listener would accept it. */
    Client connect() {
        return new Client(TestChannel.of(loop, pipeline.codec(), pipeline.connections(), options));
    }

    /** Moves virtual time: due timers (timeouts, the {@code Date} clock) run, each at its deadline. */
    void advance(Duration duration) {
        loop.advance(duration);
    }

    /** Runs what other threads handed the loop (an async handler's answer) and flushes. */
    void runPendingTasks() {
        loop.runPendingTasks();
    }

    /** What {@code HttpServer.close()} does after its listener is closed. */
    void closeServer() {
        pipeline.closeAll(() -> { });
        loop.runPendingTasks();
    }

    @Override
    public void close() {
        loop.close();
    }

    /** One connection's client side: what it sends, and what the server wrote back. */
    static final class Client {

        final TestChannel<RequestPart, ResponsePart> channel;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int read;

        private Client(TestChannel<RequestPart, ResponsePart> channel) {
            this.channel = channel;
        }

        Client send(String raw) {
            channel.feed(raw.getBytes(StandardCharsets.ISO_8859_1));
            return this;
        }

        /** Everything the server wrote so far and was not yet read as a response, as Latin-1 text. */
        String unread() {
            collect();
            byte[] all = received.toByteArray();
            return new String(all, read, all.length - read, StandardCharsets.ISO_8859_1);
        }

        /** The next whole response the server wrote; fails when there is none (yet). */
        WireClient.Response read() {
            collect();
            byte[] all = received.toByteArray();
            ByteArrayInputStream in = new ByteArrayInputStream(all, read, all.length - read);
            try {
                WireClient.Response response = WireClient.reading(in).read();
                read = all.length - in.available();
                return response;
            } catch (IOException e) {
                throw new UncheckedIOException("no whole response in: " + unread(), e);
            }
        }

        /** Whether the server closed the connection (after writing what it wrote). */
        boolean closedByServer() {
            return !channel.isOpen();
        }

        private void collect() {
            byte[] out = channel.readOutbound();
            if (out != null) {
                received.writeBytes(out);
            }
        }
    }
}
