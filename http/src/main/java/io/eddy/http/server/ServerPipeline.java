package io.eddy.http.server;

import io.eddy.core.codec.Codec;
import io.eddy.core.loop.EventLoop;
import io.eddy.core.loop.ScheduledTask;
import io.eddy.http.HttpLimits;
import io.eddy.http.Leniency;
import io.eddy.http.ViolationListener;
import io.eddy.http.codec.DateHeader;
import io.eddy.http.codec.HttpRequestDecoder;
import io.eddy.http.codec.HttpResponseEncoder;
import io.eddy.http.codec.RequestPart;
import io.eddy.http.codec.ResponsePart;
import java.time.Duration;
import java.util.Set;

/**
 * An HTTP server without its listener: the codec each connection gets, the handler they share
 * ({@link HttpConnections}), and the clock of the {@code Date} header, which reads the loop's
 * time source. {@link HttpServer} puts a socket listener under it; tests put in-memory channels on
 * a test loop under it, so the connection state machine runs in virtual time.
 *
 * <p>One per loop: on a group, each loop has its own (its own connections, its own clock), made
 * by {@link ServerPipelines} when the loop gets its first connection.
 *
 * <p>Threading: {@link #codec()} is called on the loop thread for each new connection;
 * {@link #startClock()} hands itself to the loop; {@link #closeAll} runs on the loop thread.
 */
final class ServerPipeline {

    private final EventLoop loop;
    private final HttpLimits limits;
    private final Set<Leniency> leniencies;
    private final ViolationListener violations;
    private final String serverName;
    private final DateHeader date;
    private final HttpConnections connections;
    private ScheduledTask dateTimer;
    private boolean closed;

    /** @param routeMetrics the server's figures per route, or null when it keeps none */
    ServerPipeline(EventLoop loop, ServerConfig config, Set<Leniency> leniencies, ViolationListener violations,
                   String serverName, RouteMetrics routeMetrics) {
        this.loop = loop;
        this.limits = config.limits();
        this.leniencies = leniencies;
        this.violations = violations;
        this.serverName = serverName;
        this.date = new DateHeader(loop.timeSource(), false);
        this.connections = new HttpConnections(config, routeMetrics == null ? null : routeMetrics.onLoop(loop));
    }

    /** The loop this pipeline's connections live on. */
    EventLoop loop() {
        return loop;
    }

    /** A new connection's codec: the request decoder, whose errors become parts, and the response encoder. */
    Codec<RequestPart, ResponsePart> codec() {
        return Codec.of(new ErrorsAsPartsDecoder(new HttpRequestDecoder(limits, leniencies, violations)),
                new HttpResponseEncoder(date, serverName));
    }

    /** The handler every connection shares. */
    HttpConnections connections() {
        return connections;
    }

    /** Starts refreshing the {@code Date} line once a second on the loop. */
    void startClock() {
        loop.execute(this::refreshDate);
    }

    /**
     * Closes every connection once it has answered what it read, then stops the clock and runs
     * {@code whenClosed} (the server closes the blocking work it made only then: a request read
     * before the close still runs). Loop thread.
     */
    void closeAll(Runnable whenClosed) {
        connections.closeAll(() -> {
            closed = true;
            if (dateTimer != null) {
                dateTimer.cancel();
            }
            whenClosed.run();
        });
    }

    private void refreshDate() {
        if (closed) {
            return;
        }
        date.refresh();
        long now = loop.currentTimeMillis();
        // Wake just after the next second begins.
        dateTimer = loop.schedule(Duration.ofMillis(1000 - now % 1000 + 1), this::refreshDate);
    }
}
